// The containers of CODEX_CONTAINERS=isolated behave as Lambda's: one invocation at a time each, a new container
// (a process of its own) when all are busy, a warm one reused when idle, a dead one replaced.
import { afterEach, expect, it } from 'vitest';
import { type Containers, startContainers } from '../../local/containers.js';
import { lambdaContext } from '../../local/functions.js';
import { REPO_ROOT } from '../../local/stack.js';

let containers: Containers | undefined;
afterEach(async () => {
  await containers?.stop();
  containers = undefined;
});

const pidsOf = (c: Containers) =>
  c
    .report()
    .map((container) => container.pid)
    .sort();

it('starts a container per concurrent invocation, reuses idle ones, and replaces one that died', async () => {
  const pool = (containers = startContainers({ root: REPO_ROOT, platform: {} }));
  const health = pool.invoker('health');
  const ok = { statusCode: 200, body: JSON.stringify({ status: 'ok' }) };

  const concurrent = await Promise.all([1, 2, 3].map((i) => health({}, lambdaContext('health', `concurrent-${i}`))));
  expect(concurrent).toEqual(Array(3).fill(expect.objectContaining(ok)));
  const started = pidsOf(pool);
  expect(new Set(started).size).toBe(3);
  expect(started).not.toContain(process.pid);

  for (const i of [1, 2, 3, 4]) expect(await health({}, lambdaContext('health', `warm-${i}`))).toMatchObject(ok);
  expect(pidsOf(pool)).toEqual(started);
  expect(pool.report().reduce((sum, container) => sum + container.invocations, 0)).toBe(7);
  expect(pool.report().every((container) => !container.busy)).toBe(true);

  const [victim] = started;
  process.kill(victim!, 'SIGKILL');
  while (pidsOf(pool).includes(victim!)) await new Promise((resolve) => setTimeout(resolve, 20));
  // The dead one is gone from the pool; the others still answer, and a new one starts when they are all busy.
  expect(pidsOf(pool)).toEqual(started.slice(1));
  const again = await Promise.all([1, 2, 3].map((i) => health({}, lambdaContext('health', `again-${i}`))));
  expect(again).toEqual(Array(3).fill(expect.objectContaining(ok)));
  expect(pidsOf(pool)).toHaveLength(3);
  expect(pidsOf(pool)).not.toContain(victim);
});

it('keeps invocations beyond the most containers a function may have waiting for a free one', async () => {
  const pool = (containers = startContainers({ root: REPO_ROOT, platform: {}, maxPerFunction: 2 }));
  const health = pool.invoker('health');
  const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => health({}, lambdaContext('health', `queued-${i}`))));
  expect(answers).toEqual(Array(5).fill(expect.objectContaining({ statusCode: 200 })));
  expect(pool.report()).toHaveLength(2);
  expect(pool.report().reduce((sum, container) => sum + container.invocations, 0)).toBe(5);
});

// CODEX_KILL_AT kills the process running local functions at exactly the moment it names: before the n-th invocation
// of the function runs, or after it ran and before its caller hears back.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../local/stack.js';

// Three calls of the health function, each told before and after.
const script = `
import { loadFunction } from './local/functions.ts';
const health = await loadFunction('health', process.cwd());
for (const n of [1, 2, 3]) {
  console.log('calling ' + n);
  await health({});
  console.log('returned ' + n);
}
`;

function runWith(killAt: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, CODEX_KILL_AT: killAt, POWERTOOLS_METRICS_DISABLED: 'true' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { signal: result.signal, lines: result.stdout.trim().split('\n'), stderr: result.stderr };
}

describe('CODEX_KILL_AT', () => {
  it('kills the process before the n-th invocation runs', () => {
    const run = runWith('health:before:2');
    expect(run.signal).toBe('SIGKILL');
    expect(run.lines).toEqual(['calling 1', 'returned 1', 'calling 2']);
    expect(run.stderr).toContain('CODEX_KILL_AT: killed before invocation 2 of health');
  });

  it('kills the process after the n-th invocation ran, before its caller hears back', () => {
    const run = runWith('health:after:2');
    expect(run.signal).toBe('SIGKILL');
    expect(run.lines).toEqual(['calling 1', 'returned 1', 'calling 2']);
    expect(run.stderr).toContain('CODEX_KILL_AT: killed after invocation 2 of health');
  });

  it('leaves other functions and an unarmed process alone', () => {
    expect(runWith('finalizeOrder:after:1')).toMatchObject({
      signal: null,
      lines: ['calling 1', 'returned 1', 'calling 2', 'returned 2', 'calling 3', 'returned 3'],
    });
  });
});

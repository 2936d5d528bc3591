// CODEX_CONTAINERS=isolated with emulated AWS round trips: concurrent v2 orders on one wallet run in separate
// containers (processes that share no memory, so the wallet's per-process queue cannot line them up) and meet only in
// DynamoDB, where the wallet's sequence condition decides. The money stays exact: a wallet funded for fewer orders than
// asked accepts exactly that many, each charged once, and its balance is the sum of its ledger.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerReport } from '../../local/containers.js';
import { seedReseller } from '../../local/seed.js';
import { startStackProcess } from '../../local/stack-process.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { ZERO, addMoney, negate, parseMoney, subtractMoney } from '../../lambdas/shared/money.js';

let stack: LocalStack;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codex-containers-'));
  stack = await startLocalStack({
    port: 0,
    containers: 'isolated',
    awsLatency: { readMs: 4, writeMs: 15 },
    demoFile: join(workDir, 'demo.json'),
    // Orders stay with the provider for the whole test: only placing them moves money.
    providerSpeed: 0.001,
    logLevel: 'ERROR',
  });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const v2 = async (apiKey: string, fields: Record<string, string>) =>
  (await fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key: apiKey, ...fields }) })).json() as Promise<Record<string, unknown>>;

const containersReport = async () =>
  (await (await fetch(`${stack.apiBase}/_local/containers`)).json()) as { mode: string; stackPid: number; containers: ContainerReport[] };

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('isolated containers', () => {
  it('say so in the demo file, with the emulated round trips', () => {
    const demo = JSON.parse(readFileSync(join(workDir, 'demo.json'), 'utf8'));
    expect(demo.containers).toBe('isolated');
    expect(demo.awsLatencyMs).toEqual({ read: 4, write: 15 });
  });

  it('take concurrent orders on one wallet in separate processes, accepting exactly what the balance covers, each charged once', async () => {
    // 100 units of service 1 cost 0.09: the wallet covers 4 of the 6 orders sent at once.
    const reseller = await seedReseller(stack.deps, { id: 'busy-reseller', email: 'busy@codex.local', walletId: 'wallet-busy', deposit: '0.36' });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => v2(reseller.apiKey, { action: 'add', service: '1', link: `https://youtube.com/watch?v=busy${i}`, quantity: '100' })),
    );
    const accepted = answers.filter((answer) => typeof answer.order === 'number').map((answer) => answer.order as number);
    expect(accepted).toHaveLength(4);
    expect(new Set(accepted).size).toBe(4);
    expect(answers.filter((answer) => !('order' in answer))).toEqual([{ error: 'Not enough funds on balance' }, { error: 'Not enough funds on balance' }]);

    expect(await v2(reseller.apiKey, { action: 'balance' })).toEqual({ balance: '0.00000', currency: 'USD' });
    const ledger = await stack.deps.wallets.listLedger(reseller.walletId);
    const charges = ledger.filter((entry) => entry.kind === 'order_charge');
    expect(charges.map((entry) => entry.amount)).toEqual(Array(4).fill(negate(parseMoney('0.09'))));
    expect(charges.map((entry) => entry.reference).sort()).toEqual(accepted.map((id) => `order:${id}`).sort());
    expect(ledger.reduce((sum, entry) => addMoney(sum, entry.amount), ZERO)).toBe((await stack.deps.wallets.getWallet(reseller.walletId))!.balance);
    expect(ledger.map((entry) => entry.seq)).toEqual(ledger.map((_, i) => i + 1));

    const report = await containersReport();
    expect(report.mode).toBe('isolated');
    const resellerApi = report.containers.filter((container) => container.function === 'resellerApi');
    // The six requests arrived while the first container was still starting: more than one took them.
    expect(resellerApi.length).toBeGreaterThan(1);
    expect(resellerApi.reduce((sum, container) => sum + container.invocations, 0)).toBe(7);
    const pids = report.containers.map((container) => container.pid);
    expect(new Set(pids).size).toBe(pids.length);
    expect(pids).not.toContain(report.stackPid);
    // Twelve or more processes start at once here (authorizer, handler, workflow steps): slow on a small machine.
  }, 180_000);

  it('end with the stack', async () => {
    const pids = (await containersReport()).containers.map((container) => container.pid);
    expect(pids.length).toBeGreaterThan(0);
    await stack.stop();
    expect(pids.filter(isRunning)).toEqual([]);
  });
});

describe('isolated containers on the in-memory engine (CODEX_STORE=memory)', () => {
  it('reach the table in the stack by message: an order is charged once and completes', async () => {
    const memory = await startLocalStack({ port: 0, store: 'memory', containers: 'isolated', providerSpeed: 20, pollEveryMs: 300, logLevel: 'ERROR' });
    try {
      const call = async (fields: Record<string, string>) =>
        (await fetch(memory.v2Url, { method: 'POST', body: new URLSearchParams({ key: memory.reseller.apiKey, ...fields }) })).json() as Promise<
          Record<string, unknown>
        >;
      const before = parseMoney((await call({ action: 'balance' })).balance as string);
      const placed = await call({ action: 'add', service: '1', link: 'https://youtube.com/watch?v=memory-isolated', quantity: '1000' });
      expect(placed).toEqual({ order: expect.any(Number) });
      expect(parseMoney((await call({ action: 'balance' })).balance as string)).toBe(subtractMoney(before, parseMoney('0.90')));
      for (;;) {
        const status = await call({ action: 'status', order: String(placed.order) });
        if (status.status === 'Completed') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const ledger = await memory.deps.wallets.listLedger(memory.reseller.walletId);
      expect(ledger.filter((entry) => entry.reference === `order:${placed.order}`).map((entry) => entry.amount)).toEqual([negate(parseMoney('0.90'))]);
      const functions = new Set(memory.containers!.report().map((container) => container.function));
      // The whole order ran in containers: the API, the workflow's steps and the stream readers.
      expect([...functions]).toEqual(expect.arrayContaining(['resellerApi', 'submitOrder', 'finalizeOrder', 'startOrderWorkflow']));
    } finally {
      await memory.stop();
    }
  }, 180_000);
});

describe('CODEX_CONTAINERS=isolated npm start', () => {
  it('answers from containers of its own, says how it runs in the demo file, and leaves no container behind on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codex-containers-start-'));
    const running = await startStackProcess({ workDir: dir, env: { CODEX_STORE: 'memory', CODEX_CONTAINERS: 'isolated', CODEX_AWS_LATENCY_MS: '1,2' } });
    try {
      expect(running.demo.containers).toBe('isolated');
      expect(running.demo.awsLatencyMs).toEqual({ read: 1, write: 2 });
      const balance = await fetch(running.demo.v2Url, { method: 'POST', body: new URLSearchParams({ key: running.demo.reseller.apiKey, action: 'balance' }) });
      expect(await balance.json()).toEqual({ balance: expect.any(String), currency: 'USD' });
      const report = (await (await fetch(`${running.demo.apiBase}/_local/containers`)).json()) as { stackPid: number; containers: ContainerReport[] };
      expect(report.stackPid).toBe(running.child.pid);
      const pids = report.containers.map((container) => container.pid);
      expect(report.containers.filter((container) => container.function === 'resellerApi')).toHaveLength(1);
      expect(pids).not.toContain(report.stackPid);
      expect(await running.stop('SIGINT')).toBe(0);
      expect(pids.filter(isRunning)).toEqual([]);
    } finally {
      await running.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

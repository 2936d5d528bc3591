// Stopping the stack in the middle of orders and starting it again on the same data finishes every open order
// exactly once: nothing lost, nothing submitted twice, nothing charged or refunded twice.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { DynamoWalletStore } from '../../lambdas/adapters/dynamodb/wallet-store.js';
import { micros } from '../../lambdas/shared/money.js';
import { REPO_ROOT } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { startStackProcess, v2 } from '../support/local-process.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-restart-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('restarting on the same data', () => {
  it('finishes every open order exactly once', async () => {
    const dataDir = join(workDir, 'data');
    const first = await startStackProcess({ workDir, persistDir: dataDir, env: { CODEX_PROVIDER_SPEED: '2' } });
    const key = first.demo.reseller.apiKey;
    const links = ['normal-1', 'normal-2', 'p&codex-test=partial', 'c&codex-test=cancel', 'f&codex-test=flaky', 'x&codex-test=fail', 'normal-3', 'normal-4'];
    const ids: number[] = [];
    for (const link of links) {
      const { body } = await v2(first.demo.v2Url, { key, action: 'add', service: 1, link: `https://youtube.com/watch?v=${link}`, quantity: 1000 });
      expect(body.order, JSON.stringify(body)).toBeDefined();
      ids.push(body.order);
    }
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await first.stop('SIGINT')).toBe(0);

    const second = await startStackProcess({ workDir, persistDir: dataDir, env: { CODEX_PROVIDER_SPEED: '10' } });
    try {
      expect(second.demo.reseller.apiKey).toBe(key);
      const statuses = await eventually(
        async () => {
          const { body } = await v2(second.demo.v2Url, { key, action: 'status', orders: ids.join(',') });
          const all = ids.map((id) => body[String(id)]?.status);
          return all.every((s) => s === 'Completed' || s === 'Partial' || s === 'Canceled') ? all : undefined;
        },
        60_000,
        300,
      );
      expect(statuses).toEqual(['Completed', 'Completed', 'Partial', 'Canceled', 'Completed', 'Canceled', 'Completed', 'Completed']);

      // Exactly one upstream order per Codex order that reached the provider.
      const providerState = JSON.parse(readFileSync(join(dataDir, 'demo-provider.json'), 'utf8')) as { orders: Record<string, { requestId?: string }> };
      const upstreamIds = Object.values(providerState.orders).map((o) => o.requestId);
      for (const id of ids.filter((_, i) => !links[i]!.includes('fail'))) expect(upstreamIds.filter((r) => r === `codex-${id}`)).toHaveLength(1);

      // Exactly one charge per order, at most one refund, and the ledger sums to the balance.
      const wallets = new DynamoWalletStore(createDocumentClient({ region: 'us-east-1', endpoint: second.demo.dynamoEndpoint }), 'codex');
      const ledger = await wallets.listLedger('wallet-demo-reseller');
      for (const id of ids) {
        expect(
          ledger.filter((e) => e.reference === `order:${id}` && e.kind === 'order_charge'),
          `charges of ${id}`,
        ).toHaveLength(1);
        expect(ledger.filter((e) => e.reference === `order:${id}` && e.kind === 'order_refund').length, `refunds of ${id}`).toBeLessThanOrEqual(1);
      }
      const wallet = await wallets.getWallet('wallet-demo-reseller');
      expect(micros(ledger.reduce((sum, e) => sum + e.amount, 0))).toBe(wallet!.balance);
      expect(ledger.filter((e) => e.kind === 'deposit')).toHaveLength(1);
    } finally {
      await second.stop('SIGINT');
    }
  });
});

describe('starting without Java', () => {
  it('says in one line what to install', () => {
    const bin = join(workDir, 'bin-without-java');
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, 'node'));
    const result = spawnSync(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['local/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: bin, HOME: process.env.HOME ?? '/tmp', PORT: '0', CODEX_DEMO_FILE: join(workDir, 'nojava.json') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Java .*install/i);
  });
});

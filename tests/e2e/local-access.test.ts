// Lifting a lockout on the local stack with one command, as README says: `npm run access -- unblock <ip>` and
// `npm run access -- reactivate <key>`, against a running stack found through its demo file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { postFrom } from '../support/post-from.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';

let stack: LocalStack;
let workDir: string;
let demoFile: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codex-access-'));
  demoFile = join(workDir, 'demo.json');
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 500, demoFile });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

async function access(...args: string[]): Promise<{ code: number; out: string }> {
  const run = promisify(execFile);
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'access', '--', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, CODEX_DEMO_FILE: demoFile },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

/** A balance request from a loopback address of its own, so blocking it leaves the rest of the suite alone. */
async function balance(key: string, localAddress: string): Promise<{ error?: string; balance?: string }> {
  return (await postFrom(stack.v2Url, new URLSearchParams({ key, action: 'balance' }).toString(), 'application/x-www-form-urlencoded', localAddress)).body;
}

/** Counts per clock minute: a burst straddling a minute boundary would be counted in two windows. */
async function startOfAMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
}

describe('npm run access', () => {
  it('unblock <ip> lets a blocked address in again within seconds', async () => {
    const key = stack.reseller.apiKey;
    const address = '127.0.0.77';
    await startOfAMinute();
    let answer = '';
    for (let i = 0; i < 25 && !answer.includes('blocked until'); i++) answer = (await balance(`cdx_guess${i}${'x'.repeat(32)}`, address)).error ?? '';
    expect(answer).toMatch(/^Too many invalid API keys from your address; blocked until \S+Z$/);
    expect((await balance(key, address)).error).toBe(answer);
    expect((await access('list')).out).toContain(`blocked   ${address} until`);

    const unblocked = await access('unblock', address);
    expect(unblocked).toEqual({
      code: 0,
      out: expect.stringMatching(
        new RegExp(`^Unblocked ${address.replace(/\./g, '\\.')} \\(it was blocked until .+\\); the stack lets it in within 10 seconds\\.\\n$`),
      ),
    });
    await eventually(async () => ((await balance(key, address)).balance !== undefined ? true : undefined), 15_000, 500);
    // Its count of bad keys went with the block: one more does not block it again.
    expect((await balance('cdx_one_more_guess_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', address)).error).toBe('Invalid API key');
    expect((await balance(key, address)).balance).toEqual(expect.any(String));
  }, 60_000);

  it('reactivate <key prefix> lets a suspended key in again within seconds', async () => {
    const { key, record } = await stack.deps.keyManagement.createApiKey(stack.reseller.id, stack.reseller.walletId, { label: 'to suspend' });
    await startOfAMinute();
    const bad = () =>
      fetch(stack.v2Url, { method: 'POST', body: new URLSearchParams({ key, action: 'add', service: '999', link: 'https://youtube.com/x', quantity: '1' }) });
    for (let i = 0; i < 60; i++) await bad();
    expect(await balance(key, '127.0.0.1')).toEqual({ error: 'API key suspended' });
    expect((await access('list')).out).toContain(`suspended ${record.prefix}… (${record.keyId}`);

    const reactivated = await access('reactivate', record.prefix);
    expect(reactivated).toEqual({
      code: 0,
      out: `Reactivated ${record.prefix}… (${record.keyId}, owner ${stack.reseller.id}); the stack accepts it within 10 seconds.\n`,
    });
    await eventually(async () => ((await balance(key, '127.0.0.1')).balance !== undefined ? true : undefined), 15_000, 500);
    // A fresh minute of bad requests for it: one more does not suspend it again.
    await bad();
    expect((await balance(key, '127.0.0.1')).balance).toEqual(expect.any(String));
  }, 60_000);

  it('says what it needs when the arguments or the stack are missing', async () => {
    expect(await access()).toEqual({ code: 2, out: 'usage: npm run access -- unblock <ip> | reactivate <key id, prefix or key> | list\n' });
    const elsewhere = { ...process.env, CODEX_DEMO_FILE: join(workDir, 'absent.json') };
    const run = promisify(execFile);
    const failure = await run('npm', ['run', '--silent', 'access', '--', 'list'], { cwd: REPO_ROOT, env: elsewhere }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('absent.json not found: start the local stack with npm start first') });
  });
});

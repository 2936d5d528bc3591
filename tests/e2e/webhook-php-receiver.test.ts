// The PHP verification snippet of docs/webhooks.md, run as it is written by PHP's own server, accepts what Codex signs
// and refuses what it did not sign: a reseller can paste it and trust it.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, unixSeconds } from '../../lambdas/notifications/domain/webhooks.js';
import { freePort, REPO_ROOT } from '../../local/stack.js';

const hasPhp = spawnSync('php', ['--version']).status === 0;
if (!hasPhp && process.env.CODEX_REQUIRE_PHP) throw new Error('php is required (CODEX_REQUIRE_PHP is set) but not installed');

/** The first ```php block after a heading, exactly as the docs show it. */
function phpSnippet(heading: string): string {
  const doc = readFileSync(join(REPO_ROOT, 'docs/webhooks.md'), 'utf8');
  const after = doc.slice(doc.indexOf(heading));
  const block = /```php\n([\s\S]*?)```/.exec(after)?.[1];
  if (!block) throw new Error(`no php block after "${heading}" in docs/webhooks.md`);
  return block;
}

describe.skipIf(!hasPhp)('the PHP verification snippet of docs/webhooks.md', () => {
  const secret = generateWebhookSecret();
  let dir: string;
  let server: ChildProcess;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'codex-php-receiver-'));
    // The snippet answers 204 for a valid delivery; the line appended after it records what it accepted.
    writeFileSync(join(dir, 'index.php'), `${phpSnippet('### PHP, by hand')}\nfile_put_contents(__DIR__ . '/accepted.json', $body);\n`);
    const port = await freePort();
    server = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', dir], { env: { ...process.env, CODEX_WEBHOOK_SECRET: secret }, stdio: 'ignore' });
    url = `http://127.0.0.1:${port}/index.php`;
    for (let i = 0; i < 50; i++) {
      if (
        await fetch(url, { method: 'POST' }).then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('php -S did not start');
  });
  afterAll(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status);

  it('accepts a delivery signed as Codex signs it, by either secret during a rotation', async () => {
    const body = JSON.stringify({
      id: 'evt_php_1',
      type: 'order.completed',
      createdAt: new Date().toISOString(),
      data: { order: { id: 7, link: 'https://x/é' } },
    });
    const headers = signWebhook({ id: 'evt_php_1', timestamp: unixSeconds(new Date()), body }, [generateWebhookSecret(), secret]);
    expect(await post(body, headers)).toBe(204);
    expect(JSON.parse(readFileSync(join(dir, 'accepted.json'), 'utf8'))).toMatchObject({ id: 'evt_php_1' });
  });

  it('refuses a changed body, another secret, and a timestamp more than five minutes old', async () => {
    const body = JSON.stringify({ id: 'evt_php_2', type: 'order.completed' });
    const now = unixSeconds(new Date());
    const signed = signWebhook({ id: 'evt_php_2', timestamp: now, body }, [secret]);
    expect(await post(body.replace('completed', 'canceled'), signed)).toBe(400);
    expect(await post(body, signWebhook({ id: 'evt_php_2', timestamp: now, body }, [generateWebhookSecret()]))).toBe(400);
    expect(await post(body, signWebhook({ id: 'evt_php_2', timestamp: now - 301, body }, [secret]))).toBe(400);
    expect(await post(body, {})).toBe(400);
  });
});

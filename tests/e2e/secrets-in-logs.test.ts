// No key ever reaches a log line: the stack runs with debug logging while keys travel every way a client sends
// them, right and wrong, and through provider errors; then every captured line is searched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_DEMO_GATEWAY_SECRET } from '../../local/stack.js';
import { startStackProcess, v2 } from '../support/local-process.js';

describe('logs', () => {
  it('never contain an API key, a provider key, a password or a token', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'codex-logs-'));
    const stack = await startStackProcess({ workDir, env: { LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'DEBUG' } });
    const key = stack.demo.reseller.apiKey;
    const wrongKey = `cdx_${'W'.repeat(40)}`;
    const password = 'logs are no place 4 this';
    const secrets: string[] = [];
    try {
      // The REST API v1: a password, an emailed token, access and refresh tokens, a cabinet key, the demo gateway.
      const v1 = stack.demo.v1Url;
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(`${v1}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      const email = 'logs@example.com';
      await post('/auth/register', { email, password });
      await post('/auth/register', { email: 'weak@example.com', password: 'short' });
      const [mail] = (await (await fetch(`${stack.demo.outboxUrl}?to=${email}`)).json()) as { token: string }[];
      await post('/auth/verify-email', { token: mail!.token });
      await post('/auth/verify-email', { token: mail!.token });
      await post('/auth/login', { email, password: `${password}!` });
      const tokens = (await (await post('/auth/login', { email, password })).json()) as { accessToken: string; refreshToken: string };
      const next = (await (await post('/auth/refresh', { refreshToken: tokens.refreshToken })).json()) as { accessToken: string; refreshToken: string };
      const bearer = { authorization: `Bearer ${next.accessToken}` };
      const created = (await (await post('/api-keys', { label: 'logs' }, bearer)).json()) as { key?: string };
      await fetch(`${v1}/me`, { headers: bearer });
      // A spent refresh token again: the session ends.
      await post('/auth/refresh', { refreshToken: tokens.refreshToken });
      await fetch(`${v1}/me`, { headers: { authorization: `Bearer ${next.accessToken.slice(0, -4)}AAAA` } });
      await fetch(`${v1}/balance`, { headers: { authorization: `ApiKey ${key}` } });
      await fetch(`${v1}/balance`, { headers: { 'x-api-key': wrongKey } });
      const topUp = (await (await post('/top-ups', { amount: '5.00', method: 'demo' }, { authorization: `ApiKey ${key}` })).json()) as { checkoutUrl: string };
      await fetch(`${topUp.checkoutUrl}/pay`, { method: 'POST' });
      await post('/auth/forgot-password', { email });
      // The reset email, not a notification email (the top-up's, the key's) that may have arrived after it.
      const reset = ((await (await fetch(`${stack.demo.outboxUrl}?to=${email}`)).json()) as { subject: string; token: string }[]).find((m) =>
        m.subject.startsWith('Reset'),
      );
      await post('/auth/reset-password', { token: reset?.token ?? 'none', password: `${password} again` });
      secrets.push(password, `${password} again`, mail!.token, tokens.accessToken, tokens.refreshToken, next.accessToken, next.refreshToken);
      if (created.key) secrets.push(created.key, created.key.slice(4));
      if (reset?.token) secrets.push(reset.token);
      // Every secret above was really obtained, or the test would prove little.
      expect(secrets.filter((secret) => secret.length >= 16)).toHaveLength(10);

      const url = stack.demo.v2Url;
      await v2(url, { key, action: 'services' });
      const { body } = await v2(url, { key, action: 'add', service: 1, link: 'https://youtube.com/watch?v=logs&codex-test=fail', quantity: 100 });
      await v2(url, { key, action: 'add', service: 1, link: 'https://youtube.com/watch?v=logs2', quantity: 100 });
      await v2(url, { key, action: 'add', service: 999, link: 'bad link', quantity: 1 });
      await v2(url, { key, action: 'status', order: body.order });
      await v2(url, { key: wrongKey, action: 'balance' });
      await fetch(url, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'balance' }) });
      await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${wrongKey}` }, body: 'action=balance' });
      await fetch(`${url}?key=${key}&action=balance`);
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"key":"${key}", broken` });
      await new Promise((r) => setTimeout(r, 3_000));
    } finally {
      await stack.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
    const output = stack.output();
    expect(output.length).toBeGreaterThan(500);
    expect(output).toContain('"message":"order accepted"');
    expect(output).toContain('"message":"request refused"');
    for (const secret of [key, key.slice(4), wrongKey, wrongKey.slice(4), 'demo-provider-key', LOCAL_DEMO_GATEWAY_SECRET, ...secrets]) {
      expect(output).not.toContain(secret);
    }
  });
});

// No key ever reaches a log line: the stack runs with debug logging while keys travel every way a client sends
// them, right and wrong, and through provider errors; then every captured line is searched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStackProcess, v2 } from '../support/local-process.js';

describe('logs', () => {
  it('never contain an API key or a provider key', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'codex-logs-'));
    const stack = await startStackProcess({ workDir, env: { LOG_LEVEL: 'DEBUG', POWERTOOLS_LOG_LEVEL: 'DEBUG' } });
    const key = stack.demo.reseller.apiKey;
    const wrongKey = `cdx_${'W'.repeat(40)}`;
    try {
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
    for (const secret of [key, key.slice(4), wrongKey, wrongKey.slice(4), 'demo-provider-key']) expect(output).not.toContain(secret);
  });
});

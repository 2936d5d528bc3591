// What the local stack keeps for accounts across a restart with a data folder: the demo customer and the demo file,
// the signing keys (so sessions survive), and the outbox.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-accounts-restart-'));
const dataDir = join(workDir, 'data');
const demoFile = join(workDir, 'demo.json');

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const post = async (url: string, body: unknown, token?: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

describe('the local stack across a restart', () => {
  it('keeps the demo customer, its sessions and the outbox, and writes the accounts links into the demo file', async () => {
    const first = await startLocalStack({ port: 0, dataDir, demoFile });
    let tokens: { accessToken: string; refreshToken: string };
    try {
      const demo = JSON.parse(readFileSync(demoFile, 'utf8'));
      expect(demo).toMatchObject({
        v1Url: `${first.apiBase}/api/v1`,
        outboxUrl: `${first.apiBase}/_local/outbox`,
        customer: { email: 'customer@codex.local', password: expect.any(String) },
      });
      const login = await post(`${demo.v1Url}/auth/login`, demo.customer);
      expect(login.status).toBe(200);
      tokens = login.body;
      await post(`${demo.v1Url}/auth/forgot-password`, { email: demo.customer.email });
    } finally {
      await first.stop();
    }

    const second = await startLocalStack({ port: 0, dataDir, demoFile });
    try {
      const demo = JSON.parse(readFileSync(demoFile, 'utf8'));
      const me = await fetch(`${demo.v1Url}/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ email: 'customer@codex.local', emailVerified: true });
      expect((await post(`${demo.v1Url}/auth/refresh`, { refreshToken: tokens.refreshToken })).status).toBe(200);
      const mails = (await (await fetch(`${demo.outboxUrl}?to=customer@codex.local`)).json()) as { subject: string }[];
      expect(mails[0]?.subject).toContain('Reset');
      expect((await post(`${demo.v1Url}/auth/login`, demo.customer)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});

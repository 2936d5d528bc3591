// Who may call the reseller API, how often, from where, and what happens to abuse: over HTTP against the local stack.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { captureOutput, dropEmfOutput, metricsOf } from '../support/emf.js';
import { v2 } from '../support/local-process.js';

let stack: LocalStack;
// Metrics are printed for the one test that reads them (captureOutput); the others' stay out of the run's output.
let restoreOutput: () => void = () => undefined;

beforeAll(async () => {
  restoreOutput = dropEmfOutput();
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 500, printMetrics: true });
});

afterAll(async () => {
  await stack?.stop();
  restoreOutput();
});

const newKey = async (options: Parameters<LocalStack['deps']['keyManagement']['createApiKey']>[2] = {}) =>
  stack.deps.keyManagement.createApiKey(stack.reseller.id, stack.reseller.walletId, { label: 'test', ...options });
const balance = (key: string) => v2(stack.v2Url, { key, action: 'balance' });

/** Limits count per clock minute: a burst that straddles a minute boundary would be counted in two windows. */
async function startOfAMinute(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 100));
}

describe('keys', () => {
  it('are shown whole once, listed by prefix only, and work at once', async () => {
    const { key, record } = await newKey({ label: 'panel A' });
    expect((await balance(key)).body).toMatchObject({ currency: 'USD' });
    const listed = await stack.deps.keyManagement.listApiKeys(stack.reseller.id);
    const mine = listed.find((k) => k.keyId === record.keyId)!;
    expect(mine).toMatchObject({ label: 'panel A', status: 'active' });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(key.startsWith(mine.prefix)).toBe(true);
  });

  it('stop working as soon as they are revoked', async () => {
    const { key, record } = await newKey();
    expect((await balance(key)).body.error).toBeUndefined();
    await stack.deps.keyManagement.revokeApiKey(stack.reseller.id, record.keyId);
    expect((await balance(key)).body).toEqual({ error: 'Invalid API key' });
  });

  it('answer only from allowed addresses, single or CIDR, IPv4 or IPv6', async () => {
    const elsewhere = await newKey({ allowedIps: ['10.0.0.0/8', '2001:db8::/32'] });
    expect((await balance(elsewhere.key)).body).toEqual({ error: 'IP not allowed' });
    const here = await newKey({ allowedIps: ['10.1.2.3', '127.0.0.0/8'] });
    expect((await balance(here.key)).body).toMatchObject({ currency: 'USD' });
    await stack.deps.keyManagement.setIpAllowList(stack.reseller.id, here.record.keyId, ['192.0.2.1']);
    expect((await balance(here.key)).body).toEqual({ error: 'IP not allowed' });
  });
});

describe('limits', () => {
  it("answer Too many requests past the key's requests per minute", async () => {
    const { key } = await newKey({ limits: { requestsPerMinute: 5 } });
    await startOfAMinute();
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push((await balance(key)).body);
    expect(answers.slice(0, 5).every((a) => a.currency === 'USD')).toBe(true);
    expect(answers.slice(5)).toEqual([{ error: 'Too many requests' }, { error: 'Too many requests' }]);
  });

  it("stop orders past the key's daily quota, and charge nothing for the refused one", async () => {
    const { key } = await newKey({ limits: { dailyOrderQuota: 2 } });
    const add = () => v2(stack.v2Url, { key, action: 'add', service: 1, link: 'https://youtube.com/watch?v=quota', quantity: 100 });
    // Refused attempts do not use up the quota.
    for (let i = 0; i < 3; i++)
      expect((await v2(stack.v2Url, { key, action: 'add', service: 1, link: 'https://youtube.com/watch?v=quota', quantity: 1 })).body.error).toMatch(/minimal/);
    expect((await add()).body.order).toEqual(expect.any(Number));
    expect((await add()).body.order).toEqual(expect.any(Number));
    const before = (await balance(key)).body.balance;
    const { result: refused, emf } = await captureOutput(add);
    expect(refused.body).toEqual({ error: 'Daily order limit reached' });
    expect((await balance(key)).body.balance).toBe(before);
    // Operators see it as a refused order and as a key over its limit.
    const seen = metricsOf(emf).filter((metric) => ['OrdersRefused', 'ApiKeyBlocks', 'OrdersAccepted'].includes(metric.name));
    expect(seen.map((metric) => [metric.name, metric.dimensions.reason])).toEqual([
      ['ApiKeyBlocks', undefined],
      ['OrdersRefused', 'daily_order_limit'],
    ]);
  });
});

describe('abuse', () => {
  it('suspends a key that sends a burst of invalid requests, and records why', async () => {
    const { key, record } = await newKey();
    await startOfAMinute();
    for (let i = 0; i < 60; i++) await v2(stack.v2Url, { key, action: 'add', service: 999, link: 'x', quantity: 1 });
    expect((await balance(key)).body).toEqual({ error: 'API key suspended' });
    const day = new Date().toISOString().slice(0, 10);
    const { Items } = await stack.deps.db.send(
      new QueryCommand({ TableName: 'codex', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `AUDIT#${day}` } }),
    );
    expect(Items!.some((item) => item.action === 'api_key.suspended' && item.subject === record.keyId && item.actor === 'system')).toBe(true);
  });

  it('blocks an address that guesses keys, even for a valid key, without telling it which keys exist', async () => {
    const { key } = await newKey();
    await startOfAMinute();
    const answers: string[] = [];
    const blocked = /^Too many invalid API keys from your address; blocked until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/;
    for (let i = 0; i < 25 && !blocked.test(answers.at(-1) ?? ''); i++) answers.push((await balance(`cdx_guess${i}${'x'.repeat(32)}`)).body.error);
    // Up to 20 invalid keys a minute (the revoked key above counted too), then the address is blocked, and told
    // until when: about 15 minutes from now, and not in the rate limit's words.
    expect(answers.length).toBeLessThanOrEqual(21);
    expect(answers.slice(0, -1).every((a) => a === 'Invalid API key')).toBe(true);
    expect(answers.at(-1)).toMatch(blocked);
    expect(answers.at(-1)).not.toContain('Too many requests');
    const until = Date.parse(blocked.exec(answers.at(-1)!)![1]!);
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1_000);
    expect((await balance(key)).body).toEqual({ error: answers.at(-1) });
  });
});

// The answers of every action checked against the canonical SMM panel API v2 shapes (../shared/REFERENCE.md §1):
// strict schemas, so an extra, missing or mistyped field fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { v2 } from '../support/local-process.js';

const money = z.string().regex(/^-?\d+\.\d{5,6}$/);
const count = z.string().regex(/^-?\d+$/);
const error = z.object({ error: z.string().min(1) }).strict();
const Service = z
  .object({
    service: z.number().int(),
    name: z.string(),
    type: z.string(),
    category: z.string(),
    rate: z.string().regex(/^\d+\.\d{2,6}$/),
    min: count,
    max: count,
    refill: z.boolean(),
    cancel: z.boolean(),
    dripfeed: z.boolean(),
    desc: z.string().optional(),
  })
  .strict();
const Status = z
  .object({
    charge: money,
    start_count: count,
    status: z.enum(['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled']),
    remains: count,
    currency: z.literal('USD'),
  })
  .strict();

let stack: LocalStack;
let key: string;
const call = async (fields: Record<string, string | number>) => (await v2(stack.v2Url, { key, ...fields })).body;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0, providerSpeed: 20, pollEveryMs: 200 });
  key = (await stack.deps.keyManagement.createApiKey(stack.reseller.id, stack.reseller.walletId, { limits: { requestsPerMinute: 10_000 } })).key;
});

afterAll(async () => {
  await stack?.stop();
});

describe('v2 answers match the canonical shapes', () => {
  it('services, add, status, multi-status, balance', async () => {
    z.array(Service)
      .min(1)
      .parse(await call({ action: 'services' }));
    const { order } = z
      .object({ order: z.number().int().positive() })
      .strict()
      .parse(await call({ action: 'add', service: 2, link: 'https://instagram.com/p/contract', quantity: 100 }));
    Status.parse(await call({ action: 'status', order }));
    const multi = await call({ action: 'status', orders: `${order},5,x` });
    z.object({ [String(order)]: Status, '5': error, x: error })
      .strict()
      .parse(multi);
    z.object({ balance: money, currency: z.literal('USD') })
      .strict()
      .parse(await call({ action: 'balance' }));
  });

  it('cancel, refill and refill_status, single and multi', async () => {
    const { order } = await call({ action: 'add', service: 2, link: 'https://instagram.com/p/contract-refill', quantity: 100 });
    await eventually(async () => ((await call({ action: 'status', order })).status === 'Completed' ? true : undefined), 20_000, 200);
    const { refill } = z
      .object({ refill: z.string().regex(/^\d+$/) })
      .strict()
      .parse(await call({ action: 'refill', order }));
    z.object({ status: z.enum(['Pending', 'In progress', 'Completed', 'Rejected']) })
      .strict()
      .parse(await call({ action: 'refill_status', refill }));
    z.array(z.union([z.object({ order: z.number(), refill: z.number() }).strict(), z.object({ order: z.number(), refill: error }).strict()]))
      .length(2)
      .parse(await call({ action: 'refill', orders: `${order},5` }));
    z.array(z.union([z.object({ refill: z.number(), status: z.string() }).strict(), z.object({ refill: z.number(), status: error }).strict()]))
      .length(2)
      .parse(await call({ action: 'refill_status', refills: `${refill},5` }));
    const { order: fresh } = await call({ action: 'add', service: 2, link: 'https://instagram.com/p/contract-cancel?codex-test=slow', quantity: 100 });
    const cancel = z
      .array(z.object({ order: z.number(), cancel: z.union([z.literal(1), error]) }).strict())
      .length(2)
      .parse(await call({ action: 'cancel', orders: `${fresh},5` }));
    expect(cancel[1]!.cancel).toEqual({ error: 'Incorrect order ID' });
  });

  it('errors: always HTTP 200 and exactly {"error": "..."}', async () => {
    const refused: Record<string, string | number>[] = [
      { action: 'add', service: 99999, link: 'https://x.com/a', quantity: 100 },
      { action: 'status', order: 1 },
      { action: 'nope' },
      { action: 'refill_status', refill: 999999 },
    ];
    for (const fields of refused) {
      const { status, body } = await v2(stack.v2Url, { key, ...fields });
      expect(status).toBe(200);
      error.parse(body);
    }
    error.parse((await v2(stack.v2Url, { key: 'cdx_nope', action: 'balance' })).body);
  });
});

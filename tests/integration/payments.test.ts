// Money in on DynamoDB Local: Cryptomus callbacks from crafted fixtures (tests/fixtures/cryptomus), confirmed with a
// fake Cryptomus API, and the demo gateway. Whatever arrives, a top-up credits its wallet once or not at all.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CryptomusGateway } from '../../lambdas/adapters/cryptomus/cryptomus-gateway.js';
import { encodePhpJson, parsePhpJson } from '../../lambdas/adapters/cryptomus/php-json.js';
import { cryptomusSign } from '../../lambdas/adapters/cryptomus/signature.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { DynamoTopUpStore } from '../../lambdas/adapters/dynamodb/top-up-store.js';
import { bodyPrefix, handleCallback } from '../../lambdas/payments/application/handle-callback.js';
import { createTopUp, getTopUp, listTopUps, type TopUpDeps } from '../../lambdas/payments/application/top-ups.js';
import type { TopUp } from '../../lambdas/payments/domain/top-ups.js';
import { DemoGateway, signDemo } from '../../lambdas/payments/gateways/demo.js';
import type { PaymentGateway, PaymentGateways } from '../../lambdas/payments/ports.js';
import { formatMoney, parseMoney } from '../../lambdas/shared/money.js';
import { balanceAndLedger, createTestTable, type TestTable } from '../support/dynamo-table.js';
import { type FakeCryptomus, startFakeCryptomus } from '../support/fake-cryptomus.js';
import { RecordedMetrics } from '../support/recorded-metrics.js';

const KEY = 'codex-test-payment-key';
const MERCHANT = '8b03432e-385b-4670-8d06-064591096795';
const FIXTURES = join(import.meta.dirname, '../fixtures/cryptomus');
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.json`), 'utf8').trim();
const fixtureId = (n: number) => `tu_0194e5a6f000${n.toString(16).padStart(16, '0')}`;
const fixtureUuid = (n: number) => `7b6c1e2a-3f4d-4c5b-9a8e-${n.toString(16).padStart(12, '0')}`;

let table: TestTable;
let store: DynamoTopUpStore;
let fake: FakeCryptomus;
let deps: TopUpDeps;
const clock = { now: () => new Date() };
const links = { callbackUrl: (method: string) => `https://api.codex.test/api/v1/payments/${method}/callback` };

function gatewaysOf(list: PaymentGateway[]): PaymentGateways {
  return { offered: async () => list.map((g) => g.method), get: async (m) => list.find((g) => g.method === m) };
}

beforeAll(async () => {
  table = await createTestTable();
  store = new DynamoTopUpStore(table.db, table.tableName);
  fake = await startFakeCryptomus({ merchant: MERCHANT, paymentKey: KEY });
  const cryptomus = new CryptomusGateway({
    apiUrl: fake.url,
    timeoutMs: 3000,
    lifetimeSeconds: 3600,
    credentials: async () => ({ merchant: MERCHANT, paymentKey: KEY }),
  });
  deps = {
    store,
    gateways: gatewaysOf([cryptomus, new DemoGateway(async () => 'demo-secret', clock)]),
    wallets: table.wallets,
    clock,
    settings: { limits: { min: parseMoney('1.00'), max: parseMoney('10000.00') }, lifetimeSeconds: 3600 },
  };
});

afterAll(async () => {
  await fake?.close();
});

const callback = (body: string, method: 'cryptomus' | 'demo' = 'cryptomus', headers: Record<string, string> = {}) =>
  handleCallback({ store, gateways: deps.gateways, clock, metrics: new RecordedMetrics() }, method, body, headers);

/** A top-up with a fixture's fixed ids, its wallet, and its invoice at the fake Cryptomus in `status`. */
async function fixtureTopUp(n: number, { status = 'check', expired = false } = {}): Promise<TopUp> {
  const now = new Date();
  const walletId = `wallet-${n}-${now.getTime()}`;
  await table.wallets.openWallet({ id: walletId, ownerId: `owner-${n}`, currency: 'USD' }, now.toISOString());
  const topUp: TopUp = {
    id: fixtureId(n),
    ownerId: `owner-${n}`,
    walletId,
    amount: parseMoney('15.00'),
    currency: 'USD',
    method: 'cryptomus',
    status: 'pending',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + (expired ? -60_000 : 3_600_000)).toISOString(),
  };
  await store.create(topUp);
  await store.attachPayment(topUp, { gatewayPaymentId: fixtureUuid(n), checkoutUrl: `https://pay.cryptomus.test/pay/${n}` }, now.toISOString());
  fake.put({ uuid: fixtureUuid(n), order_id: topUp.id, amount: '15.00', currency: 'USD', status });
  return { ...topUp, gatewayPaymentId: fixtureUuid(n) };
}

const reread = async (topUp: TopUp) => (await store.get(topUp.ownerId, topUp.id))!;
const newItems = async (before: Record<string, unknown>[]) => {
  const seen = new Set(before.map((i) => `${i.pk}|${i.sk}`));
  return (await table.allItems()).filter((i) => !seen.has(`${i.pk}|${i.sk}`));
};
const deposits = async (walletId: string) => (await table.wallets.listLedger(walletId)).filter((e) => e.kind === 'deposit');

describe('starting a top-up', () => {
  it('creates a signed Cryptomus invoice for the top-up and answers its checkout URL; asking again reuses the invoice', async () => {
    await table.wallets.openWallet({ id: 'w-create', ownerId: 'u-create', currency: 'USD' }, new Date().toISOString());
    const topUp = await createTopUp(deps, { userId: 'u-create', walletId: 'w-create' }, { amount: '25.5', method: 'cryptomus' }, links);
    expect(topUp).toMatchObject({ status: 'pending', amount: parseMoney('25.50'), currency: 'USD', method: 'cryptomus' });
    expect(topUp.checkoutUrl).toBe(`https://pay.cryptomus.test/pay/${topUp.gatewayPaymentId}`);
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/v1/payment');
    expect(request.headers.merchant).toBe(MERCHANT);
    expect(request.headers.sign).toBe(cryptomusSign(request.body, KEY));
    expect(JSON.parse(request.body)).toEqual({
      amount: '25.50',
      currency: 'USD',
      order_id: topUp.id,
      url_callback: 'https://api.codex.test/api/v1/payments/cryptomus/callback',
      lifetime: 3600,
    });
    expect(await getTopUp(deps, { userId: 'u-create', walletId: 'w-create' }, topUp.id)).toMatchObject({ gatewayPaymentId: topUp.gatewayPaymentId });
    const again = await new CryptomusGateway({
      apiUrl: fake.url,
      timeoutMs: 3000,
      lifetimeSeconds: 3600,
      credentials: async () => ({ merchant: MERCHANT, paymentKey: KEY }),
    }).createPayment(topUp, links.callbackUrl('cryptomus'));
    expect(again.gatewayPaymentId).toBe(topUp.gatewayPaymentId);
  });

  it('refuses an amount under the minimum or over the maximum, or a method not offered, naming the field and writing nothing', async () => {
    await table.wallets.openWallet({ id: 'w-limits', ownerId: 'u-limits', currency: 'USD' }, new Date().toISOString());
    const before = await table.allItems();
    const customer = { userId: 'u-limits', walletId: 'w-limits' };
    await expect(createTopUp(deps, customer, { amount: '0.50', method: 'demo' }, links)).rejects.toMatchObject({ code: 'amount_too_small', field: 'amount' });
    await expect(createTopUp(deps, customer, { amount: '10000.01', method: 'demo' }, links)).rejects.toMatchObject({
      code: 'amount_too_large',
      field: 'amount',
    });
    await expect(createTopUp(deps, customer, { amount: '5.00', method: 'paypal' }, links)).rejects.toMatchObject({
      code: 'unknown_payment_method',
      field: 'method',
      message: expect.stringContaining('cryptomus, demo'),
    });
    expect(await newItems(before)).toEqual([]);
  });

  it('answers 503 and marks the top-up failed when the gateway refuses to create the payment', async () => {
    await table.wallets.openWallet({ id: 'w-down', ownerId: 'u-down', currency: 'USD' }, new Date().toISOString());
    const misconfigured = new CryptomusGateway({
      apiUrl: fake.url,
      timeoutMs: 3000,
      lifetimeSeconds: 3600,
      credentials: async () => ({ merchant: MERCHANT, paymentKey: 'wrong-key' }),
    });
    const down = { ...deps, gateways: gatewaysOf([misconfigured]) };
    await expect(createTopUp(down, { userId: 'u-down', walletId: 'w-down' }, { amount: '5.00', method: 'cryptomus' }, links)).rejects.toMatchObject({
      code: 'payment_gateway_unavailable',
    });
    const { items } = await listTopUps(deps, { userId: 'u-down', walletId: 'w-down' }, { limit: 10 });
    expect(items).toMatchObject([{ status: 'failed', gatewayStatus: 'not_created' }]);
    expect(JSON.stringify(items)).not.toContain('wrong-key');
  });

  it('lists only the owner’s top-ups, newest first, a page at a time without skipping or repeating; others’ ids are not found', async () => {
    await table.wallets.openWallet({ id: 'w-list', ownerId: 'u-list', currency: 'USD' }, new Date().toISOString());
    const customer = { userId: 'u-list', walletId: 'w-list' };
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await createTopUp(deps, customer, { amount: `${i + 1}.00`, method: 'demo' }, links)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listTopUps(deps, customer, { limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
    expect(await getTopUp(deps, { userId: 'u-create', walletId: 'w-create' }, made[0]!)).toBeUndefined();
  });
});

describe('Cryptomus callbacks', () => {
  it('credits a paid invoice once, as one deposit entry referencing the top-up, confirmed with payment/info first', async () => {
    const topUp = await fixtureTopUp(1, { status: 'paid' });
    fake.requests.length = 0;
    expect(await callback(fixture('paid'))).toEqual({ accepted: true, verdict: 'credited', topUpId: topUp.id });
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/payment/info']);
    expect(await reread(topUp)).toMatchObject({ status: 'paid', gatewayStatus: 'paid', creditedAt: expect.any(String) });
    const entries = await deposits(topUp.walletId);
    expect(entries).toMatchObject([{ kind: 'deposit', amount: parseMoney('15.00'), reference: `top-up:${topUp.id}` }]);
    const { balance, ledgerSum } = await balanceAndLedger(table, topUp.walletId);
    expect(balance).toBe(parseMoney('15.00'));
    expect(ledgerSum).toBe(balance);

    // The same callback again: recorded as a duplicate, nothing else.
    const before = await table.allItems();
    expect(await callback(fixture('paid'))).toMatchObject({ accepted: true, verdict: 'duplicate' });
    expect((await newItems(before)).map((i) => [i.entity, i.verdict])).toEqual([['payment-callback', 'duplicate']]);
  });

  it('credits the invoice amount for paid_over', async () => {
    const topUp = await fixtureTopUp(2, { status: 'paid_over' });
    expect(await callback(fixture('paid_over'))).toMatchObject({ verdict: 'credited' });
    expect((await balanceAndLedger(table, topUp.walletId)).balance).toBe(parseMoney('15.00'));
  });

  it('credits nothing for wrong_amount and puts the top-up in review', async () => {
    const topUp = await fixtureTopUp(3, { status: 'wrong_amount' });
    expect(await callback(fixture('wrong_amount'))).toMatchObject({ verdict: 'review' });
    expect(await reread(topUp)).toMatchObject({ status: 'review', gatewayStatus: 'wrong_amount' });
    expect(await deposits(topUp.walletId)).toEqual([]);
  });

  it('records each non-final status and changes nothing', async () => {
    const topUp = await fixtureTopUp(4);
    for (const status of ['wrong_amount_waiting', 'check', 'confirm_check', 'process']) {
      fake.setStatus(fixtureUuid(4), status);
      expect(await callback(fixture(status)), status).toMatchObject({ accepted: true, verdict: 'noted' });
    }
    expect(await reread(topUp)).toMatchObject({ status: 'pending' });
    expect(await deposits(topUp.walletId)).toEqual([]);
    const records = (await table.allItems()).filter((i) => i.pk === `TOPUP#${topUp.id}` && i.entity === 'payment-callback');
    expect(records.map((r) => r.status).sort()).toEqual(['check', 'confirm_check', 'process', 'wrong_amount_waiting']);
  });

  it('ends the top-up on cancel, fail and system_fail', async () => {
    const cases = [
      [5, 'cancel', 'cancelled'],
      [6, 'fail', 'failed'],
      [7, 'system_fail', 'failed'],
    ] as const;
    for (const [n, status, expected] of cases) {
      const topUp = await fixtureTopUp(n, { status });
      expect(await callback(fixture(status))).toMatchObject({ accepted: true, verdict: expected });
      expect(await reread(topUp)).toMatchObject({ status: expected });
      expect(await deposits(topUp.walletId)).toEqual([]);
    }
  });

  it('refuses forged and tampered callbacks, writing nothing but their record', async () => {
    const topUp = await fixtureTopUp(8, { status: 'paid' });
    for (const name of ['forged', 'tampered']) {
      const before = await table.allItems();
      expect(await callback(fixture(name)), name).toMatchObject({ accepted: false, refusal: 'bad_signature' });
      expect((await newItems(before)).map((i) => [i.entity, i.verdict])).toEqual([['payment-callback', 'refused:bad_signature']]);
    }
    expect(await reread(topUp)).toMatchObject({ status: 'pending' });
  });

  it('keeps only the first 256 bytes of a refused (unsigned) callback, 4 KB of a signed one', async () => {
    const before = await table.allItems();
    const forged = JSON.stringify({ ...JSON.parse(fixture('forged')), padding: 'é'.repeat(3000) });
    expect(await callback(forged)).toMatchObject({ accepted: false, refusal: 'bad_signature' });
    const [refused] = await newItems(before);
    expect(refused).toMatchObject({ verdict: 'refused:bad_signature' });
    expect(Buffer.byteLength(String(refused!.body))).toBeLessThanOrEqual(256);
    expect(forged.startsWith(String(refused!.body))).toBe(true);
    expect(String(refused!.body).length).toBeGreaterThan(200);
    expect(bodyPrefix('aé'.repeat(10), 4)).toBe('aéa');
  });

  it('refuses a genuine callback replayed for another top-up, writing nothing but its record', async () => {
    const other = await fixtureTopUp(9, { status: 'paid' });
    const before = await table.allItems();
    expect(await callback(fixture('replayed'))).toMatchObject({ accepted: false, refusal: 'other_payment' });
    expect((await newItems(before)).map((i) => [i.entity, i.verdict])).toEqual([['payment-callback', 'refused:other_payment']]);
    expect(await reread(other)).toMatchObject({ status: 'pending' });
    expect(await deposits(other.walletId)).toEqual([]);
  });

  it('refuses a callback in another currency', async () => {
    const topUp = await fixtureTopUp(10, { status: 'paid' });
    expect(await callback(fixture('wrong_currency'))).toMatchObject({ accepted: false, refusal: 'wrong_currency' });
    expect(await deposits(topUp.walletId)).toEqual([]);
  });

  it('credits a late payment once, after the top-up expired', async () => {
    const topUp = await fixtureTopUp(11, { status: 'paid', expired: true });
    expect(await callback(fixture('late'))).toMatchObject({ verdict: 'credited' });
    expect(await callback(fixture('late'))).toMatchObject({ verdict: 'duplicate' });
    expect(await deposits(topUp.walletId)).toHaveLength(1);
  });

  it('accepts a callback whose signature was computed by hand over PHP-encoded JSON with slashes and non-ASCII text', async () => {
    const topUp = await fixtureTopUp(12, { status: 'paid' });
    expect(await callback(fixture('hand_signed_php'))).toMatchObject({ verdict: 'credited' });
    expect(await deposits(topUp.walletId)).toHaveLength(1);
  });

  it('credits nothing when payment/info does not confirm the payment, and credits when a later callback is confirmed', async () => {
    const topUp = await fixtureTopUp(13, { status: 'process' });
    const paid = signedCallback(13, 'paid');
    expect(await callback(paid)).toMatchObject({ accepted: false, refusal: 'not_confirmed' });
    expect(await deposits(topUp.walletId)).toEqual([]);
    fake.setStatus(fixtureUuid(13), 'paid');
    expect(await callback(paid)).toMatchObject({ verdict: 'credited' });
  });

  it('credits nothing when payment/info reports another amount or order than the top-up', async () => {
    const topUp = await fixtureTopUp(16, { status: 'paid' });
    fake.invoices.get(fixtureUuid(16))!.amount = '1.50';
    expect(await callback(signedCallback(16, 'paid'))).toMatchObject({ accepted: false, refusal: 'not_confirmed' });
    fake.invoices.get(fixtureUuid(16))!.amount = '15.00';
    fake.invoices.get(fixtureUuid(16))!.order_id = fixtureId(1);
    expect(await callback(signedCallback(16, 'paid'))).toMatchObject({ accepted: false, refusal: 'not_confirmed' });
    expect(await deposits(topUp.walletId)).toEqual([]);
  });

  it('credits exactly once under ten simultaneous copies of the paid callback from two containers', async () => {
    const topUp = await fixtureTopUp(14, { status: 'paid' });
    const secondContainer = new DynamoTopUpStore(createDocumentClient({ region: 'us-east-1', endpoint: table.endpoint }), table.tableName);
    const paid = signedCallback(14, 'paid');
    const metrics = new RecordedMetrics();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        handleCallback({ store: i % 2 ? secondContainer : store, gateways: deps.gateways, clock, metrics }, 'cryptomus', paid, {}),
      ),
    );
    expect(results.filter((r) => r.accepted && r.verdict === 'credited')).toHaveLength(1);
    // Money in is counted once, by the callback whose write credited it.
    expect([metrics.sum('TopUpsCredited'), metrics.sum('TopUpAmount')]).toEqual([1, 15]);
    expect(results.every((r) => r.accepted)).toBe(true);
    const { balance, ledgerSum, entries } = await balanceAndLedger(table, topUp.walletId);
    expect([balance, ledgerSum, entries]).toEqual([parseMoney('15.00'), parseMoney('15.00'), 1]);
  });

  it('credits a payment confirmed after the top-up was cancelled: the money has arrived', async () => {
    const topUp = await fixtureTopUp(17, { status: 'cancel' });
    expect(await callback(signedCallback(17, 'cancel'))).toMatchObject({ verdict: 'cancelled' });
    fake.setStatus(fixtureUuid(17), 'paid');
    expect(await callback(signedCallback(17, 'paid'))).toMatchObject({ verdict: 'credited' });
    expect(await reread(topUp)).toMatchObject({ status: 'paid' });
    expect(await deposits(topUp.walletId)).toHaveLength(1);
  });

  it('credits once whatever the order of callbacks, and never downgrades a credited top-up', async () => {
    const topUp = await fixtureTopUp(15, { status: 'paid' });
    for (const status of ['process', 'paid', 'check', 'cancel', 'wrong_amount', 'paid_over', 'paid']) {
      fake.setStatus(fixtureUuid(15), status);
      await callback(signedCallback(15, status));
    }
    expect(await reread(topUp)).toMatchObject({ status: 'paid', gatewayStatus: 'paid' });
    expect(await deposits(topUp.walletId)).toHaveLength(1);
  });
});

describe('demo gateway callbacks', () => {
  it('credits a signed paid callback once and refuses an unsigned one', async () => {
    await table.wallets.openWallet({ id: 'w-demo', ownerId: 'u-demo', currency: 'USD' }, new Date().toISOString());
    const topUp = await createTopUp(deps, { userId: 'u-demo', walletId: 'w-demo' }, { amount: '7.00', method: 'demo' }, links);
    expect(topUp.checkoutUrl).toBe(`https://api.codex.test/api/v1/payments/demo/checkout/${topUp.id}`);
    const body = JSON.stringify({ id: topUp.gatewayPaymentId, topUpId: topUp.id, status: 'paid', amount: formatMoney(topUp.amount, 2), currency: 'USD' });
    expect(await callback(body, 'demo', {})).toMatchObject({ accepted: false, refusal: 'bad_signature' });
    const headers = { 'x-demo-signature': signDemo(body, 'demo-secret', Math.floor(Date.now() / 1000)) };
    expect(await callback(body, 'demo', headers)).toMatchObject({ verdict: 'credited' });
    expect(await callback(body, 'demo', headers)).toMatchObject({ verdict: 'duplicate' });
    expect(await deposits('w-demo')).toHaveLength(1);
  });
});

/** A callback signed with the test key by the encoder, for sequences the fixtures do not cover. */
function signedCallback(n: number, status: string): string {
  const data = { type: 'payment', uuid: fixtureUuid(n), order_id: fixtureId(n), amount: '15.00', currency: 'USD', status, txid: 'a/b' };
  const encoded = encodePhpJson(parsePhpJson(JSON.stringify(data)));
  return `${encoded.slice(0, -1)},"sign":"${cryptomusSign(encoded, KEY)}"}`;
}

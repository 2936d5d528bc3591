// Cryptomus on the started local stack, against a fake Cryptomus API: the invoice is created with our callback URL,
// and a signed callback over HTTP credits the balance once, after payment/info confirms it.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodePhpJson, parsePhpJson } from '../../lambdas/adapters/cryptomus/php-json.js';
import { cryptomusSign } from '../../lambdas/adapters/cryptomus/signature.js';
import { decisionToContext } from '../../lambdas/rest/v1/caller.js';
import { parseMoney } from '../../lambdas/shared/money.js';
import { loadFunction } from '../../local/functions.js';
import { type LocalStack, REPO_ROOT, startLocalStack } from '../../local/stack.js';
import { type FakeCryptomus, startFakeCryptomus } from '../support/fake-cryptomus.js';

const MERCHANT = 'c1d2e3f4-0000-4000-8000-000000000001';
const KEY = 'e2e-cryptomus-payment-key';
let fake: FakeCryptomus;
let stack: LocalStack;

beforeAll(async () => {
  fake = await startFakeCryptomus({ merchant: MERCHANT, paymentKey: KEY });
  Object.assign(process.env, { CODEX_CRYPTOMUS_API_URL: fake.url, CODEX_CRYPTOMUS_MERCHANT: MERCHANT, CODEX_CRYPTOMUS_PAYMENT_KEY: KEY });
  stack = await startLocalStack({ port: 0 });
});

afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

const signed = (data: Record<string, unknown>, key = KEY) => {
  const encoded = encodePhpJson(parsePhpJson(JSON.stringify(data)));
  return `${encoded.slice(0, -1)},"sign":"${cryptomusSign(encoded, key)}"}`;
};

describe('Cryptomus on the local stack', () => {
  it('creates the invoice, then credits a confirmed paid callback once; a forged one is refused', async () => {
    const payments = await loadFunction('payments', REPO_ROOT);
    const caller = { userId: stack.reseller.id, walletId: stack.reseller.walletId, role: 'reseller' as const, emailVerified: true, via: 'session' as const };
    const result = (await payments({
      httpMethod: 'POST',
      resource: '/api/v1/top-ups',
      path: '/api/v1/top-ups',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '20.00', method: 'cryptomus' }),
      isBase64Encoded: false,
      requestContext: { requestId: randomUUID(), path: '/api/v1/top-ups', identity: { sourceIp: '127.0.0.1' }, authorizer: decisionToContext({ caller }) },
    } as unknown as APIGatewayProxyEvent)) as APIGatewayProxyResult;
    expect(result.statusCode).toBe(201);
    const topUp = JSON.parse(result.body) as { id: string; checkoutUrl: string };
    const invoice = [...fake.invoices.values()].find((i) => i.order_id === topUp.id)!;
    expect(topUp.checkoutUrl).toBe(`https://pay.cryptomus.test/pay/${invoice.uuid}`);
    expect(invoice.url_callback).toBe(`${stack.apiBase}/api/v1/payments/cryptomus/callback`);

    const before = (await stack.deps.wallets.getWallet(stack.reseller.walletId))!.balance;
    const data = { type: 'payment', uuid: invoice.uuid, order_id: topUp.id, amount: '20.00', currency: 'USD', status: 'paid', additional_data: 'https://x/y' };
    const send = (body: string) => fetch(invoice.url_callback!, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    expect((await send(signed(data, 'wrong-key'))).status).toBe(401);
    // Cryptomus has not seen the money yet: nothing is credited, and the gateway is told to try again.
    expect((await send(signed(data))).status).toBe(409);
    fake.setStatus(invoice.uuid, 'paid');
    expect(await (await send(signed(data))).json()).toEqual({ received: true, verdict: 'credited' });
    expect(await (await send(signed(data))).json()).toEqual({ received: true, verdict: 'duplicate' });
    expect((await stack.deps.wallets.getWallet(stack.reseller.walletId))!.balance).toBe(before + parseMoney('20.00'));
  });
});

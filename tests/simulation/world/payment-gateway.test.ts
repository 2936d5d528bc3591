// The simulated gateway's callbacks against the real callback route on the local stack: forged, tampered and replayed
// ones are refused, genuine ones (duplicated, reordered, late) credit exactly the top-ups the gateway saw paid, once.
// Date is faked so that each callback arrives at the virtual time it was signed for.
import { randomUUID } from 'node:crypto';
import { install } from '@sinonjs/fake-timers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionToContext, type V1Caller } from '../../../lambdas/rest/v1/caller.js';
import { parseMoney } from '../../../lambdas/shared/money.js';
import { type LambdaFunction, loadFunction } from '../../../local/functions.js';
import { LOCAL_DEMO_GATEWAY_SECRET, type LocalStack, REPO_ROOT, startLocalStack } from '../../../local/stack.js';
import { type FaultProbabilities, FaultLog, FaultPlan } from './faults.js';
import { type GatewayCallback, type PayerOutcome, SimPaymentGateway } from './payment-gateway.js';
import { seededRandom } from './rng.js';

let stack: LocalStack;
let payments: LambdaFunction;
let caller: V1Caller;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  payments = await loadFunction('payments', REPO_ROOT);
  caller = { userId: stack.reseller.id, walletId: stack.reseller.walletId, role: 'reseller', emailVerified: true, via: 'session', sessionId: 's-1' };
});

afterAll(async () => {
  await stack?.stop();
});

async function startTopUp(amount: string): Promise<{ id: string; amount: string; currency: string; expiresAt: string }> {
  const path = '/api/v1/top-ups';
  const event = {
    httpMethod: 'POST',
    resource: path,
    path,
    headers: { host: new URL(stack.apiBase).host, 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: JSON.stringify({ amount, method: 'demo' }),
    isBase64Encoded: false,
    requestContext: { requestId: randomUUID(), path, identity: { sourceIp: '127.0.0.1' }, authorizer: decisionToContext({ caller }) },
  } as unknown as APIGatewayProxyEvent;
  const result = (await payments(event)) as APIGatewayProxyResult;
  expect(result.statusCode).toBe(201);
  return JSON.parse(result.body);
}

const depositsOf = async (topUpId: string) =>
  (await stack.deps.wallets.listLedger(stack.reseller.walletId)).filter((e) => e.kind === 'deposit' && e.reference === `top-up:${topUpId}`);

/** Creates top-ups until each payer outcome has happened, then delivers every callback at its time; answers by top-up. */
async function run(seed: number, probabilities: FaultProbabilities) {
  const clock = install({ now: Date.now(), toFake: ['Date'] });
  try {
    const gateway = new SimPaymentGateway({
      secret: LOCAL_DEMO_GATEWAY_SECRET,
      random: seededRandom(seed),
      faults: new FaultPlan(new FaultLog(), probabilities),
    });
    const topUps = new Map<string, { amount: string; expiresAt: string; outcome: PayerOutcome }>();
    const callbacks: GatewayCallback[] = [];
    const outcomes = new Set<PayerOutcome>();
    while (outcomes.size < 3 && topUps.size < 30) {
      const topUp = await startTopUp(`${topUps.size + 3}.00`);
      const { outcome, callbacks: mine } = gateway.checkout(topUp);
      outcomes.add(outcome);
      topUps.set(topUp.id, { amount: topUp.amount, expiresAt: topUp.expiresAt, outcome });
      callbacks.push(...mine);
    }
    callbacks.sort((a, b) => a.deliverAt - b.deliverAt);
    const answers: { callback: GatewayCallback; status: number }[] = [];
    for (const callback of callbacks) {
      clock.setSystemTime(Math.max(Date.now(), callback.deliverAt));
      const { method, path, headers, body } = callback.request;
      const response = await fetch(`${stack.apiBase}${path}`, { method, headers, body });
      await response.body?.cancel();
      answers.push({ callback, status: response.status });
    }
    return { gateway, topUps, answers };
  } finally {
    clock.uninstall();
  }
}

describe('the simulated payment gateway against the real callback route', () => {
  it('has every forged, tampered or replayed callback refused and credits exactly the top-ups it saw paid, once each', async () => {
    const adversarial = { 'payment.duplicate': 1, 'payment.reordered': 1, 'payment.forged-signature': 1, 'payment.forged-body': 1, 'payment.replayed': 1 };
    const { gateway, topUps, answers } = await run(1, adversarial);
    const kinds = new Set(answers.map((a) => a.callback.kind));
    for (const kind of ['genuine', 'duplicate', 'reordered', 'forged-signature', 'forged-body', 'replayed']) expect(kinds).toContain(kind);

    for (const { callback, status } of answers) {
      if (callback.kind === 'replayed') expect(status, 'a replay outside the window').toBe(400);
      else if (callback.mustBeRefused) expect(status, callback.kind).toBe(401);
      else expect(status, callback.kind).toBe(200);
    }
    for (const [id, { amount, outcome }] of topUps) {
      const deposits = await depositsOf(id);
      expect(gateway.confirmed.has(id)).toBe(outcome === 'paid');
      expect(deposits.map((d) => d.amount)).toEqual(outcome === 'paid' ? [parseMoney(amount)] : []);
    }
  });

  it('has a payment whose callback arrives after the top-up expired credited once', async () => {
    const { topUps, answers } = await run(2, { 'payment.late': 1, 'payment.duplicate': 1 });
    const late = answers.filter((a) => a.callback.kind === 'late');
    expect(late.length).toBeGreaterThan(0);
    for (const { callback, status } of late) {
      expect(status).toBe(200);
      expect(callback.deliverAt).toBeGreaterThan(Date.parse(topUps.get(callback.topUpId)!.expiresAt));
      expect(await depositsOf(callback.topUpId)).toMatchObject([{ amount: parseMoney(topUps.get(callback.topUpId)!.amount) }]);
    }
  });
});

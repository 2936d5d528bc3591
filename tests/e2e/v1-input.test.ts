// Every REST v1 operation, sent bad input over HTTP by a signed-in customer and by nobody: each answer is a clear
// 4xx in the API's error shape (or an answer the operation gives anyway), never a 5xx, and nothing moves money.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1_OPERATIONS } from '../../lambdas/rest/v1/contract/index.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { v1Client } from '../support/v1-client.js';

let stack: LocalStack;
let token: string;
const call = v1Client(() => stack.v1Url);

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  const { email, password } = stack.customer;
  token = (await call('POST', '/auth/login', { body: { email, password } })).body.accessToken;
});

afterAll(async () => {
  await stack?.stop();
});

const BODIES: [string, string, string][] = [
  ['no body', '', 'application/json'],
  ['not JSON', '{"service": 1,', 'application/json'],
  ['null', 'null', 'application/json'],
  ['an array', '[1, 2, 3]', 'application/json'],
  ['a string', '"orders"', 'application/json'],
  ['an empty object', '{}', 'application/json'],
  ['wrong types', '{"service": "one", "quantity": [1], "link": 5, "amount": {}, "email": 7, "password": null, "token": [], "label": 1}', 'application/json'],
  [
    'huge values',
    JSON.stringify({
      service: 1e308,
      quantity: 1e20,
      link: `https://x.example/${'a'.repeat(5000)}`,
      amount: '999999999999999.999',
      email: `${'a'.repeat(500)}@example.com`,
      password: 'p'.repeat(10_000),
      token: 't'.repeat(3000),
      label: 'l'.repeat(1000),
      method: 'demo',
    }),
    'application/json',
  ],
  ['odd text', JSON.stringify({ link: '\u0000\u202e💥', name: '\ud800', amount: '-5', method: '__proto__', email: 'x@y' }), 'application/json'],
  ['prototype keys', '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}', 'application/json'],
  ['a form where JSON is expected', 'service=1&quantity=2', 'application/x-www-form-urlencoded'],
  ['text/plain', 'hello', 'text/plain'],
];

const ODD_IDS = ['0', '-1', 'abc', '1e5', '99999999999999999999', '%E2%80%AE', '..', 'tu_nonexistent'];

const pathWith = (path: string, id: string) => path.replace(/\{[^}]+\}/g, id).replace(/^\/api\/v1/, '');

describe('bad input to every REST v1 operation', () => {
  it('is answered 4xx in the error shape (or as the operation answers anyway), never 5xx, by a customer and by nobody', async () => {
    const balanceBefore = (await call('GET', '/balance', { token })).body.balance;
    const failures: string[] = [];
    let requests = 0;
    const statuses = new Map<string, number>();
    for (const operation of V1_OPERATIONS) {
      const ids = operation.path.includes('{') ? ODD_IDS : ['-'];
      for (const id of ids) {
        const path = pathWith(operation.path, id);
        const bodies = operation.method === 'GET' ? ([['no body', '', 'application/json']] as [string, string, string][]) : BODIES;
        for (const [name, body, type] of bodies) {
          for (const auth of [true, false]) {
            const answer = await call(operation.method, `${path}${operation.method === 'GET' ? '?limit=abc&cursor=%%%&from=yesterday&status=Nope' : ''}`, {
              headers: { 'content-type': type, ...(auth ? { authorization: `Bearer ${token}` } : {}) },
              ...(body ? { rawBody: body } : {}),
            }).catch((error: Error) => ({ status: 0, body: error.message, headers: new Headers() }));
            requests++;
            const tally = `${auth ? 'customer' : 'nobody'} ${answer.status} ${answer.body?.error?.code ?? ''}`;
            statuses.set(tally, (statuses.get(tally) ?? 0) + 1);
            const what = `${operation.method} ${path} with ${name}${auth ? '' : ' (signed out)'}`;
            if (answer.status === 0 || answer.status >= 500) failures.push(`${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
            else if (answer.status >= 400 && answer.headers.get('content-type')?.includes('json')) {
              const error = answer.body?.error;
              // The v1 shape from our handlers; the gateway's own answers (unknown paths) keep theirs.
              if (!(typeof error === 'string' || (typeof error?.code === 'string' && typeof error?.message === 'string'))) {
                failures.push(`${what}: ${answer.status} without an error body`);
              }
            }
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(500);
    expect(failures).toEqual([]);
    // The signed-in requests reached the operations: their input was read and refused, field by field.
    expect(statuses.get('customer 400 invalid_request') ?? 0).toBeGreaterThan(100);
    expect(statuses.get('nobody 401 unauthorized') ?? 0).toBeGreaterThan(100);
    // The demo customer starts with nothing and nothing above could pay in or spend.
    // Read with a new session: the requests above include a sign-out, which ends the first one as soon as the
    // authorizer's cache of revocations is refreshed (on a slow run, before this read).
    const { email, password } = stack.customer;
    const fresh = (await call('POST', '/auth/login', { body: { email, password } })).body.accessToken;
    const after = await call('GET', '/balance', { token: fresh });
    expect(after.status).toBe(200);
    expect(after.body.balance).toBe(balanceBefore);
  });
});

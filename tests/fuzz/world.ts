// The fuzzer's world: the local stack in this process, callers of every kind, a few things for path ids to name
// (decoys, so that a generated request that blocks, revokes or logs out never takes the fuzzer's own callers), and
// the store as it is, to compare before and after a refused request.
import { localCognito } from '../../local/cognito.js';
import { type LocalStack, LOCAL_TABLE_NAME, startLocalStack } from '../../local/stack.js';
import { documentClient } from '../../lambdas/shared/platform/dynamodb.js';
import { type RawResponse, sendRaw } from './raw-http.js';
import type { FuzzRequest } from './requests.js';
import { WriteJournal } from './write-journal.js';

export interface FuzzWorld {
  stack: LocalStack;
  journal: WriteJournal;
  /** Fills the placeholders and sends, from a loopback address of the request's own (abuse counters are per source). */
  send(request: FuzzRequest, sourceIp: string): Promise<RawResponse>;
  /** Every item, by `pk|sk`, as JSON text, and the store's version then (read together, in one tick). */
  snapshot(): { items: Map<string, string>; version: number };
  /** Increments on every committed write of the in-memory store: equal before and after, nothing was written. */
  storeVersion(): number;
  /** Puts back what a request may have taken from the fuzzer's own callers (a session ended, maintenance on). */
  /** Whether it wrote anything. */
  repair(request: FuzzRequest, status: number, changedKeys: readonly string[]): Promise<boolean>;
  values: Record<string, string>;
  stop(): Promise<void>;
}

const HOUR = 3_600_000;

export async function startFuzzWorld(options: { logLevel?: string } = {}): Promise<FuzzWorld> {
  const stack = await startLocalStack({
    port: 0,
    // The in-memory engine: a snapshot of the table costs microseconds, and its version says whether anything was written.
    store: 'memory',
    // Nothing runs on a timer: what the store holds changes only through requests and what they set off.
    schedules: false,
    pollEveryMs: 24 * HOUR,
    sweepEveryMs: 24 * HOUR,
    demoKeyRequestsPerMinute: 100_000,
    providerSpeed: 100,
    retryDelayMs: 10,
    waitDelayMs: 10,
    logLevel: options.logLevel ?? 'CRITICAL',
  });
  const journal = new WriteJournal();
  journal.attach(documentClient());
  const port = Number(new URL(stack.apiBase).port);
  const store = stack.memoryStore!;

  const call = async (method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${stack.apiBase}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const login = async () => {
    const answer = await call('POST', '/api/v1/auth/login', { email: stack.customer.email, password: stack.customer.password });
    if (answer.status !== 200) throw new Error(`fuzz world: the customer cannot sign in (${answer.status} ${JSON.stringify(answer.body)})`);
    return answer.body as { accessToken: string; refreshToken: string };
  };

  const other = await localCognito();
  const tokens = await login();
  const values: Record<string, string> = {
    customer: tokens.accessToken,
    refreshToken: 'not-the-fuzzers-own-refresh-token',
    resellerKey: stack.reseller.apiKey,
    admin: stack.admin.idToken,
    operator: stack.operator.idToken,
    adminExpired: await stack.cognito.mintIdToken({ role: 'admin', email: stack.admin.email, expiresInSeconds: -60 }),
    adminForged: await other.mintIdToken({ role: 'admin', email: stack.admin.email }),
    adminNoGroup: await stack.cognito.mintIdToken({ email: 'nobody@codex.local' }),
    adminAccessToken: await stack.cognito.mintIdToken({ role: 'admin', email: stack.admin.email, tokenUse: 'access' }),
    customerTampered: tamper(tokens.accessToken),
    customerAlgNone: algNone(tokens.accessToken),
    provider: 'demo',
    promo: 'FUZZ10',
    asset: 'swagger-ui.css',
  };

  // Decoys: a reseller onboarded by the admin (its id and key are what admin path ids name), an order, a top-up.
  const decoy = await call('POST', '/admin/v1/users', { email: 'decoy-reseller@codex.local', keyLabel: 'decoy' }, stack.admin.idToken);
  values.decoyUser = decoy.body?.id ?? decoy.body?.user?.id ?? 'decoy';
  values.decoyKey = decoy.body?.apiKey?.id ?? decoy.body?.key?.id ?? 'decoy-key';
  const revoked = await call('POST', '/admin/v1/users', { email: 'revoked-reseller@codex.local' }, stack.admin.idToken);
  values.revokedKey = revoked.body?.apiKey?.key ?? revoked.body?.apiKey ?? 'revoked';
  const order = await call('POST', '/api/v2', {
    key: stack.reseller.apiKey,
    action: 'add',
    service: 1,
    link: 'https://youtube.com/watch?v=fuzz',
    quantity: 100,
  });
  values.order = String(order.body?.order ?? 1);
  const topUp = await call('POST', '/api/v1/top-ups', { amount: '10.00', method: 'demo' }, tokens.accessToken);
  values.topUp = topUp.body?.id ?? 'tu_0';
  await call('POST', '/admin/v1/promo-codes', { code: 'FUZZ10', kind: 'percent', value: '10' }, stack.admin.idToken);
  values.decoyService = '1';
  values.refill = '1';
  values.delivery = 'd0';
  values.reconciliation = 'rec_0';

  const fill = (text: string) =>
    text
      .replace(/⟦(\w+)⟧/g, (whole, name: string) => values[name] ?? whole)
      .replace(/%E2%9F%A6(\w+)%E2%9F%A7/g, (whole, name: string) => (values[name] !== undefined ? encodeURIComponent(values[name]) : whole));

  return {
    stack,
    journal,
    values,
    send: (request, sourceIp) =>
      sendRaw(
        port,
        {
          method: request.method,
          target: fill(request.url),
          headers: request.headers.map(([name, value]) => [name, fill(value)]),
          ...(request.body !== undefined ? { body: typeof request.body === 'string' ? Buffer.from(fill(request.body)) : request.body } : {}),
          ...(request.chunked ? { chunked: true } : {}),
        },
        sourceIp,
      ),
    snapshot() {
      const items = new Map(store.items(LOCAL_TABLE_NAME).map((item) => [`${item.pk}|${item.sk}`, JSON.stringify(item)]));
      return { items, version: store.version };
    },
    storeVersion: () => store.version,
    async repair(request, status, changedKeys) {
      // Bursts of invalid requests suspend the key that sent them (by design): the fuzzer's reseller gets it back.
      const suspended = changedKeys.map((key) => /^USER#demo-reseller\|APIKEY#(.+)$/.exec(key)?.[1]).find(Boolean);
      if (suspended) {
        await call('POST', `/admin/v1/users/demo-reseller/api-keys/${suspended}/reactivate`, { reason: 'fuzz: back to work' }, stack.admin.idToken);
        return true;
      }
      if (status >= 300) return false;
      if (request.target.startsWith('POST /api/v1/auth/logout') || request.target.startsWith('PATCH /api/v1/me') || request.target.includes('reset-password')) {
        values.customer = (await login()).accessToken;
        return true;
      }
      if (request.target.startsWith('PATCH /admin/v1/settings')) {
        await call('PATCH', '/admin/v1/settings', { maintenance: { enabled: false } }, stack.admin.idToken);
        return true;
      }
      if (/^POST \/admin\/v1\/providers\/\{id\}\/(disable|maintenance)/.test(request.target)) {
        await call('POST', '/admin/v1/providers/demo/enable', undefined, stack.admin.idToken);
        return true;
      }
      return false;
    },
    stop: () => stack.stop(),
  };
}

/** The same token with one claim changed: its signature no longer matches. */
function tamper(jwt: string): string {
  const [header, payload, signature] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
  claims.sub = 'someone-else';
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

/** The same claims, unsigned (`alg: none`). */
function algNone(jwt: string): string {
  const [, payload] = jwt.split('.');
  return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
}

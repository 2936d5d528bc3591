import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_IDS_PER_CALL, SmmV2Client, SmmV2ProviderClients } from '../../../lambdas/adapters/provider/smm-v2-client.js';
import { InMemorySecretStore } from '../../../local/secret-store.js';
import type { Provider } from '../../../lambdas/catalog/domain/catalog.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../../lambdas/catalog/domain/provider-errors.js';

const API_URL = 'https://panel.example/api/v2';
const API_KEY = 'sk-live-7f3a9c1e5b2d4f60';

interface RecordedCall {
  url: string;
  method: string | undefined;
  headers: Headers;
  form: Record<string, string>;
  rawBody: unknown;
  hasSignal: boolean;
}

type Answer = Response | (() => Response | Promise<Response>);

/** A fetch that records what the client sent and answers from a script. */
function fakeFetch(answer: Answer) {
  const calls: RecordedCall[] = [];
  const impl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body = init?.body;
    calls.push({
      url: String(input),
      method: init?.method,
      headers: new Headers(init?.headers),
      form: Object.fromEntries(new URLSearchParams(body instanceof URLSearchParams ? body : String(body ?? ''))),
      rawBody: body,
      hasSignal: init?.signal instanceof AbortSignal,
    });
    return typeof answer === 'function' ? answer() : answer.clone();
  };
  return { calls, fetch: impl as typeof fetch };
}

/** A fetch that fails the way undici does: TypeError('fetch failed') with the socket error as its cause. */
function failingFetch(cause: unknown) {
  const impl = async (): Promise<Response> => {
    throw new TypeError('fetch failed', { cause });
  };
  return impl as typeof fetch;
}

function networkError(code: string): Error {
  return Object.assign(new Error(`${code} 127.0.0.1:1`), { code });
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function clientAnswering(answer: Answer) {
  const fake = fakeFetch(answer);
  return { client: new SmmV2Client(API_URL, API_KEY, 5_000, fake.fetch), calls: fake.calls };
}

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

// ---- real local HTTP servers, for behaviour that depends on sockets ----

const openServers: http.Server[] = [];

afterEach(async () => {
  for (const server of openServers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function startServer(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  openServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;
}

/** A URL on 127.0.0.1 whose port was just bound and released, so nothing listens there. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v2`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

describe('SmmV2Client requests', () => {
  it('place posts key, action=add, service, link, quantity and request_id as form fields', async () => {
    const { client, calls } = clientAnswering(json({ order: 23501 }));

    await client.place({ providerServiceId: '1', link: 'https://instagram.com/p/abc', quantity: 1500, requestId: 'codex-42' });

    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.url).toBe(API_URL);
    expect(call.method).toBe('POST');
    expect(call.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(call.form).toEqual({
      key: API_KEY,
      action: 'add',
      service: '1',
      link: 'https://instagram.com/p/abc',
      quantity: '1500',
      request_id: 'codex-42',
    });
  });

  it('status posts action=status with the single order id and no request_id', async () => {
    const { client, calls } = clientAnswering(json({ status: 'Pending' }));

    await client.status('23501');

    expect(calls[0]!.form).toEqual({ key: API_KEY, action: 'status', order: '23501' });
  });

  it('multiStatus posts the ids comma-separated in `orders`', async () => {
    const { client, calls } = clientAnswering(json({ '1': { status: 'Pending' }, '10': { status: 'Pending' }, '100': { status: 'Pending' } }));

    await client.multiStatus(['1', '10', '100']);

    expect(calls[0]!.form).toEqual({ key: API_KEY, action: 'status', orders: '1,10,100' });
  });

  it('services and balance post only the key and the action', async () => {
    const { client, calls } = clientAnswering(json([]));
    await client.services();
    expect(calls[0]!.form).toEqual({ key: API_KEY, action: 'services' });

    const balance = clientAnswering(json({ balance: '100.84292', currency: 'USD' }));
    await balance.client.balance();
    expect(balance.calls[0]!.form).toEqual({ key: API_KEY, action: 'balance' });
  });

  it('gives every request an abort signal so a hung provider cannot stall the caller', async () => {
    const { client, calls } = clientAnswering(json({ status: 'Pending' }));
    await client.status('1');
    expect(calls[0]!.hasSignal).toBe(true);
  });

  it('sends a form-urlencoded body on the wire that keeps & and = inside a link intact', async () => {
    let seen: { method?: string; contentType?: string; body?: string } = {};
    const url = await startServer(async (req, res) => {
      seen = { method: req.method, contentType: req.headers['content-type'], body: await readBody(req) };
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"order":7}');
    });
    const client = new SmmV2Client(url, API_KEY, 5_000);
    const link = 'https://example.com/watch?v=a1&t=30 s';

    await client.place({ providerServiceId: '12', link, quantity: 100, requestId: 'codex-7' });

    expect(seen.method).toBe('POST');
    expect(seen.contentType).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(seen.body);
    expect(Object.fromEntries(form)).toEqual({ key: API_KEY, action: 'add', service: '12', link, quantity: '100', request_id: 'codex-7' });
    expect(seen.body).not.toContain('v=a1&t=');
  });
});

describe('SmmV2Client.place', () => {
  it('reads the order id when the provider sends it as a number', async () => {
    const { client } = clientAnswering(json({ order: 23501 }));
    await expect(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' })).resolves.toEqual({ externalOrderId: '23501' });
  });

  it('reads the order id when the provider sends it as a string', async () => {
    const { client } = clientAnswering(json({ order: '23501' }));
    await expect(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' })).resolves.toEqual({ externalOrderId: '23501' });
  });

  it('treats an accepted answer without an order id as an unknown outcome, not a success', async () => {
    for (const body of [{}, { order: '' }, { order: null }]) {
      const { client } = clientAnswering(json(body));
      const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));
      expect(error).toBeInstanceOf(ProviderOutcomeUnknown);
    }
  });
});

describe('SmmV2Client failure classification', () => {
  it('turns HTTP 200 {"error": ...} into ProviderRejected carrying the provider message', async () => {
    const { client } = clientAnswering(json({ error: 'Not enough funds on balance' }));

    const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));

    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error.message).toBe('Not enough funds on balance');
  });

  it('turns a 4xx answer with {"error": ...} into ProviderRejected', async () => {
    const { client } = clientAnswering(json({ error: 'Invalid API key' }, 401));
    const error = await caught(client.status('1'));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error.message).toBe('Invalid API key');
  });

  it('turns a refused connection on a closed 127.0.0.1 port into ProviderNotReached', async () => {
    const client = new SmmV2Client(await closedPortUrl(), API_KEY, 5_000);

    const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));

    expect(error).toBeInstanceOf(ProviderNotReached);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])('turns %s (request never sent) into ProviderNotReached', async (code) => {
    const client = new SmmV2Client(API_URL, API_KEY, 5_000, failingFetch(networkError(code)));
    expect(await caught(client.status('1'))).toBeInstanceOf(ProviderNotReached);
  });

  it('turns a provider that never answers into ProviderOutcomeUnknown once timeoutMs has passed', async () => {
    let received = 0;
    const url = await startServer(() => {
      received += 1; // hold the request open forever
    });
    const client = new SmmV2Client(url, API_KEY, 150);

    const started = Date.now();
    const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(ProviderOutcomeUnknown);
    expect(received).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('turns a provider that sends headers but never finishes the body into ProviderOutcomeUnknown', async () => {
    const url = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"order":');
    });
    const client = new SmmV2Client(url, API_KEY, 150);

    const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));

    expect(error).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('turns a connection dropped after the request was sent into ProviderOutcomeUnknown, not ProviderNotReached', async () => {
    const url = await startServer((req) => {
      req.socket.destroy();
    });
    const client = new SmmV2Client(url, API_KEY, 5_000);

    const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));

    expect(error).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('turns ECONNRESET from fetch into ProviderOutcomeUnknown', async () => {
    const client = new SmmV2Client(API_URL, API_KEY, 5_000, failingFetch(networkError('ECONNRESET')));
    expect(await caught(client.status('1'))).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('turns HTTP 503 into ProviderOutcomeUnknown', async () => {
    const { client } = clientAnswering(new Response('Service Unavailable', { status: 503 }));
    const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));
    expect(error).toBeInstanceOf(ProviderOutcomeUnknown);
    expect(error.message).toContain('503');
  });

  it('keeps HTTP 503 with an {"error": ...} body as ProviderOutcomeUnknown, never ProviderRejected', async () => {
    const { client } = clientAnswering(json({ error: 'Maintenance' }, 503));
    expect(await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }))).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('turns HTTP 429 into ProviderNotReached, with or without an {"error": ...} body', async () => {
    for (const answer of [new Response('Too Many Requests', { status: 429 }), json({ error: 'Too many requests' }, 429)]) {
      const { client } = clientAnswering(answer);
      expect(await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }))).toBeInstanceOf(ProviderNotReached);
    }
  });

  it('turns an HTML body on HTTP 200 into ProviderOutcomeUnknown', async () => {
    const { client } = clientAnswering(
      new Response('<html><body>Cloudflare: checking your browser</body></html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    const error = await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' }));
    expect(error).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('turns an HTML body into ProviderOutcomeUnknown for balance and cancel too, instead of defaults or per-id rejections', async () => {
    const html = () => new Response('<html><body>502 Bad Gateway</body></html>', { status: 200, headers: { 'content-type': 'text/html' } });
    expect(await caught(clientAnswering(html).client.balance())).toBeInstanceOf(ProviderOutcomeUnknown);
    expect(await caught(clientAnswering(html).client.cancel(['9', '2']))).toBeInstanceOf(ProviderOutcomeUnknown);
  });
});

describe('SmmV2Client.status', () => {
  it.each([
    ['completed', 'Completed'],
    ['Cancelled', 'Canceled'],
    ['In_progress', 'In progress'],
    ['PARTIAL', 'Partial'],
    ['Pending', 'Pending'],
  ])('reads status %j as %j', async (raw, expected) => {
    const { client } = clientAnswering(json({ status: raw }));
    expect((await client.status('1')).status).toBe(expected);
  });

  it('reads start_count, remains and charge sent as strings', async () => {
    const { client } = clientAnswering(json({ charge: '0.27819', start_count: '3572', status: 'Partial', remains: '157', currency: 'USD' }));
    expect(await client.status('1')).toEqual({ status: 'Partial', startCount: 3572, remains: 157, charge: '0.27819', currency: 'USD' });
  });

  it('reads start_count, remains and charge sent as numbers', async () => {
    const { client } = clientAnswering(json({ charge: 0.27819, start_count: 3572, status: 'In progress', remains: 157, currency: 'USD' }));
    expect(await client.status('1')).toEqual({ status: 'In progress', startCount: 3572, remains: 157, charge: '0.27819', currency: 'USD' });
  });

  it('reads a numbered status sent as a number or a string', async () => {
    expect((await clientAnswering(json({ status: 2 })).client.status('1')).status).toBe('Completed');
    expect((await clientAnswering(json({ status: '4' })).client.status('1')).status).toBe('Canceled');
  });

  it('accepts a negative remains as sent instead of failing', async () => {
    expect((await clientAnswering(json({ status: 'Completed', remains: '-5' })).client.status('1')).remains).toBe(-5);
    expect((await clientAnswering(json({ status: 'Completed', remains: -12 })).client.status('1')).remains).toBe(-12);
  });

  it('leaves out counts the provider did not send or sent blank', async () => {
    const { client } = clientAnswering(json({ status: 'Pending', start_count: '', remains: null }));
    expect(await client.status('1')).toStrictEqual({ status: 'Pending' });
  });

  it('treats a status it cannot read as ProviderOutcomeUnknown', async () => {
    const { client } = clientAnswering(json({ status: 'Teleported', remains: '0' }));
    expect(await caught(client.status('1'))).toBeInstanceOf(ProviderOutcomeUnknown);
  });
});

describe('SmmV2Client.multiStatus', () => {
  it("reads only the answer's own keys, whatever the provider's ids are called", async () => {
    const { client } = clientAnswering(
      new Response('{"__proto__":{"status":"Completed","remains":"0"}}', { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    const result = await client.multiStatus(['__proto__', 'constructor', 'toString']);
    expect(result.get('__proto__')).toMatchObject({ status: 'Completed', remains: 0 });
    expect(result.get('constructor')).toBeInstanceOf(ProviderRejected);
    expect(result.get('toString')).toBeInstanceOf(ProviderRejected);
    const absent = await clientAnswering(json({})).client.multiStatus(['__proto__']);
    expect(absent.get('__proto__')).toBeInstanceOf(ProviderRejected);
  });

  it('maps per-id statuses, per-id {"error": ...} and ids missing from the answer', async () => {
    const { client } = clientAnswering(
      json({
        '1': { charge: '0.27819', start_count: '3572', status: 'Partial', remains: '157', currency: 'USD' },
        '10': { error: 'Incorrect order ID' },
      }),
    );

    const result = await client.multiStatus(['1', '10', '100']);

    expect([...result.keys()]).toEqual(['1', '10', '100']);
    expect(result.get('1')).toEqual({ status: 'Partial', startCount: 3572, remains: 157, charge: '0.27819', currency: 'USD' });
    const incorrect = result.get('10');
    expect(incorrect).toBeInstanceOf(ProviderRejected);
    expect((incorrect as Error).message).toBe('Incorrect order ID');
    expect(result.get('100')).toBeInstanceOf(Error);
    expect(result.get('100')).toBeInstanceOf(ProviderRejected);
  });

  it('maps an entry with an unreadable status to an Error without failing the other ids', async () => {
    const { client } = clientAnswering(json({ '1': { status: 'Teleported' }, '2': { status: 'completed' } }));

    const result = await client.multiStatus(['1', '2']);

    expect(result.get('1')).toBeInstanceOf(ProviderOutcomeUnknown);
    expect(result.get('2')).toEqual({ status: 'Completed' });
  });

  it(`refuses more than ${MAX_IDS_PER_CALL} ids without calling the provider`, async () => {
    const { client, calls } = clientAnswering(json({}));
    const ids = Array.from({ length: MAX_IDS_PER_CALL + 1 }, (_, i) => String(i + 1));

    await expect(client.multiStatus(ids)).rejects.toThrow(RangeError);
    expect(calls).toHaveLength(0);
  });

  it(`accepts exactly ${MAX_IDS_PER_CALL} ids in one call`, async () => {
    const { client, calls } = clientAnswering(json({}));
    const ids = Array.from({ length: MAX_IDS_PER_CALL }, (_, i) => String(i + 1));

    const result = await client.multiStatus(ids);

    expect(MAX_IDS_PER_CALL).toBe(100);
    expect(calls).toHaveLength(1);
    expect(result.size).toBe(100);
  });
});

describe('SmmV2Client.cancel', () => {
  it('maps a per-order cancel error to an Error and cancel:1 to true', async () => {
    const { client, calls } = clientAnswering(
      json([
        { order: 9, cancel: { error: 'Incorrect order ID' } },
        { order: 2, cancel: 1 },
      ]),
    );

    const result = await client.cancel(['9', '2']);

    expect(calls[0]!.form).toEqual({ key: API_KEY, action: 'cancel', orders: '9,2' });
    const refused = result.get('9');
    expect(refused).toBeInstanceOf(ProviderRejected);
    expect((refused as Error).message).toBe('Incorrect order ID');
    expect(result.get('2')).toBe(true);
    expect(result.size).toBe(2);
  });

  it('maps ids the provider left out of its answer to an Error', async () => {
    const { client } = clientAnswering(json([{ order: '2', cancel: 1 }]));

    const result = await client.cancel(['2', '3']);

    expect(result.get('2')).toBe(true);
    expect(result.get('3')).toBeInstanceOf(ProviderRejected);
  });
});

describe('SmmV2Client.cancel answers that are not the usual list', () => {
  it('treats an answer that is not a list as an unknown outcome, not as refusals', async () => {
    expect(await caught(clientAnswering(json({})).client.cancel(['1']))).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('treats cancel:0 as refused', async () => {
    const result = await clientAnswering(json([{ order: 2, cancel: 0 }])).client.cancel(['2']);
    expect(result.get('2')).toBeInstanceOf(ProviderRejected);
  });
});

describe('SmmV2Client.services', () => {
  it('parses the canonical list with string min/max, numeric service ids and boolean refill/cancel', async () => {
    const { client } = clientAnswering(
      json([
        { service: 1, name: 'Followers', type: 'Default', category: 'First Category', rate: '0.90', min: '50', max: '10000', refill: true, cancel: true },
        { service: 2, name: 'Comments', type: 'Custom Comments', category: 'Second Category', rate: '8', min: '10', max: '1500', refill: false, cancel: false },
      ]),
    );

    expect(await client.services()).toEqual([
      { service: '1', name: 'Followers', type: 'Default', category: 'First Category', rate: '0.90', min: 50, max: 10000, refill: true, cancel: true },
      { service: '2', name: 'Comments', type: 'Custom Comments', category: 'Second Category', rate: '8', min: 10, max: 1500, refill: false, cancel: false },
    ]);
  });

  it('reads refill and cancel flags sent as 1/0 or "1"/"0" or "true"/"false"', async () => {
    const { client } = clientAnswering(
      json([
        { service: '3', name: 'Likes', rate: '0.10', min: 10, max: 500, refill: 1, cancel: '1' },
        { service: '4', name: 'Views', rate: '0.01', min: 100, max: 100000, refill: '0', cancel: 0 },
        { service: '5', name: 'Saves', rate: '0.20', min: 10, max: 1000, refill: 'true', cancel: 'false' },
      ]),
    );

    const flags = (await client.services()).map(({ service, refill, cancel }) => ({ service, refill, cancel }));

    expect(flags).toEqual([
      { service: '3', refill: true, cancel: true },
      { service: '4', refill: false, cancel: false },
      { service: '5', refill: true, cancel: false },
    ]);
  });

  it('treats an answer that is not a list as ProviderOutcomeUnknown', async () => {
    const { client } = clientAnswering(json({ services: [] }));
    expect(await caught(client.services())).toBeInstanceOf(ProviderOutcomeUnknown);
  });
});

describe('SmmV2Client.refill and balance', () => {
  it('reads the refill id as a number or string, and treats a missing one as ProviderOutcomeUnknown', async () => {
    expect(await clientAnswering(json({ refill: 1 })).client.refill('5')).toEqual({ refillId: '1' });
    expect(await clientAnswering(json({ refill: '77' })).client.refill('5')).toEqual({ refillId: '77' });
    expect(await caught(clientAnswering(json({})).client.refill('5'))).toBeInstanceOf(ProviderOutcomeUnknown);
  });

  it('reads balance and currency as strings', async () => {
    expect(await clientAnswering(json({ balance: 100.84292, currency: 'EUR' })).client.balance()).toEqual({ balance: '100.84292', currency: 'EUR' });
  });
});

describe('SmmV2Client keeps the API key secret', () => {
  function expectNoKey(error: Error) {
    expect(error).toBeInstanceOf(Error);
    expect(error.message).not.toContain(API_KEY);
    expect(String(error)).not.toContain(API_KEY);
    expect(error.stack ?? '').not.toContain(API_KEY);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(API_KEY);
  }

  const cases: [string, () => typeof fetch][] = [
    ['provider rejection', () => fakeFetch(json({ error: 'Incorrect service ID' })).fetch],
    ['HTTP 503', () => fakeFetch(new Response('down', { status: 503 })).fetch],
    ['HTTP 429', () => fakeFetch(new Response('slow down', { status: 429 })).fetch],
    ['HTML body', () => fakeFetch(new Response('<html></html>', { status: 200 })).fetch],
    ['unreadable status', () => fakeFetch(json({ status: 'Teleported' })).fetch],
    ['refused connection', () => failingFetch(networkError('ECONNREFUSED'))],
    ['reset connection', () => failingFetch(networkError('ECONNRESET'))],
    ['timeout', () => failingFetch(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))],
  ];

  it.each(cases)('leaves the key out of the error for a %s', async (_name, makeFetch) => {
    const client = new SmmV2Client(API_URL, API_KEY, 5_000, makeFetch());
    expectNoKey(await caught(client.status('1')));
  });

  it('leaves the key out of the error for a real refused connection', async () => {
    const client = new SmmV2Client(await closedPortUrl(), API_KEY, 5_000);
    expectNoKey(await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' })));
  });

  it('leaves the key out of the error for a real timeout', async () => {
    const url = await startServer(() => {});
    const client = new SmmV2Client(url, API_KEY, 100);
    expectNoKey(await caught(client.place({ providerServiceId: '1', link: 'x', quantity: 1, requestId: 'r' })));
  });

  it('leaves the key out of the error when the provider echoes the key back in its {"error": ...}', async () => {
    const client = new SmmV2Client(API_URL, API_KEY, 5_000, fakeFetch(json({ error: `Invalid API key: ${API_KEY}` })).fetch);
    const error = await caught(client.status('1'));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect((error as Error).message).toBe('Invalid API key: [redacted]');
    expectNoKey(error);
    const echoedPerId = await clientAnswering(json({ '1': { error: `bad key ${API_KEY}` } })).client.multiStatus(['1']);
    expectNoKey(echoedPerId.get('1') as Error);
  });

  it('leaves the key out of per-id errors from multiStatus and cancel', async () => {
    const multi = await clientAnswering(json({ '1': { error: 'Incorrect order ID' } })).client.multiStatus(['1', '2']);
    for (const value of multi.values()) expectNoKey(value as Error);
    const cancel = await clientAnswering(json([{ order: 1, cancel: { error: 'Incorrect order ID' } }])).client.cancel(['1', '2']);
    for (const value of cancel.values()) expectNoKey(value as Error);
  });
});

describe('SmmV2ProviderClients', () => {
  it('builds a client for the provider that sends the key held under its keySecretId to its apiUrl', async () => {
    const fake = fakeFetch(json({ balance: '1', currency: 'USD' }));
    const provider: Provider = {
      id: 'p1',
      name: 'Panel One',
      apiUrl: 'https://one.example/api/v2',
      keySecretId: 'codex/providers/p1',
      timeoutMs: 5_000,
      acceptsRequestId: true,
      enabled: true,
    };
    const clients = new SmmV2ProviderClients(new InMemorySecretStore({ 'codex/providers/p1': 'key-for-p1', other: 'key-for-other' }), fake.fetch);

    await (await clients.forProvider(provider)).balance();

    expect(fake.calls[0]!.url).toBe('https://one.example/api/v2');
    expect(fake.calls[0]!.form.key).toBe('key-for-p1');
  });
});

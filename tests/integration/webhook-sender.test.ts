// The webhook sender against real sockets: receivers are node:http servers on port 0; names resolve through an
// injected lookup, so "a name that resolves inside" is tested without DNS.
import { type IncomingHttpHeaders, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpWebhookSender } from '../../lambdas/adapters/webhooks/webhook-sender.js';
import { classifyDelivery, generateWebhookSecret, signWebhook, unixSeconds } from '../../lambdas/notifications/domain/webhooks.js';

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: (path?: string) => string;
  port: number;
  received: Received[];
  connections: () => number;
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done).closeAllConnections())));
});

async function receiver(answer: (res: ServerResponse) => void, host = '127.0.0.1'): Promise<Receiver> {
  const received: Received[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(res);
    });
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((ready) => server.listen(0, host, ready));
  const { port } = server.address() as AddressInfo;
  const origin = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
  return { url: (path = '/hook') => `${origin}${path}`, port, received, connections: () => connections };
}

/** Every name resolves to these addresses, as a hostile DNS server would answer. */
function resolvesTo(...addresses: string[]): LookupFunction {
  return (_hostname, options, callback) => {
    const answers = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, answers);
    else callback(null, answers[0]!.address, answers[0]!.family);
  };
}

const secret = generateWebhookSecret();
const body = JSON.stringify({ id: 'evt_1', type: 'order.completed', data: { order: { id: 1, status: 'Completed' } } });

function signed(url: string, timeoutMs = 3000) {
  return { url, headers: signWebhook({ id: 'evt_1', timestamp: unixSeconds(new Date()), body }, [secret]), body, timeoutMs };
}

describe('delivering to a local receiver (local stack: loopback allowed)', () => {
  const local = new HttpWebhookSender({ allowLoopbackHttp: true });

  it('posts the signed JSON body, which the standardwebhooks library verifies on arrival', async () => {
    const hook = await receiver((res) => res.writeHead(200).end('ok'));
    const attempt = await local.deliver(signed(hook.url()));
    expect(attempt).toMatchObject({ status: 200 });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(0);
    const [got] = hook.received;
    expect(got?.method).toBe('POST');
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers['user-agent']).toMatch(/^Codex-Webhooks/);
    expect(new Webhook(secret).verify(got!.body, got!.headers as Record<string, string>)).toEqual(JSON.parse(body));
  });

  it('reaches a receiver on ::1', async () => {
    const hook = await receiver((res) => res.writeHead(204).end(), '::1');
    expect(await local.deliver(signed(hook.url()))).toMatchObject({ status: 204 });
    expect(hook.received).toHaveLength(1);
  });

  it('does not follow a redirect: the 3xx is the answer, and a failure to retry', async () => {
    const target = await receiver((res) => res.writeHead(200).end());
    const hook = await receiver((res) => res.writeHead(302, { location: target.url() }).end());
    const attempt = await local.deliver(signed(hook.url()));
    expect(attempt).toMatchObject({ status: 302 });
    expect(target.connections()).toBe(0);
    expect(classifyDelivery(attempt as { status: number }, 1, new Date())).toMatchObject({ kind: 'retry' });
  });

  it('records a 500 as an answer that will be retried', async () => {
    const hook = await receiver((res) => res.writeHead(500).end('boom'));
    const attempt = await local.deliver(signed(hook.url()));
    expect(attempt).toMatchObject({ status: 500 });
    expect(classifyDelivery(attempt as { status: number }, 1, new Date())).toMatchObject({ kind: 'retry', delayMs: 5000 });
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const hook = await receiver(() => {
      /* never answers */
    });
    const attempt = await local.deliver(signed(hook.url(), 300));
    expect(attempt).toMatchObject({ error: 'timeout' });
    expect(attempt.latencyMs).toBeGreaterThanOrEqual(290);
    expect(attempt.latencyMs).toBeLessThan(2000);
    expect(classifyDelivery({ error: 'timeout' }, 1, new Date())).toMatchObject({ kind: 'retry' });
  });

  it('reports a closed port as a connection failure', async () => {
    const hook = await receiver((res) => res.end());
    const url = hook.url();
    await new Promise((done) => servers.pop()!.close(done));
    expect(await local.deliver(signed(url))).toMatchObject({ error: 'connection_failed', detail: 'ECONNREFUSED' });
  });

  it('still refuses private addresses other than loopback, and names that resolve to them', async () => {
    expect(await local.deliver(signed('http://10.0.0.1:4010/hook'))).toMatchObject({ error: 'invalid_url' });
    const viaName = new HttpWebhookSender({ allowLoopbackHttp: true, lookup: resolvesTo('192.168.0.10') });
    expect(await viaName.deliver(signed('https://hooks.example.test/'))).toMatchObject({ error: 'blocked_address' });
    const mapped = new HttpWebhookSender({ allowLoopbackHttp: true, lookup: resolvesTo('::ffff:169.254.169.254') });
    expect(await mapped.deliver(signed('https://hooks.example.test/'))).toMatchObject({ error: 'blocked_address' });
  });
});

describe('SSRF guard (AWS: loopback not allowed)', () => {
  const aws = new HttpWebhookSender();

  it('refuses http, even to a receiver that is listening', async () => {
    const hook = await receiver((res) => res.writeHead(200).end());
    expect(await aws.deliver(signed(hook.url()))).toMatchObject({ error: 'blocked_address', latencyMs: 0 });
    expect(await aws.deliver(signed('http://panel.example.com/hook'))).toMatchObject({ error: 'invalid_url' });
    expect(hook.connections()).toBe(0);
  });

  it.each([
    'https://10.0.0.1/hook',
    'https://172.16.5.4/hook',
    'https://192.168.1.1/hook',
    'https://127.0.0.1/hook',
    'https://[::1]/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://user:pw@panel.example.com/hook',
  ])('refuses %s before connecting', async (url) => {
    const attempt = await aws.deliver(signed(url));
    expect(attempt).toMatchObject({ error: expect.stringMatching(/^(blocked_address|invalid_url)$/), latencyMs: 0 });
  });

  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '127.0.0.1',
    '::1',
    '169.254.169.254',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.1.1',
    '0.0.0.0',
  ])('refuses a name that resolves to %s, when connecting', async (address) => {
    const sender = new HttpWebhookSender({ lookup: resolvesTo(address) });
    const attempt = await sender.deliver(signed('https://hooks.example.test/codex'));
    expect(attempt).toMatchObject({ error: 'blocked_address', detail: expect.stringContaining('is not allowed') });
  });

  it('refuses a name resolving to loopback where a receiver listens, which never sees a connection', async () => {
    const hook = await receiver((res) => res.writeHead(200).end());
    const sender = new HttpWebhookSender({ lookup: resolvesTo('127.0.0.1') });
    expect(await sender.deliver(signed(`https://rebound.example.test:${hook.port}/hook`))).toMatchObject({ error: 'blocked_address' });
    expect(hook.connections()).toBe(0);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const sender = new HttpWebhookSender({ lookup: resolvesTo('10.0.0.7', '93.184.216.34') });
    expect(await sender.deliver(signed('https://hooks.example.test/'))).toMatchObject({ error: 'blocked_address' });
  });

  it('never puts the signature or the body in what it reports', async () => {
    const sender = new HttpWebhookSender({ lookup: resolvesTo('10.0.0.1') });
    const request = signed('https://hooks.example.test/');
    const reported = JSON.stringify(await sender.deliver(request));
    expect(reported).not.toContain(request.headers['webhook-signature'].slice(3, 20));
    expect(reported).not.toContain('order.completed');
  });
});

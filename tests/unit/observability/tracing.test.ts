// What an operator finds in X-Ray when tracing is on: the handler's subsegment with, inside it, one subsegment per AWS
// SDK call, per fetch (provider panels, payment gateways, the hand-signed AWS calls) and per webhook sent. Read as the
// X-Ray daemon receives it: the documents the SDK sends over UDP, here to a socket of the test's own.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// As Lambda sets them with active tracing, before the Tracer and the X-Ray SDK load.
vi.hoisted(() => {
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1',
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${20_000 + (process.pid % 20_000)}`,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
});

import { HttpWebhookSender } from '../../../lambdas/adapters/webhooks/webhook-sender.js';
import { observe } from '../../../lambdas/shared/observability/observe.js';
import { documentClient } from '../../../lambdas/shared/platform/dynamodb.js';
import { lambdaContext } from '../../../local/functions.js';

interface TraceDocument {
  name: string;
  namespace?: string;
  parent_id: string;
  trace_id: string;
  id: string;
  fault?: boolean;
  error?: boolean;
  http?: { request?: { url: string; method: string }; response?: { status: number } };
  aws?: { operation?: string };
}

const daemon = createSocket('udp4');
const documents: TraceDocument[] = [];
const server = createServer((request, response) => {
  if (request.url === '/fails') response.statusCode = 503;
  response.end('{}');
});
let base = '';

beforeAll(async () => {
  daemon.on('message', (message) => documents.push(JSON.parse(message.toString().split('\n')[1]!) as TraceDocument));
  await new Promise<void>((resolve) => daemon.bind(Number(process.env.AWS_XRAY_DAEMON_ADDRESS!.split(':')[1]), '127.0.0.1', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  Object.assign(process.env, { DYNAMODB_ENDPOINT: base, TABLE_NAME: 'codex', AWS_REGION: 'us-east-1' });
});

afterAll(() => {
  server.close();
  daemon.close();
});

const received = async (count: number) => {
  for (let i = 0; i < 100 && documents.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return documents;
};

describe('traces', () => {
  it('hold one subsegment per fetch, webhook and AWS SDK call, inside the handler subsegment, with no query string', async () => {
    const handler = observe(async () => {
      await fetch(`${base}/api/v2?key=never-in-a-trace`, { method: 'POST' });
      await new HttpWebhookSender({ allowLoopbackHttp: true }).deliver({ url: `${base}/fails`, body: '{}', headers: {}, timeoutMs: 2_000 } as never);
      await documentClient()
        .send(new GetCommand({ TableName: 'codex', Key: { pk: 'x', sk: 'y' } }))
        .catch(() => undefined);
    });

    await handler({}, lambdaContext('ordersApi', 'request-1') as never);

    const all = await received(4);
    const handlerSegment = all.find((document) => document.name === '## index.handler');
    expect(handlerSegment).toBeDefined();
    const inside = all.filter((document) => document.parent_id === handlerSegment!.id);
    expect(inside).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: '127.0.0.1',
          namespace: 'remote',
          http: expect.objectContaining({ request: { url: 'http://127.0.0.1/api/v2', method: 'POST' } }),
        }),
        // The webhook receiver answered 503.
        expect.objectContaining({ name: '127.0.0.1', namespace: 'remote', fault: true }),
        expect.objectContaining({ name: 'DynamoDB', namespace: 'aws', aws: expect.objectContaining({ operation: 'GetItem' }) }),
      ]),
    );
    expect(JSON.stringify(all)).not.toContain('never-in-a-trace');
  });
});

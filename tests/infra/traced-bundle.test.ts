// A function bundled as CDK deploys it (lib/bundling.ts, SDK modules replaced), run as Lambda runs it with active
// tracing: it prints its cold start as an EMF line, and the X-Ray daemon (here a UDP socket of the test's own)
// receives the handler's subsegment with one subsegment per DynamoDB call and per fetch. Guards the bundle aliases:
// a slimmer X-Ray SDK or SDK client must still trace.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../lib/bundling.js';
import { metricsOf, parseOutput } from '../support/emf.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-traced-bundle-'));
const daemon = createSocket('udp4');
// Answers every DynamoDB call with an empty item and every other request with {}.
const endpoint = createServer((_request, response) => {
  response.setHeader('content-type', 'application/x-amz-json-1.0');
  response.end('{}');
});

afterAll(() => {
  daemon.close();
  endpoint.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe('A bundled function with tracing on', () => {
  it('prints its cold start and sends a subsegment per DynamoDB call and per fetch', async () => {
    const documents: { name: string; namespace?: string; parent_id: string; id: string; aws?: { operation?: string }; http?: unknown }[] = [];
    daemon.on('message', (message) => documents.push(JSON.parse(message.toString().split('\n')[1]!)));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const endpointUrl = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}`;
    const probe = await bundleFunction('tests/support/traced-probe.ts', join(workDir, 'probe'));
    const script = `const { handler } = await import(${JSON.stringify(probe.file)}); await handler({ pk: 'probe-1' }, { functionName: 'traced-probe', awsRequestId: 'request-1' });`;

    const { stdout } = await promisify(execFile)(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        // What Lambda sets for an on-demand function with active tracing.
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
        AWS_LAMBDA_FUNCTION_NAME: 'traced-probe',
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        LAMBDA_TASK_ROOT: '/var/task',
        _HANDLER: 'index.handler',
        _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1',
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'probe',
        AWS_SECRET_ACCESS_KEY: 'probe',
        AWS_SESSION_TOKEN: 'probe-session',
        TABLE_NAME: 'codex',
        DYNAMODB_ENDPOINT: endpointUrl,
        EVENT_BUS_NAME: 'bus',
        API_KEY_PEPPER_SECRET_ID: 'pepper',
        STAGE: 'test',
      },
    });

    expect(metricsOf(parseOutput(stdout).emf)).toEqual([
      expect.objectContaining({
        namespace: 'Codex',
        name: 'ColdStart',
        value: 1,
        dimensions: { service: 'codex', stage: 'test', function_name: 'traced-probe' },
      }),
    ]);
    for (let i = 0; i < 100 && documents.length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const handler = documents.find((document) => document.name === '## index.handler');
    expect(handler).toBeDefined();
    expect(documents.filter((document) => document.parent_id === handler!.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'DynamoDB', namespace: 'aws', aws: expect.objectContaining({ operation: 'GetItem' }) }),
        expect.objectContaining({
          name: '127.0.0.1',
          namespace: 'remote',
          http: expect.objectContaining({ request: { url: 'http://127.0.0.1/fetched', method: 'GET' } }),
        }),
      ]),
    );
  });
});

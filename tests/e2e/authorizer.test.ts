// The reseller REQUEST authorizer (lambdas/reseller/authorizer-handler.ts) run by the local gateway on the started
// stack: what it decides from the key in a header reaches the v2 handler. The stack records every invocation's event
// (CODEX_CAPTURE_EVENTS); the context can only come from the authorizer, which looks the key up in the table.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayPrefix } from '../../lambdas/access/domain/api-keys.js';
import { DEMO_RESELLER } from '../../local/seed.js';
import { LOCAL_SHARED_GATEWAY_KEY } from '../../local/stack.js';
import { type RunningStack, startStackProcess } from '../support/local-process.js';

let workDir: string;
let captureFile: string;
let stack: RunningStack;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'codex-authorizer-'));
  captureFile = join(workDir, 'events.jsonl');
  stack = await startStackProcess({ workDir, env: { CODEX_CAPTURE_EVENTS: captureFile } });
});

afterAll(async () => {
  await stack?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** The events of one request, found by a marker in its query string. */
function eventsOf(marker: string): { function: string; event: any }[] {
  return readFileSync(captureFile, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((entry) => entry.event?.queryStringParameters?.marker === marker);
}

describe('the reseller authorizer on the local stack', () => {
  it('passes a header-key request with the owner and its own gateway key, which reach the v2 handler', async () => {
    const key = stack.demo.reseller.apiKey;
    const response = await fetch(`${stack.demo.v2Url}?marker=header`, {
      method: 'POST',
      headers: { 'x-api-key': key },
      body: new URLSearchParams({ action: 'balance' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ currency: 'USD' });

    const events = eventsOf('header');
    expect(events.map((e) => e.function)).toEqual(['apiAuthorizer', 'resellerApi']);
    expect(events[0]!.event).toMatchObject({
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:000000000000:local/local/POST/api/v2',
      resource: '/api/v2',
    });
    const { authorizer, identity } = events[1]!.event.requestContext;
    expect(authorizer).toEqual({
      principalId: DEMO_RESELLER.id,
      ownerId: DEMO_RESELLER.id,
      keyPrefix: displayPrefix(key),
      throttledBy: 'usage-plan',
      integrationLatency: expect.any(Number),
    });
    // The demo reseller's own gateway key, not the shared one.
    expect(identity.apiKey).toEqual(expect.any(String));
    expect(identity.apiKey).not.toBe(LOCAL_SHARED_GATEWAY_KEY);
  });

  it('puts a body-key request under the shared key, and the handler still authenticates it', async () => {
    const response = await fetch(`${stack.demo.v2Url}?marker=body`, {
      method: 'POST',
      body: new URLSearchParams({ key: stack.demo.reseller.apiKey, action: 'balance' }),
    });
    expect(await response.json()).toMatchObject({ currency: 'USD' });
    const [, handled] = eventsOf('body');
    expect(handled!.event.requestContext.authorizer).toEqual({ principalId: 'anonymous', throttledBy: 'application', integrationLatency: expect.any(Number) });
    expect(handled!.event.requestContext.identity.apiKey).toBe(LOCAL_SHARED_GATEWAY_KEY);
  });

  it("lets an unknown header key through to the handler, which answers it the protocol's way", async () => {
    const response = await fetch(`${stack.demo.v2Url}?marker=unknown`, {
      method: 'POST',
      headers: { authorization: `Bearer cdx_${'U'.repeat(40)}` },
      body: 'action=balance',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ error: 'Invalid API key' });
    expect(eventsOf('unknown').map((e) => [e.function, e.event.requestContext.authorizer?.throttledBy])).toEqual([
      ['apiAuthorizer', undefined],
      ['resellerApi', 'application'],
    ]);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParametersSecretStore } from '../../../lambdas/adapters/secrets/parameters-secret-store.js';
import { SignedSecretsProvider } from '../../../lambdas/adapters/secrets/signed-secrets-provider.js';

function store(answers: Response[]) {
  const sent: { url: string; init: RequestInit }[] = [];
  let now = Date.parse('2026-12-01T10:00:00.000Z');
  // Powertools' cache reads the system clock; timers stay real (the retries wait on them).
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
  const provider = new SignedSecretsProvider({
    region: 'eu-west-1',
    credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }),
    fetch: (async (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return answers.shift() ?? new Response('{}', { status: 200 });
    }) as unknown as typeof fetch,
    now: () => new Date(now),
  });
  const secrets = new ParametersSecretStore(provider, { maxAgeSeconds: 300 });
  return {
    secrets,
    sent,
    advance: (ms: number) => {
      now += ms;
      vi.setSystemTime(now);
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SignedSecretsProvider (Powertools Parameters)', () => {
  it("asks Secrets Manager's GetSecretValue with a SigV4-signed call and keeps the value five minutes", async () => {
    const { secrets, sent, advance } = store([
      new Response('{"ARN":"arn","SecretString":"key material"}', { status: 200 }),
      new Response('{"SecretString":"new material"}', { status: 200 }),
    ]);
    expect(await secrets.get('codex/dev/webhook-secret-key')).toBe('key material');
    expect(await secrets.get('codex/dev/webhook-secret-key')).toBe('key material');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe('https://secretsmanager.eu-west-1.amazonaws.com/');
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({ SecretId: 'codex/dev/webhook-secret-key' });
    const headers = sent[0]!.init.headers as Record<string, string>;
    expect(headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261201\/eu-west-1\/secretsmanager\/aws4_request, /);
    advance(5 * 60_000 + 1);
    expect(await secrets.get('codex/dev/webhook-secret-key')).toBe('new material');
  });

  it('fails with the error type only, and asks again on the next call', async () => {
    const { secrets, sent } = store([
      new Response('{"__type":"AccessDeniedException","Message":"no"}', { status: 400, headers: { 'x-amzn-errortype': 'AccessDeniedException' } }),
      new Response('{"SecretString":"key material"}', { status: 200 }),
    ]);
    await expect(secrets.get('s')).rejects.toThrow('Secrets Manager answered 400 (AccessDeniedException) for s');
    expect(await secrets.get('s')).toBe('key material');
    expect(sent).toHaveLength(2);
  });

  it('tries again after a 5xx, throttling or a dropped connection, up to three times in all', async () => {
    const { secrets, sent } = store([
      new Response('{}', { status: 503 }),
      new Response('{"__type":"ThrottlingException"}', { status: 400, headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal' } }),
      new Response('{"SecretString":"key material"}', { status: 200 }),
    ]);
    expect(await secrets.get('s')).toBe('key material');
    expect(sent).toHaveLength(3);

    const failing = store([new Response('{}', { status: 500 }), new Response('{}', { status: 500 }), new Response('{}', { status: 500 })]);
    await expect(failing.secrets.get('s')).rejects.toThrow('Secrets Manager answered 500');
    expect(failing.sent).toHaveLength(3);

    let calls = 0;
    const dropped = new SignedSecretsProvider({
      region: 'eu-west-1',
      credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
      fetch: (async () => {
        calls += 1;
        if (calls === 1) throw new TypeError('fetch failed');
        return new Response('{"SecretString":"after a drop"}', { status: 200 });
      }) as unknown as typeof fetch,
    });
    expect(await dropped.get('s', { maxAge: 300 })).toBe('after a drop');
    expect(calls).toBe(2);
  });
});

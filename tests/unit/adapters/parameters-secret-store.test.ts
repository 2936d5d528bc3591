import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParametersSecretStore } from '../../../lambdas/adapters/secrets/parameters-secret-store.js';
import { InMemorySecretStore } from '../../../local/secret-store.js';

describe('ParametersSecretStore over Powertools SecretsProvider', () => {
  let client: SecretsManagerClient;
  let sm: AwsClientStub<SecretsManagerClient>;
  const cached = () => new ParametersSecretStore(new SecretsProvider({ awsSdkV3Client: client }), { maxAgeSeconds: 300 });

  beforeEach(() => {
    client = new SecretsManagerClient({ region: 'us-east-1' });
    sm = mockClient(client);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('asks Secrets Manager for the secret by its id and returns the string value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'key-one' });

    await expect(cached().get('codex/providers/p1')).resolves.toBe('key-one');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'codex/providers/p1' });
  });

  it('keeps a value five minutes, then reads the rotated one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2026-12-01T10:00:00.000Z'));
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'before-rotation' }).resolves({ SecretString: 'after-rotation' });
    const store = cached();

    expect(await store.get('s')).toBe('before-rotation');
    vi.setSystemTime(Date.parse('2026-12-01T10:05:00.000Z'));
    expect(await store.get('s')).toBe('before-rotation');
    vi.setSystemTime(Date.parse('2026-12-01T10:05:00.001Z'));
    expect(await store.get('s')).toBe('after-rotation');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('shares one call between concurrent gets of the same secret', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'value' });
    const store = cached();

    const values = await Promise.all([store.get('s'), store.get('s'), store.get('s')]);

    expect(values).toEqual(['value', 'value', 'value']);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('caches each secret id separately', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'a' }).resolves({ SecretString: 'value-a' });
    sm.on(GetSecretValueCommand, { SecretId: 'b' }).resolves({ SecretString: 'value-b' });
    const store = cached();

    expect(await store.get('a')).toBe('value-a');
    expect(await store.get('b')).toBe('value-b');
    expect(await store.get('a')).toBe('value-a');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('reads a forced store afresh every time: the admin API sees a key right after rotating it', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'old key' }).resolves({ SecretString: 'new key' });
    const fresh = new ParametersSecretStore(new SecretsProvider({ awsSdkV3Client: client }), { maxAgeSeconds: 0, forceFetch: true });

    expect(await fresh.get('s')).toBe('old key');
    expect(await fresh.get('s')).toBe('new key');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('does not cache a failed call: the next get asks again and succeeds', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'Secrets Manager cannot find the secret', $metadata: {} }))
      .resolves({ SecretString: 'value' });
    const store = cached();

    await expect(store.get('s')).rejects.toThrow('Secrets Manager cannot find the secret');
    await expect(store.get('s')).resolves.toBe('value');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a secret without a string value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });

    await expect(cached().get('binary')).rejects.toThrow(/binary has no string value/);
  });
});

describe('InMemorySecretStore', () => {
  it('returns configured secrets and refuses unknown ones', async () => {
    const store = new InMemorySecretStore({ p1: 'key-one' });
    await expect(store.get('p1')).resolves.toBe('key-one');
    await expect(store.get('p2')).rejects.toThrow(/p2 is not configured/);
  });
});

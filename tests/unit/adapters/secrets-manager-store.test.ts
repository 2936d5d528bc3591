import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerStore } from '../../../lambdas/adapters/secrets/secrets-manager-store.js';
import { InMemorySecretStore } from '../../../local/secret-store.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SecretsManagerStore', () => {
  let client: SecretsManagerClient;
  let sm: AwsClientStub<SecretsManagerClient>;

  beforeEach(() => {
    client = new SecretsManagerClient({ region: 'us-east-1' });
    sm = mockClient(client);
  });

  it('asks Secrets Manager for the secret by its id and returns the string value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'key-one' });
    const store = new SecretsManagerStore(client);

    await expect(store.get('codex/providers/p1')).resolves.toBe('key-one');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'codex/providers/p1' });
  });

  it('makes one GetSecretValue call for two gets of the same secret within the TTL', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'first' }).resolves({ SecretString: 'second' });
    const store = new SecretsManagerStore(client);

    expect(await store.get('s')).toBe('first');
    expect(await store.get('s')).toBe('first');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('shares one call between concurrent gets of the same secret', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'value' });
    const store = new SecretsManagerStore(client);

    const values = await Promise.all([store.get('s'), store.get('s'), store.get('s')]);

    expect(values).toEqual(['value', 'value', 'value']);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('caches each secret id separately', async () => {
    sm.on(GetSecretValueCommand, { SecretId: 'a' }).resolves({ SecretString: 'value-a' });
    sm.on(GetSecretValueCommand, { SecretId: 'b' }).resolves({ SecretString: 'value-b' });
    const store = new SecretsManagerStore(client);

    expect(await store.get('a')).toBe('value-a');
    expect(await store.get('b')).toBe('value-b');
    expect(await store.get('a')).toBe('value-a');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fetches the secret again once the TTL has passed, picking up a rotated value', async () => {
    sm.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'before-rotation' }).resolves({ SecretString: 'after-rotation' });
    const store = new SecretsManagerStore(client, 20);

    expect(await store.get('s')).toBe('before-rotation');
    await sleep(60);
    expect(await store.get('s')).toBe('after-rotation');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('does not cache a failed call: the next get asks again and succeeds', async () => {
    sm.on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'Secrets Manager cannot find the secret', $metadata: {} }))
      .resolves({ SecretString: 'value' });
    const store = new SecretsManagerStore(client);

    await expect(store.get('s')).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(store.get('s')).resolves.toBe('value');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a secret without a string value and does not cache that refusal', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretBinary: new Uint8Array([1, 2, 3]) })
      .resolves({ SecretString: 'value' });
    const store = new SecretsManagerStore(client);

    await expect(store.get('binary')).rejects.toThrow(/binary has no string value/);
    await expect(store.get('binary')).resolves.toBe('value');

    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});

describe('InMemorySecretStore', () => {
  it('returns configured secrets and refuses unknown ones', async () => {
    const store = new InMemorySecretStore({ p1: 'key-one' });
    await expect(store.get('p1')).resolves.toBe('key-one');
    await expect(store.get('p2')).rejects.toThrow(/p2 is not configured/);
  });
});

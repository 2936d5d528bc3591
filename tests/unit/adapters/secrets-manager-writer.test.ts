import { CreateSecretCommand, PutSecretValueCommand, ResourceExistsException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerWriter } from '../../../lambdas/adapters/secrets/secrets-manager-writer.js';

describe('SecretsManagerWriter', () => {
  let client: SecretsManagerClient;
  let sm: AwsClientStub<SecretsManagerClient>;

  beforeEach(() => {
    client = new SecretsManagerClient({ region: 'us-east-1' });
    sm = mockClient(client);
  });

  it('creates the secret under its name the first time', async () => {
    sm.on(CreateSecretCommand).resolves({ Name: 'codex/prod/providers/acme' });
    await expect(new SecretsManagerWriter(client).put('codex/prod/providers/acme', 'key-1', 'API key of provider acme')).resolves.toBe(
      'codex/prod/providers/acme',
    );
    expect(sm.commandCalls(CreateSecretCommand)[0]!.args[0].input).toEqual({
      Name: 'codex/prod/providers/acme',
      SecretString: 'key-1',
      Description: 'API key of provider acme',
    });
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('puts a new version when the secret exists (a rotated key)', async () => {
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
    sm.on(PutSecretValueCommand).resolves({});
    await new SecretsManagerWriter(client).put('codex/prod/providers/acme', 'key-2');
    expect(sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'codex/prod/providers/acme', SecretString: 'key-2' });
  });

  it('fails naming the secret and the error type, never the value', async () => {
    sm.on(CreateSecretCommand).rejects(Object.assign(new Error('not allowed to store key-3'), { name: 'AccessDeniedException' }));
    const failure = await new SecretsManagerWriter(client).put('codex/prod/providers/acme', 'key-3').catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('Secrets Manager did not store codex/prod/providers/acme (AccessDeniedException)');
    expect((failure as Error).message).not.toContain('key-3');
  });
});

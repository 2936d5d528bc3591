// Secrets Manager behind the SecretWriter port: CreateSecret the first time, PutSecretValue (a new current version)
// after. Errors name the secret and the error's type only, never the value.
import { CreateSecretCommand, PutSecretValueCommand, ResourceExistsException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretWriter } from '../../shared/ports.js';

export class SecretsManagerWriter implements SecretWriter {
  constructor(private readonly client: SecretsManagerClient) {}

  async put(name: string, value: string, description?: string): Promise<string> {
    try {
      await this.client.send(new CreateSecretCommand({ Name: name, SecretString: value, ...(description ? { Description: description } : {}) }));
      return name;
    } catch (error) {
      if (!(error instanceof ResourceExistsException)) throw refused(name, error);
    }
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: name, SecretString: value }));
      return name;
    } catch (error) {
      throw refused(name, error);
    }
  }
}

function refused(name: string, error: unknown): Error {
  return new Error(`Secrets Manager did not store ${name} (${error instanceof Error ? error.name : 'unknown error'})`);
}

// Secrets held in memory: the local stack's stand-in for Secrets Manager (read and, for the admin API's provider
// keys, written), also used by tests.
import type { SecretStore, SecretWriter } from '../lambdas/shared/ports.js';

export class InMemorySecretStore implements SecretStore, SecretWriter {
  constructor(private readonly secrets: Record<string, string>) {}

  async get(secretId: string): Promise<string> {
    const value = this.secrets[secretId];
    if (value === undefined) throw new Error(`Secret ${secretId} is not configured`);
    return value;
  }

  async put(name: string, value: string): Promise<string> {
    this.secrets[name] = value;
    return name;
  }
}

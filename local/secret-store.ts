// Secrets held in memory: the local stack's stand-in for Secrets Manager, also used by tests.
import type { SecretStore } from '../lambdas/shared/ports.js';

export class InMemorySecretStore implements SecretStore {
  constructor(private readonly secrets: Record<string, string>) {}

  async get(secretId: string): Promise<string> {
    const value = this.secrets[secretId];
    if (value === undefined) throw new Error(`Secret ${secretId} is not configured`);
    return value;
  }
}

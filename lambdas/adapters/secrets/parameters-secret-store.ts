// A Powertools Parameters provider (SecretsProvider, or SignedSecretsProvider where the SDK client does not fit the
// bundle) behind the SecretStore port: Powertools keeps each value for maxAge seconds per container.
import type { BaseProviderInterface } from '@aws-lambda-powertools/parameters/base/types';
import type { SecretStore } from '../../shared/ports.js';

export interface SecretReads {
  /** How long a value is kept; 0 with forceFetch for reads that must see a rotation at once. */
  maxAgeSeconds: number;
  forceFetch?: boolean;
}

export class ParametersSecretStore implements SecretStore {
  // Concurrent first reads of a secret (a batch's records in parallel) share one call.
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly provider: Pick<BaseProviderInterface, 'get'>,
    private readonly reads: SecretReads,
  ) {}

  get(secretId: string): Promise<string> {
    if (this.reads.forceFetch) return this.read(secretId);
    const pending = this.inFlight.get(secretId);
    if (pending) return pending;
    const value = this.read(secretId).finally(() => this.inFlight.delete(secretId));
    this.inFlight.set(secretId, value);
    return value;
  }

  private async read(secretId: string): Promise<string> {
    const value = await this.provider.get(secretId, { maxAge: this.reads.maxAgeSeconds, forceFetch: this.reads.forceFetch ?? false });
    if (typeof value !== 'string') throw new Error(`Secret ${secretId} has no string value`);
    return value;
  }
}

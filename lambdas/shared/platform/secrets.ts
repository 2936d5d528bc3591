import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SecretsManagerStore } from '../../adapters/secrets/secrets-manager-store.js';
import { SecretsManagerWriter } from '../../adapters/secrets/secrets-manager-writer.js';
import { SignedSecretsStore } from '../../adapters/secrets/signed-secrets-store.js';
import { lazy, platform } from '../platform.js';
import type { SecretStore, SecretWriter } from '../ports.js';
import { config } from './config.js';
import { traced } from '../observability/tracer.js';

const secretsManager = /* @__PURE__ */ lazy(() => traced(new SecretsManagerClient({ region: config().AWS_REGION })));

/**
 * Reads secrets (peppers, signing seeds, provider keys) with one signed GetSecretValue call, cached 5 minutes per
 * container: the SDK's Secrets Manager client (13 KB, and its protocol's share of @smithy/core) stays out of every
 * function that only reads, which most bundles have no room for.
 */
export const secretStore: () => SecretStore = /* @__PURE__ */ lazy(
  () => platform().secrets ?? new SignedSecretsStore({ region: config().AWS_REGION, credentials: fromEnv() }),
);

/** Uncached: what the admin API reads right after rotating a key must be the new one (it reads keys rarely). */
export const freshSecretStore: () => SecretStore = /* @__PURE__ */ lazy(() => platform().secrets ?? new SecretsManagerStore(secretsManager(), 0));

/** Only the functions that store provider keys (adminProviders) use this, and only they may. */
export const secretWriter: () => SecretWriter = /* @__PURE__ */ lazy(() => platform().secretWriter ?? new SecretsManagerWriter(secretsManager()));

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../adapters/secrets/secrets-manager-store.js';
import { SecretsManagerWriter } from '../../adapters/secrets/secrets-manager-writer.js';
import { lazy, platform } from '../platform.js';
import type { SecretStore, SecretWriter } from '../ports.js';
import { config } from './config.js';

const secretsManager = /* @__PURE__ */ lazy(() => new SecretsManagerClient({ region: config().AWS_REGION }));

export const secretStore: () => SecretStore = /* @__PURE__ */ lazy(() => platform().secrets ?? new SecretsManagerStore(secretsManager()));

/** Uncached: what the admin API reads right after rotating a key must be the new one (it reads keys rarely). */
export const freshSecretStore: () => SecretStore = /* @__PURE__ */ lazy(() => platform().secrets ?? new SecretsManagerStore(secretsManager(), 0));

/** Only the functions that store provider keys (adminProviders) use this, and only they may. */
export const secretWriter: () => SecretWriter = /* @__PURE__ */ lazy(() => platform().secretWriter ?? new SecretsManagerWriter(secretsManager()));

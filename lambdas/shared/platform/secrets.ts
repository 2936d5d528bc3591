import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { ParametersSecretStore } from '../../adapters/secrets/parameters-secret-store.js';
import { SecretsManagerWriter } from '../../adapters/secrets/secrets-manager-writer.js';
import { SignedSecretsProvider } from '../../adapters/secrets/signed-secrets-provider.js';
import { lazy, platform } from '../platform.js';
import type { SecretStore, SecretWriter } from '../ports.js';
import { config } from './config.js';
import { traced } from '../observability/tracer.js';

const secretsManager = /* @__PURE__ */ lazy(() => traced(new SecretsManagerClient({ region: config().AWS_REGION })));

/** Peppers, signing seeds and provider keys change rarely: a container reads each at most every 5 minutes. */
const SECRET_MAX_AGE_SECONDS = 300;

/**
 * Reads secrets (peppers, signing seeds, provider keys) through Powertools Parameters with one signed GetSecretValue
 * call: the SDK's Secrets Manager client (13 KB, and its protocol's share of @smithy/core) stays out of every
 * function that only reads, which most bundles have no room for.
 */
export const secretStore: () => SecretStore = /* @__PURE__ */ lazy(
  () =>
    platform().secrets ??
    new ParametersSecretStore(new SignedSecretsProvider({ region: config().AWS_REGION, credentials: fromEnv() }), { maxAgeSeconds: SECRET_MAX_AGE_SECONDS }),
);

/** Uncached: what the admin API reads right after rotating a key must be the new one (it reads keys rarely). */
export const freshSecretStore: () => SecretStore = /* @__PURE__ */ lazy(
  () => platform().secrets ?? new ParametersSecretStore(new SecretsProvider({ awsSdkV3Client: secretsManager() }), { maxAgeSeconds: 0, forceFetch: true }),
);

/** Only the functions that store provider keys (adminProviders) use this, and only they may. */
export const secretWriter: () => SecretWriter = /* @__PURE__ */ lazy(() => platform().secretWriter ?? new SecretsManagerWriter(secretsManager()));

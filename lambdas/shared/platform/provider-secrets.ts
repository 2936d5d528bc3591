// Provider keys and callback secrets, read by the order functions (submit, poller, order actions, provider
// callbacks): one signed HTTPS call to Secrets Manager instead of the SDK client, whose 13 KB (and its protocol's share
// of @smithy/core) those bundles have no room for. Cached 5 minutes per container, like secretStore.
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignedSecretsStore } from '../../adapters/secrets/signed-secrets-store.js';
import { lazy, platform } from '../platform.js';
import type { SecretStore } from '../ports.js';
import { config } from './config.js';

export const providerSecretStore: () => SecretStore = /* @__PURE__ */ lazy(
  () => platform().secrets ?? new SignedSecretsStore({ region: config().AWS_REGION, credentials: fromEnv() }),
);

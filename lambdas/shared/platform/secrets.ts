import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerStore } from '../../adapters/secrets/secrets-manager-store.js';
import { lazy, platform } from '../platform.js';
import type { SecretStore } from '../ports.js';
import { config } from './config.js';

export const secretStore: () => SecretStore = /* @__PURE__ */ lazy(
  () => platform().secrets ?? new SecretsManagerStore(new SecretsManagerClient({ region: config().AWS_REGION })),
);

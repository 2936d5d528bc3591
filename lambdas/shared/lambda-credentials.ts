// Stands in for @aws-sdk/credential-provider-node inside Lambda bundles (see lib/bundling.ts). Lambda puts the
// execution role's credentials in the environment, the first link of the SDK's default chain; the other links (SSO,
// profiles, IMDS, web identity, with the STS and SSO clients they carry) never run there but weigh 136 KB per bundle.
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);

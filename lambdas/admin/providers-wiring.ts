// What adminProviders adds to the admin catalog's adapters: the provider client (balance, sync), reading keys
// uncached so a rotated key is used at once, and the secret writer (provider keys, named
// `codex/<stage>/providers/<id>` as the stack's grants expect).
import { SmmV2ProviderClients } from '../adapters/provider/smm-v2-client.js';
import { MeteredProviderClients } from '../catalog/application/metered-provider-clients.js';
import type { ProviderClients } from '../catalog/ports.js';
import { metricsRecorder } from '../shared/platform/metrics.js';
import { lazy, platform } from '../shared/platform.js';
import { config } from '../shared/platform/config.js';
import { freshSecretStore, secretWriter } from '../shared/platform/secrets.js';

export { secretWriter };

export const providerClients: () => ProviderClients = /* @__PURE__ */ lazy(
  () => new MeteredProviderClients(new SmmV2ProviderClients(freshSecretStore(), platform().fetch), metricsRecorder()),
);

export function providerSecretName(providerId: string, kind: 'key' | 'callback'): string {
  return `codex/${config().STAGE}/providers/${providerId}${kind === 'callback' ? '/callback' : ''}`;
}

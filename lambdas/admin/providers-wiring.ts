// What adminProviders adds to the admin catalog's adapters: the provider client (balance, sync) and the secret
// writer (provider keys, named `codex/<stage>/providers/<id>` as the stack's grants expect).
import { providerClients } from '../catalog/wiring.js';
import { config } from '../shared/platform/config.js';
import { secretWriter } from '../shared/platform/secrets.js';

export { providerClients, secretWriter };

export function providerSecretName(providerId: string, kind: 'key' | 'callback'): string {
  return `codex/${config().STAGE}/providers/${providerId}${kind === 'callback' ? '/callback' : ''}`;
}

// The upstream provider most tests put in the catalog: `demo` unless an id is given, reached through a ScriptedProvider
// (its URL is never called), fields overridable.
import type { Provider } from '../../lambdas/catalog/domain/catalog.js';

export function testProvider(overrides: Partial<Provider> = {}): Provider {
  const id = overrides.id ?? 'demo';
  return {
    id,
    name: id === 'demo' ? 'Demo' : id,
    apiUrl: 'http://127.0.0.1:1/api/v2',
    keySecretId: 'k',
    timeoutMs: 1000,
    acceptsRequestId: true,
    enabled: true,
    ...overrides,
  };
}

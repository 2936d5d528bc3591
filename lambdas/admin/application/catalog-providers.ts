// The admin API's providers: list with health figures, create and edit (the API key goes to the secret store and
// nowhere else: not the answer, not the table, not the audit entry, not a log), enable, disable, maintenance, and
// the provider's balance.
import type { Provider, ProviderStatus } from '../../catalog/domain/catalog.js';
import { changedFields, providerRecord } from '../../catalog/domain/catalog-records.js';
import type { CatalogAdminStore, ProviderClients, ProviderFigures } from '../../catalog/ports.js';
import { DomainError } from '../../shared/errors.js';
import { type StatusMapping, statusMappingOf } from '../../orders/domain/order-status.js';
import type { Clock, SecretWriter } from '../../shared/ports.js';
import { type Actor, catalogAudit } from './catalog-audit.js';

export interface ProviderAdminServices {
  store: CatalogAdminStore;
  clock: Clock;
}

export interface ProviderWriteServices extends ProviderAdminServices {
  secrets: SecretWriter;
  /** Where a provider's secrets are kept: `codex/<stage>/providers/<id>` and `.../callback` on AWS. */
  secretName(providerId: string, kind: 'key' | 'callback'): string;
}

export interface ProviderHealthFigures {
  /** Status calls and failures in the poller's alert window (kept from the first failure on; none: healthy). */
  calls: number;
  failures: number;
  /** failures / calls, 0 without calls. */
  errorRate: number;
  failuresByKind: Record<string, number>;
  unhealthySince?: string;
  openOrders: number;
}

export interface NewProvider {
  id: string;
  name: string;
  apiUrl: string;
  apiKey: string;
  timeoutMs: number;
  acceptsRequestId: boolean;
  callbackSecret?: string;
  /** The provider's own status words, as sent (normalised and checked here). */
  statusMapping?: Record<string, string>;
}

/** `callbackSecret: null` stops callbacks (polling goes on); `statusMapping: null` (or `{}`) removes the provider's words. */
export type ProviderPatch = Partial<Omit<NewProvider, 'id' | 'callbackSecret' | 'statusMapping'>> & {
  callbackSecret?: string | null;
  statusMapping?: Record<string, string> | null;
};

const ATTEMPTS = 5;

export async function listProviders(
  deps: ProviderAdminServices & { figures: ProviderFigures },
): Promise<{ provider: Provider; health: ProviderHealthFigures }[]> {
  const providers = await deps.store.providers();
  return Promise.all(
    providers.map(async (provider) => {
      const [state, openOrders] = await Promise.all([deps.figures.health(provider.id), deps.figures.openOrders(provider.id)]);
      const minutes = state?.minutes ?? [];
      const calls = minutes.reduce((sum, m) => sum + m.calls, 0);
      const failures = minutes.reduce((sum, m) => sum + m.failures, 0);
      const failuresByKind: Record<string, number> = {};
      for (const m of minutes) for (const [kind, n] of Object.entries(m.kinds)) failuresByKind[kind] = (failuresByKind[kind] ?? 0) + (n ?? 0);
      return {
        provider,
        health: {
          calls,
          failures,
          errorRate: calls === 0 ? 0 : Math.round((failures / calls) * 1000) / 1000,
          failuresByKind,
          ...(state?.unhealthySince ? { unhealthySince: state.unhealthySince } : {}),
          openOrders,
        },
      };
    }),
  );
}

export async function createProvider(deps: ProviderWriteServices, actor: Actor, input: NewProvider): Promise<Provider> {
  // Checked before anything is written (the secrets are written first).
  const statusMapping = input.statusMapping === undefined ? undefined : checkedMapping(input.statusMapping);
  if (await deps.store.provider(input.id)) throw exists(input.id);
  // The secrets first: a provider item never names a secret that is not there.
  const keySecretId = await deps.secrets.put(deps.secretName(input.id, 'key'), input.apiKey, `API key of provider ${input.id}`);
  const callbackSecretId =
    input.callbackSecret === undefined
      ? undefined
      : await deps.secrets.put(deps.secretName(input.id, 'callback'), input.callbackSecret, `Callback signing secret of provider ${input.id}`);
  const at = deps.clock.now().toISOString();
  const provider: Provider = {
    id: input.id,
    name: input.name,
    apiUrl: input.apiUrl,
    keySecretId,
    ...(callbackSecretId ? { callbackSecretId } : {}),
    timeoutMs: input.timeoutMs,
    acceptsRequestId: input.acceptsRequestId,
    ...(statusMapping && Object.keys(statusMapping).length > 0 ? { statusMapping } : {}),
    enabled: true,
    status: 'enabled',
    version: 1,
    updatedAt: at,
  };
  const after = { ...providerRecord(provider), apiKey: 'set', ...(callbackSecretId ? { callbackSecret: 'set' } : {}) };
  const saved = await deps.store.saveProvider({
    after: provider,
    audit: catalogAudit(actor, at, { action: 'provider.created', subjectType: 'provider', subject: provider.id, after }),
  });
  if (!saved) throw exists(input.id);
  return provider;
}

/** Undefined when there is no such provider. */
export async function editProvider(deps: ProviderWriteServices, actor: Actor, id: string, patch: ProviderPatch): Promise<Provider | undefined> {
  const statusMapping = patch.statusMapping ? checkedMapping(patch.statusMapping) : patch.statusMapping;
  const current = await deps.store.provider(id);
  if (!current) return undefined;
  // A new key is stored under the canonical name whatever the provider used before (a hand-made secret, say).
  const keySecretId = patch.apiKey === undefined ? undefined : await deps.secrets.put(deps.secretName(id, 'key'), patch.apiKey, `API key of provider ${id}`);
  const callbackSecretId =
    typeof patch.callbackSecret === 'string'
      ? await deps.secrets.put(deps.secretName(id, 'callback'), patch.callbackSecret, `Callback signing secret of provider ${id}`)
      : undefined;
  const secretsNote = {
    ...(keySecretId ? { apiKey: 'rotated' } : {}),
    ...(callbackSecretId ? { callbackSecret: current.callbackSecretId ? 'rotated' : 'set' } : {}),
    ...(patch.callbackSecret === null && current.callbackSecretId ? { callbackSecret: 'removed' } : {}),
  };
  return changeProvider(
    deps,
    actor,
    id,
    'provider.updated',
    (before, at) => {
      const after: Provider = {
        ...before,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.apiUrl !== undefined ? { apiUrl: patch.apiUrl } : {}),
        ...(patch.timeoutMs !== undefined ? { timeoutMs: patch.timeoutMs } : {}),
        ...(patch.acceptsRequestId !== undefined ? { acceptsRequestId: patch.acceptsRequestId } : {}),
        ...(keySecretId ? { keySecretId } : {}),
        ...(callbackSecretId ? { callbackSecretId } : {}),
        version: (before.version ?? 0) + 1,
        updatedAt: at,
      };
      if (patch.callbackSecret === null) delete after.callbackSecretId;
      if (statusMapping === null || (statusMapping && Object.keys(statusMapping).length === 0)) delete after.statusMapping;
      else if (statusMapping) after.statusMapping = statusMapping;
      return after;
    },
    secretsNote,
  );
}

export function setProviderStatus(deps: ProviderAdminServices, actor: Actor, id: string, status: ProviderStatus): Promise<Provider | undefined> {
  return changeProvider(deps, actor, id, `provider.${status === 'enabled' ? 'enabled' : status === 'disabled' ? 'disabled' : 'maintenance'}`, (before, at) => ({
    ...before,
    status,
    enabled: status !== 'disabled',
    version: (before.version ?? 0) + 1,
    updatedAt: at,
  }));
}

/** The provider's `balance` answer and how long it took (a live probe of the provider's API and of our key). */
export async function providerBalance(
  deps: { store: CatalogAdminStore; clients: ProviderClients; clock: Clock },
  id: string,
): Promise<{ balance: string; currency: string; latencyMs: number } | undefined> {
  const provider = await deps.store.provider(id);
  if (!provider) return undefined;
  const client = await deps.clients.forProvider(provider);
  const started = deps.clock.now().getTime();
  const answer = await client.balance();
  return { ...answer, latencyMs: deps.clock.now().getTime() - started };
}

/** Reads, changes and saves conditioned on the version read, again after a lost race; no write when nothing changed. */
async function changeProvider(
  deps: ProviderAdminServices,
  actor: Actor,
  id: string,
  action: string,
  change: (before: Provider, at: string) => Provider,
  secretsNote: Record<string, string> = {},
): Promise<Provider | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const before = await deps.store.provider(id);
    if (!before) return undefined;
    const at = deps.clock.now().toISOString();
    const after = change(before, at);
    const changes = changedFields(providerRecord(before), providerRecord(after));
    const noted = { before: changes.before, after: { ...changes.after, ...secretsNote } };
    const secretsMoved = before.keySecretId !== after.keySecretId || before.callbackSecretId !== after.callbackSecretId;
    if (Object.keys(noted.after).length === 0 && Object.keys(noted.before).length === 0 && !secretsMoved) return before;
    const saved = await deps.store.saveProvider({ before, after, audit: catalogAudit(actor, at, { action, subjectType: 'provider', subject: id, ...noted }) });
    if (saved) return after;
  }
  throw new DomainError('catalog_busy', 'The provider changed while this was being saved; try again');
}

function checkedMapping(input: Record<string, string>): StatusMapping {
  const checked = statusMappingOf(input);
  if ('problem' in checked) throw new DomainError('invalid_request', checked.problem, 'statusMapping');
  return checked.mapping;
}

function exists(id: string): DomainError {
  return new DomainError('provider_exists', `A provider with the id ${id} already exists`, 'id');
}

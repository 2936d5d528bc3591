// /admin/v1/providers (create, edit), balance and sync: contract/providers.ts. The only routes that write provider
// secrets or call a provider, so only adminProviders carries the provider client and Secrets Manager.
import { actorOf } from '../../../admin/application/catalog-audit.js';
import { createProvider, editProvider, providerBalance } from '../../../admin/application/catalog-providers.js';
import { syncProvider } from '../../../admin/application/provider-sync.js';
import { catalogAdminStore, catalogAuditLog } from '../../../admin/catalog-wiring.js';
import { providerClients, providerSecretName, secretWriter } from '../../../admin/providers-wiring.js';
import { providerRecord, serviceRecord } from '../../../catalog/domain/catalog-records.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../../catalog/domain/provider-errors.js';
import { formatMoney, subtractMoney } from '../../../shared/money.js';
import { systemClock } from '../../../shared/platform/config.js';
import { created, notFound, ok, RestError, type RouteImpl, route } from '../../v1/http.js';
import { adminProviderBalance, createAdminProvider, syncAdminProvider, updateAdminProvider } from '../contract/providers.js';

const writeDeps = () => ({ store: catalogAdminStore(), clock: systemClock, secrets: secretWriter(), secretName: providerSecretName });

/** A provider's answer as the admin sees it; its own words were redacted of the key by the client. */
async function askingProvider<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProviderRejected) throw new RestError(409, 'provider_refused', `The provider refused: ${error.message}`);
    if (error instanceof ProviderNotReached || error instanceof ProviderOutcomeUnknown)
      throw new RestError(503, 'provider_unreachable', `The provider did not answer: ${error.message}`);
    throw error;
  }
}

export const providerRoutes: readonly RouteImpl[] = [
  route(createAdminProvider, async (req) => {
    const { callbackSecret, ...rest } = req.body;
    const provider = await createProvider(writeDeps(), actorOf(req), { ...rest, ...(callbackSecret !== undefined ? { callbackSecret } : {}) });
    return created(providerRecord(provider));
  }),
  route(updateAdminProvider, async (req) => {
    const patch = Object.fromEntries(Object.entries(req.body).filter(([, value]) => value !== undefined));
    const provider = await editProvider(writeDeps(), actorOf(req), req.params.id, patch);
    if (!provider) throw notFound('Provider');
    return ok(providerRecord(provider));
  }),
  route(adminProviderBalance, async (req) => {
    const balance = await askingProvider(() => providerBalance({ store: catalogAdminStore(), clients: providerClients(), clock: systemClock }, req.params.id));
    if (!balance) throw notFound('Provider');
    return ok(balance);
  }),
  route(syncAdminProvider, async (req) => {
    const { dryRun, markup, categories, reprice } = req.body;
    const result = await askingProvider(() =>
      syncProvider({ store: catalogAdminStore(), clients: providerClients(), audit: catalogAuditLog(), clock: systemClock }, actorOf(req), req.params.id, {
        dryRun,
        markup: { kind: markup.kind, value: markup.value, ...(markup.rounding !== undefined ? { rounding: markup.rounding } : {}) },
        ...(categories ? { categories } : {}),
        ...(reprice !== undefined ? { reprice } : {}),
      }),
    );
    if (!result) throw notFound('Provider');
    const { plan, addedIds } = result;
    return ok({
      dryRun: result.dryRun,
      added: plan.added.map((service, i) => {
        const { id: _placeholder, ...record } = serviceRecord({ ...service, id: addedIds[i] ?? 0 });
        return addedIds[i] !== undefined ? { id: addedIds[i], ...record } : record;
      }),
      changed: plan.changed.map((c) => ({
        id: c.service.id,
        name: c.service.name,
        providerServiceId: c.service.providerServiceId,
        ...(c.costBefore !== undefined ? { costBefore: formatMoney(c.costBefore, 2) } : {}),
        costAfter: formatMoney(c.costAfter, 2),
        rate: formatMoney(c.service.ratePer1000, 2),
        rateAfter: formatMoney(c.rateAfter, 2),
        marginAfter: formatMoney(subtractMoney(c.rateAfter, c.costAfter), 2),
      })),
      disappeared: plan.disappeared.map((s) => ({ id: s.id, name: s.name, providerServiceId: s.providerServiceId })),
      skipped: plan.skipped,
      conflicts: result.conflicts,
    });
  }),
];

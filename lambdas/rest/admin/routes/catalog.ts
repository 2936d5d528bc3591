// /admin/v1/services... and the provider list and status changes: contract/catalog.ts. Money in, money out as
// decimal strings; the use cases are in lambdas/admin/application/catalog-*.ts.
import { actorOf } from '../../../admin/application/catalog-audit.js';
import { listProviders, setProviderStatus } from '../../../admin/application/catalog-providers.js';
import {
  type ServiceFields,
  type ServicePatch,
  createService,
  editService,
  listServices,
  priceHistory,
  setServiceEnabled,
} from '../../../admin/application/catalog-services.js';
import { catalogAdminStore, providerFigures } from '../../../admin/catalog-wiring.js';
import { providerRecord, serviceRecord } from '../../../catalog/domain/catalog-records.js';
import type { ProviderStatus, Service } from '../../../catalog/domain/catalog.js';
import { formatMoney, type Micros, parseMoney } from '../../../shared/money.js';
import { systemClock } from '../../../shared/platform/config.js';
import { created, notFound, ok, type RouteImpl, route } from '../../v1/http.js';
import {
  adminServicePriceHistory,
  createAdminService,
  disableAdminProvider,
  disableAdminService,
  enableAdminProvider,
  enableAdminService,
  listAdminProviders,
  listAdminServices,
  maintainAdminProvider,
  updateAdminService,
} from '../contract/catalog.js';

const deps = () => ({ store: catalogAdminStore(), clock: systemClock });

type FallbackInput = { providerId: string; providerServiceId: string; cost?: string | undefined };

const fallbacksOf = (fallbacks: FallbackInput[]) =>
  fallbacks.map((f, i) => ({
    providerId: f.providerId,
    providerServiceId: f.providerServiceId,
    ...(f.cost !== undefined ? { costPer1000: parseMoney(f.cost, `fallbacks.${i}.cost`) } : {}),
  }));

/** The wire's names and decimal strings to the catalog's (rate → ratePer1000 in micros, and so on). */
function serviceInput<T extends Record<string, unknown>>(body: T): Record<string, unknown> {
  const { rate, cost, fallbacks, ...rest } = body as Record<string, unknown>;
  return {
    ...rest,
    ...(typeof rate === 'string' ? { ratePer1000: parseMoney(rate, 'rate') } : {}),
    ...(typeof cost === 'string' ? { costPer1000: parseMoney(cost, 'cost') } : cost === null ? { costPer1000: null } : {}),
    ...(Array.isArray(fallbacks) ? { fallbacks: fallbacksOf(fallbacks as FallbackInput[]) } : {}),
  };
}

const serviceOr404 = (service: Service | undefined) => {
  if (!service) throw notFound('Service');
  return ok(serviceRecord(service));
};

const statusRoute = (operation: typeof enableAdminProvider | typeof disableAdminProvider | typeof maintainAdminProvider, status: ProviderStatus) =>
  route(operation, async (req) => {
    const provider = await setProviderStatus(deps(), actorOf(req), req.params.id, status);
    if (!provider) throw notFound('Provider');
    return ok(providerRecord(provider));
  });

export const catalogRoutes: readonly RouteImpl[] = [
  route(listAdminServices, async () => ok({ items: (await listServices(deps())).map(serviceRecord) })),
  route(createAdminService, async (req) => {
    const fields = {
      refill: false,
      cancel: false,
      dripfeed: false,
      ...serviceInput(req.body),
    } as unknown as ServiceFields;
    const { service, replayed } = await createService(deps(), actorOf(req), fields, req.headers['idempotency-key']);
    return replayed ? ok(serviceRecord(service)) : created(serviceRecord(service));
  }),
  route(updateAdminService, async (req) => serviceOr404(await editService(deps(), actorOf(req), req.params.id, serviceInput(req.body) as ServicePatch))),
  route(enableAdminService, async (req) => serviceOr404(await setServiceEnabled(deps(), actorOf(req), req.params.id, true))),
  route(disableAdminService, async (req) => serviceOr404(await setServiceEnabled(deps(), actorOf(req), req.params.id, false))),
  route(adminServicePriceHistory, async (req) => {
    const changes = await priceHistory(deps(), req.params.id);
    if (!changes) throw notFound('Service');
    const point = (p: { ratePer1000: Micros; costPer1000?: Micros }) => ({
      rate: formatMoney(p.ratePer1000, 2),
      ...(p.costPer1000 !== undefined ? { cost: formatMoney(p.costPer1000, 2) } : {}),
    });
    return ok({
      items: changes.map((c) => ({
        at: c.at,
        by: c.by,
        ...(c.byEmail ? { byEmail: c.byEmail } : {}),
        source: c.source,
        ...(c.before ? { before: point(c.before) } : {}),
        after: point(c.after),
      })),
    });
  }),
  route(listAdminProviders, async () => {
    const providers = await listProviders({ ...deps(), figures: providerFigures() });
    return ok({ items: providers.map(({ provider, health }) => ({ ...providerRecord(provider), health })) });
  }),
  statusRoute(enableAdminProvider, 'enabled'),
  statusRoute(disableAdminProvider, 'disabled'),
  statusRoute(maintainAdminProvider, 'maintenance'),
];

// The catalog: services we sell and the upstream providers that fulfil them.
import type { Micros } from '../../shared/money.js';
import type { ServiceTypeName } from './service-types.js';
import type { StatusMapping } from '../../orders/domain/order-status.js';

export type ServiceType = ServiceTypeName;

export interface Service {
  id: number;
  name: string;
  type: ServiceType;
  category: string;
  description?: string;
  /** Our price per 1,000 units. */
  ratePer1000: Micros;
  min: number;
  max: number;
  refill: boolean;
  cancel: boolean;
  dripfeed: boolean;
  enabled: boolean;
  providerId: string;
  providerServiceId: string;
  /** What the provider charges us per 1,000 units, for margin reports. */
  costPer1000?: Micros;
  /** Days after an order ends during which a refill may be asked (default 30). */
  refillDays?: number;
  /** Refuses a second open order for the same link, as many panels do. */
  exclusiveLink?: boolean;
  /** Units in one package (Package type): what a provider's `remains` counts down from, for partial refunds. */
  packageSize?: number;
  /**
   * Minutes an order usually takes to complete (for a drip-feed, its first run): an open order older than this
   * needs a person (`order.needs_attention`, overdue). ORDER_EXPECTED_MINUTES_DEFAULT when absent.
   */
  expectedMinutes?: number;
  /**
   * Providers to submit to, in order, when the one before refuses the order outright or takes no new orders
   * (disabled, maintenance). Never after an unclear failure: that order may exist upstream.
   */
  fallbacks?: ProviderMapping[];
  /** Bumped by every admin change; each change is conditioned on the version it read. */
  version?: number;
  updatedAt?: string;
}

/** Where a service's orders can go: a provider's service and what it charges us per 1,000 units. */
export interface ProviderMapping {
  providerId: string;
  providerServiceId: string;
  costPer1000?: Micros;
}

export interface Provider {
  id: string;
  name: string;
  apiUrl: string;
  /** Where the provider's API key is kept: a Secrets Manager secret id on AWS, a local name locally. */
  keySecretId: string;
  /**
   * Where the secret that signs the provider's status callbacks is kept (`whsec_...`, Standard Webhooks), beside its
   * key: `codex/<stage>/providers/<id>/callback` on AWS. Absent: the provider does not push, and callbacks are refused.
   */
  callbackSecretId?: string;
  timeoutMs: number;
  /** The provider honours `request_id` on `add`, so resending after an unclear failure cannot duplicate an order. */
  acceptsRequestId: boolean;
  /**
   * The provider's own status words, read before the common spellings (keys normalised: lower case, single spaces):
   * a status, or `ambiguous` (Canceled only once a later reading confirms it). docs/providers.md.
   */
  statusMapping?: StatusMapping;
  /** Polled and its callbacks taken: false only when `status` is disabled (kept for the readers that predate status). */
  enabled: boolean;
  /** enabled: takes orders; maintenance: no new submissions, open orders still followed; disabled: neither. */
  status?: ProviderStatus;
  version?: number;
  updatedAt?: string;
}

export type ProviderStatus = 'enabled' | 'disabled' | 'maintenance';

export const PROVIDER_STATUSES: readonly ProviderStatus[] = ['enabled', 'disabled', 'maintenance'];

export function providerStatusOf(provider: Pick<Provider, 'enabled' | 'status'>): ProviderStatus {
  return provider.status ?? (provider.enabled ? 'enabled' : 'disabled');
}

/** Whether new orders may be submitted to it now. */
export function takesNewOrders(provider: Pick<Provider, 'enabled' | 'status'>): boolean {
  return providerStatusOf(provider) === 'enabled';
}

/** The service's mappings in the order submission tries them: its own provider first, then its fallbacks. */
export function mappingsOf(service: Pick<Service, 'providerId' | 'providerServiceId' | 'costPer1000' | 'fallbacks'>): ProviderMapping[] {
  const primary: ProviderMapping = {
    providerId: service.providerId,
    providerServiceId: service.providerServiceId,
    ...(service.costPer1000 !== undefined ? { costPer1000: service.costPer1000 } : {}),
  };
  return [primary, ...(service.fallbacks ?? [])];
}

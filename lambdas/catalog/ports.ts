// The catalog (services and the providers behind them) and the upstream provider panels we talk to.
import type { RefillStatus } from '../orders/domain/refills.js';
import type { ProviderProgress } from '../orders/domain/orders.js';
import type { Provider, Service } from './domain/catalog.js';
import type { AuditEntry } from '../audit/domain/audit-entry.js';
import type { ProviderHealthState } from '../orders/domain/provider-health.js';
import type { Micros } from '../shared/money.js';

export interface CatalogStore {
  getService(id: number): Promise<Service | undefined>;
  listServices(): Promise<Service[]>;
  getProvider(id: string): Promise<Provider | undefined>;
  listProviders(): Promise<Provider[]>;
  putService(service: Service): Promise<void>;
  putProvider(provider: Provider): Promise<void>;
}

export interface PlaceRequest {
  providerServiceId: string;
  /** The whole `add` form of the order's type; when absent, link and quantity (a Default order). */
  fields?: Record<string, string>;
  link?: string;
  quantity?: number;
  /** Sent as `request_id`; providers that honour it return the same order for the same id. */
  requestId: string;
}

export interface ProviderOrderStatus extends ProviderProgress {
  charge?: string;
  currency?: string;
}

export interface ProviderServiceListing {
  service: string;
  name: string;
  type: string;
  category: string;
  rate: string;
  min: number;
  max: number;
  refill: boolean;
  cancel: boolean;
  dripfeed?: boolean;
}

export interface ProviderClient {
  place(request: PlaceRequest): Promise<{ externalOrderId: string }>;
  status(externalOrderId: string): Promise<ProviderOrderStatus>;
  /** At most 100 ids; an id the provider does not know maps to an Error. */
  multiStatus(externalOrderIds: string[]): Promise<Map<string, ProviderOrderStatus | Error>>;
  cancel(externalOrderIds: string[]): Promise<Map<string, true | Error>>;
  refill(externalOrderId: string): Promise<{ refillId: string }>;
  /** At most 100 ids; an id the provider does not know maps to an Error. */
  refillStatus(externalRefillIds: string[]): Promise<Map<string, RefillStatus | Error>>;
  services(): Promise<ProviderServiceListing[]>;
  balance(): Promise<{ balance: string; currency: string }>;
}

export interface ProviderClients {
  forProvider(provider: Provider): Promise<ProviderClient>;
}

/** One change of a service's price or cost (`PRICE#<serviceId>`): who, when, from what to what. */
export interface PriceChange {
  serviceId: number;
  at: string;
  /** The admin's user id (Cognito sub). */
  by: string;
  byEmail?: string;
  /** `admin` (an edit) or `sync` (a provider sync). */
  source: 'admin' | 'sync';
  before?: { ratePer1000: Micros; costPer1000?: Micros };
  after: { ratePer1000: Micros; costPer1000?: Micros };
}

/** A change to save: created when `before` is absent, else conditioned on the version `before` carries. */
export interface CatalogChange<T> {
  before?: T;
  after: T;
  audit: AuditEntry;
}

/** The admin API's reads (fresh, never the order path's 30 s cache) and writes of the catalog. */
export interface CatalogAdminStore {
  services(): Promise<Service[]>;
  service(id: number): Promise<Service | undefined>;
  providers(): Promise<Provider[]>;
  provider(id: string): Promise<Provider | undefined>;
  /**
   * Writes the service, its price change (when there is one) and the audit entry in one transaction; with an
   * idempotency key, also the key's claim (a create). False when the id is taken, the version moved on, or the key
   * was used: nothing is written then.
   */
  saveService(change: CatalogChange<Service> & { price?: PriceChange; idempotencyKey?: string }): Promise<boolean>;
  /** The service an idempotency key of a create made, if any. */
  serviceOfKey(idempotencyKey: string): Promise<number | undefined>;
  saveProvider(change: CatalogChange<Provider>): Promise<boolean>;
  /** Newest first. */
  priceHistory(serviceId: number): Promise<PriceChange[]>;
}

/** What the provider list shows of each provider's health: the poller's window and its open orders. */
export interface ProviderFigures {
  health(providerId: string): Promise<ProviderHealthState | undefined>;
  openOrders(providerId: string): Promise<number>;
}

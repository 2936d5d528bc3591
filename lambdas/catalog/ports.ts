// The catalog (services and the providers behind them) and the upstream provider panels we talk to.
import type { RefillStatus } from '../orders/domain/refills.js';
import type { ProviderProgress } from '../orders/domain/orders.js';
import type { Provider, Service } from './domain/catalog.js';

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

// The catalog: services we sell and the upstream providers that fulfil them.
import type { Micros } from '../../shared/money.js';
import type { ServiceTypeName } from './service-types.js';

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
  enabled: boolean;
}

// What the order use cases need from the outside. Each use case names the part it uses, so a function wires only
// the adapters (and AWS clients) its use cases need; see orders/wiring.ts.
import type { CatalogStore, ProviderClients } from '../../catalog/ports.js';
import type { Clock, EventPublisher } from '../../shared/ports.js';
import type {
  ExclusiveLinks,
  OrderIdAllocator,
  OrderLimits,
  OrderStore,
  OrderWorkflow,
  PendingReadingStore,
  RefillStore,
  ResellerPrices,
  TaskTokenStore,
} from '../ports.js';
import type { WalletStore } from '../../wallets/ports.js';
import type { MetricsRecorder } from '../../shared/observability/metrics-recorder.js';

export interface OrderServices {
  catalog: CatalogStore;
  orders: OrderStore;
  refills: RefillStore;
  tokens: TaskTokenStore;
  links: ExclusiveLinks;
  wallets: WalletStore;
  orderIds: OrderIdAllocator;
  providers: ProviderClients;
  workflow: OrderWorkflow;
  /** Ambiguous provider readings waiting for a later one before the order may settle. */
  readings: PendingReadingStore;
  events: EventPublisher;
  clock: Clock;
  settings: OrderSettings;
  /** Absent when no limit is configured. */
  limits?: OrderLimits;
  /** Resellers' wholesale prices; absent: everyone pays catalog rates. */
  pricing?: ResellerPrices;
  /** Orders accepted, refused and finalized, refunds, overdue orders (shared/observability/metric-catalogue.ts). */
  metrics: MetricsRecorder;
}

export interface OrderSettings {
  progressMinIntervalMs: number;
  /** Least time between an ambiguous reading and the later one that confirms it (domain/ambiguous-readings.ts). */
  ambiguousConfirmMs: number;
  sweepMinAgeMs: number;
}

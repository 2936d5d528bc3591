// What the order use cases need from the outside, in one bundle built by the composition root.
import type {
  CatalogStore,
  Clock,
  EventPublisher,
  OrderIdAllocator,
  OrderStore,
  OrderWorkflow,
  ProviderClients,
  WalletStore,
} from '../domain/ports.js';

export interface OrderServices {
  catalog: CatalogStore;
  orders: OrderStore;
  wallets: WalletStore;
  orderIds: OrderIdAllocator;
  providers: ProviderClients;
  workflow: OrderWorkflow;
  events: EventPublisher;
  clock: Clock;
  settings: { progressMinIntervalMs: number; sweepMinAgeMs: number };
}

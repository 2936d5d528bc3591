// What the order use cases need from the outside, in one bundle built by the composition root.
import type { CatalogStore, ProviderClients } from '../../catalog/ports.js';
import type { Clock, EventPublisher } from '../../shared/ports.js';
import type { OrderIdAllocator, OrderStore, OrderWorkflow } from '../ports.js';
import type { WalletStore } from '../../wallets/ports.js';

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

// The interfaces the domain needs from the outside world. Adapters (DynamoDB, Step Functions, provider HTTP,
// EventBridge, Secrets Manager, and their local stand-ins) implement them; nothing here knows about AWS.
import type { Provider, Service } from './catalog.js';
import type { DomainEvent } from './events.js';
import type { Micros } from './money.js';
import type { Order, OrderPhase, ProviderProgress, Settlement } from './orders.js';
import type { OrderStatus } from './order-status.js';

export interface Clock {
  now(): Date;
}

export interface CatalogStore {
  getService(id: number): Promise<Service | undefined>;
  listServices(): Promise<Service[]>;
  getProvider(id: string): Promise<Provider | undefined>;
  listProviders(): Promise<Provider[]>;
  putService(service: Service): Promise<void>;
  putProvider(provider: Provider): Promise<void>;
}

export type LedgerKind = 'deposit' | 'order_charge' | 'order_refund' | 'adjustment';

export interface LedgerEntry {
  walletId: string;
  seq: number;
  kind: LedgerKind;
  /** Signed: credits are positive, debits negative. */
  amount: Micros;
  balanceAfter: Micros;
  reference: string;
  at: string;
}

export interface Wallet {
  id: string;
  ownerId: string;
  currency: string;
  balance: Micros;
  seq: number;
}

export interface WalletStore {
  openWallet(wallet: { id: string; ownerId: string; currency: string }, now: string): Promise<void>;
  getWallet(id: string): Promise<Wallet | undefined>;
  /** Credits a wallet once per idempotency key; a repeat returns 'already_applied' and changes nothing. */
  credit(input: { walletId: string; amount: Micros; kind: LedgerKind; reference: string; idempotencyKey: string; at: string }): Promise<'applied' | 'already_applied'>;
  listLedger(walletId: string): Promise<LedgerEntry[]>;
}

/** An open order as the open-orders index shows it: enough to poll and sweep without reading the order. */
export interface OpenOrderSummary {
  id: number;
  providerId: string;
  phase: OrderPhase;
  status: OrderStatus;
  externalOrderId?: string;
  startCount?: number;
  remains?: number;
  createdAt: string;
  progressAt?: string;
}

export interface OrderStore {
  /** Records the order and debits its charge in one transaction; refuses to overdraw the wallet. */
  placeOrder(order: Order): Promise<void>;
  /** The order a client's request id already produced, if any. */
  findByRequestId(ownerId: string, requestId: string): Promise<number | undefined>;
  getOrder(id: number): Promise<Order | undefined>;
  getOrders(ids: number[]): Promise<Map<number, Order>>;
  /** Marks a call to the provider as under way; undefined when the order is no longer waiting to be submitted. */
  beginSubmit(id: number, now: string): Promise<Order | undefined>;
  recordSubmitted(id: number, externalOrderId: string, now: string): Promise<void>;
  recordRejected(id: number, reason: string, now: string): Promise<void>;
  /** The last call certainly did not reach the provider, so the next one is safe. */
  clearSubmitInFlight(id: number, now: string): Promise<void>;
  /** Stores the workflow's callback token and returns the order as it now stands. */
  parkTaskToken(id: number, token: string, now: string): Promise<Order | undefined>;
  /** Writes the provider's progress; returns the order as it now stands, undefined if it is already finalized. */
  recordProgress(id: number, progress: ProviderProgress, now: string): Promise<Order | undefined>;
  /** Settles the order exactly once: status, refund ledger entry and wallet credit in one transaction. */
  finalize(order: Order, settlement: Settlement, now: string): Promise<'applied' | 'already_applied'>;
  listOpenOrders(providerId: string, cursor?: string): Promise<{ orders: OpenOrderSummary[]; cursor?: string }>;
}

export interface OrderIdAllocator {
  next(): Promise<number>;
}

export interface ApiKeyRecord {
  keyHash: string;
  prefix: string;
  ownerId: string;
  walletId: string;
  status: 'active' | 'revoked';
  label?: string;
  createdAt: string;
}

export interface ApiKeyStore {
  put(record: ApiKeyRecord): Promise<void>;
  findByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
}

export interface UserRecord {
  id: string;
  email: string;
  role: 'customer' | 'reseller' | 'admin';
  walletId: string;
  createdAt: string;
}

export interface UserStore {
  put(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | undefined>;
}

// ---- Upstream providers ----

export interface PlaceRequest {
  providerServiceId: string;
  link: string;
  quantity: number;
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
  services(): Promise<ProviderServiceListing[]>;
  balance(): Promise<{ balance: string; currency: string }>;
}

export interface ProviderClients {
  forProvider(provider: Provider): Promise<ProviderClient>;
}

export interface SecretStore {
  /** A secret's value, cached by the adapter; never logged. */
  get(secretId: string): Promise<string>;
}

// ---- Workflow and events ----

export interface OrderWorkflow {
  /** Starts the order's workflow unless one is already running; restarts (redrives) a failed one. */
  ensureStarted(orderId: number): Promise<void>;
  /** Resumes a workflow parked on a callback token. Unknown or expired tokens are not an error. */
  resume(taskToken: string, output: Record<string, unknown>): Promise<void>;
}

export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}

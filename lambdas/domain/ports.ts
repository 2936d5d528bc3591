// The interfaces the domain needs from the outside world. Adapters (DynamoDB, Step Functions, provider HTTP,
// EventBridge, Secrets Manager, and their local stand-ins) implement them; nothing here knows about AWS.
import type { ApiKeyLimits, ApiKeyStatus } from './api-keys.js';
import type { Provider, Service } from './catalog.js';
import type { DomainEvent } from './events.js';
import type { Micros } from './money.js';
import type { Order, OrderPhase, OrderStatusView, ProviderProgress, Settlement } from './orders.js';
import type { OrderStatus } from './order-status.js';
import type { Refill, RefillStatus } from './refills.js';

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
  /** Any number of orders, read together: the missing ones are left out. */
  getOrders(ids: number[]): Promise<Map<number, Order>>;
  /** The same read, of only what a status answer shows: cheaper per order. */
  getOrderStatuses(ids: number[]): Promise<Map<number, OrderStatusView>>;
  /** Marks a call to the provider as under way, if none is; undefined when one is or the order is no longer waiting. */
  beginSubmit(id: number, now: string): Promise<Order | undefined>;
  /** Marks a call to the provider as under way, whether or not one was (resending is safe with request_id). */
  markSubmitInFlight(id: number, now: string): Promise<Order | undefined>;
  /** Returns the order as it now stands; undefined when it was no longer waiting to be submitted. */
  recordSubmitted(id: number, externalOrderId: string, now: string): Promise<Order | undefined>;
  /** Marks the customer's wish to cancel, only while the order is in that phase; undefined otherwise. */
  requestCancel(id: number, now: string, whilePhase: OrderPhase): Promise<Order | undefined>;
  /** Lets another order use the link again; harmless to repeat. */
  releaseExclusiveLink(order: Order): Promise<void>;
  /** Claims the order's refill for now (no other refill since the cooldown began) before the provider is asked. */
  reserveRefill(orderId: number, at: string, cooldownStartsAfter: string): Promise<{ reserved: true; previous?: string } | { reserved: false }>;
  /** Gives the claim back when the provider did not take the refill. */
  releaseRefill(orderId: number, at: string, previous?: string): Promise<void>;
  putRefill(refill: Refill): Promise<void>;
  getRefills(ids: number[]): Promise<Map<number, Refill>>;
  updateRefillStatus(id: number, status: RefillStatus, now: string): Promise<void>;
  recordRejected(id: number, reason: string, now: string): Promise<void>;
  countResubmitRound(id: number, now: string): Promise<void>;
  /** The last call certainly did not reach the provider, so the next one is safe. */
  clearSubmitInFlight(id: number, now: string): Promise<void>;
  /** Stores the workflow's callback token; returns the order as it now stands, undefined if it is already finalized. */
  parkTaskToken(id: number, token: string, now: string): Promise<Order | undefined>;
  /** The callback token of the order's waiting workflow, if one was parked. */
  getTaskToken(id: number): Promise<string | undefined>;
  /** Writes the provider's progress; returns the order as it now stands, undefined if it is already finalized. */
  recordProgress(id: number, progress: ProviderProgress, now: string): Promise<Order | undefined>;
  /** Settles the order exactly once: status, refund ledger entry and wallet credit in one transaction. */
  finalize(order: Order, settlement: Settlement, now: string): Promise<'applied' | 'already_applied'>;
  listOpenOrders(providerId: string, cursor?: string): Promise<{ orders: OpenOrderSummary[]; cursor?: string }>;
}

export interface OrderIdAllocator {
  /** A new unique id; given the owner, an owner's ids come out close together where the store can arrange it. */
  next(ownerId?: string): Promise<number>;
}

/** Numeric ids for refills, handed out like order ids. */
export type RefillIdAllocator = OrderIdAllocator;

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

/** A managed key as its owner sees it: never the key, never its hash. */
export interface ApiKeyDetails {
  keyId: string;
  /** The first characters of the key, to recognise it in a list. */
  prefix: string;
  ownerId: string;
  walletId: string;
  status: ApiKeyStatus;
  label?: string;
  createdAt: string;
  updatedAt?: string;
  lastUsedAt?: string;
  /** Canonical addresses and CIDR ranges; absent means any address. */
  allowedIps?: string[];
  /** Overrides of the tier's or default limits. */
  limits?: Partial<ApiKeyLimits>;
  tier?: string;
  /** Why the key was suspended or revoked. */
  statusReason?: string;
}

export interface StoredApiKey extends ApiKeyDetails {
  keyHash: string;
}

export interface ApiKeyChange {
  status?: ApiKeyStatus;
  statusReason?: string;
  /** An empty list removes the allow-list. */
  allowedIps?: string[];
  at: string;
}

export interface AuditEntry {
  /** 'system' or the id of the person who acted. */
  actor: string;
  action: string;
  subject: string;
  ownerId: string;
  reason?: string;
  at: string;
}

export type ApiKeyChangeOutcome =
  | { outcome: 'changed'; key: ApiKeyDetails }
  | { outcome: 'not_found' }
  | { outcome: 'status_mismatch'; status: ApiKeyStatus };

/** Managed API keys: a lookup by hash for every request, and a listing per owner. Both change together. */
export interface ApiKeyRegistry {
  /** Registers a key (and writes the audit entry) atomically; 'exists' when its hash is already registered. */
  create(key: StoredApiKey, audit?: AuditEntry): Promise<'created' | 'exists'>;
  findKey(keyHash: string): Promise<StoredApiKey | undefined>;
  listKeys(ownerId: string): Promise<ApiKeyDetails[]>;
  getKey(ownerId: string, keyId: string): Promise<ApiKeyDetails | undefined>;
  /** Applies the change (and writes the audit entry) atomically, only while the key's status is one of `fromStatuses`. */
  changeKey(ownerId: string, keyId: string, change: ApiKeyChange, fromStatuses: readonly ApiKeyStatus[], audit?: AuditEntry): Promise<ApiKeyChangeOutcome>;
  /** Records a use at `at` unless one after `unlessAfter` is already recorded. */
  touchKey(ownerId: string, keyId: string, at: string, unlessAfter: string): Promise<void>;
}

/** Fixed-window counters and blocks behind reseller access checks. Each count adds one and returns the new total. */
export interface AccessCounters {
  /** Adds `by` (default 1) to the key's requests in that minute and returns the new total. */
  countRequest(keyId: string, epochMinute: number, by?: number): Promise<number>;
  /** Adds `by` (default 1) to the key's orders that day and returns the new total. */
  countOrder(keyId: string, day: string, by?: number): Promise<number>;
  countInvalidKey(source: string, epochMinute: number): Promise<number>;
  countInvalidRequest(keyId: string, epochMinute: number): Promise<number>;
  blockSource(source: string, until: Date, reason: string): Promise<void>;
  /** When the source's block ends, if it has one (possibly already over). */
  sourceBlockedUntil(source: string): Promise<Date | undefined>;
}

export interface UserRecord {
  id: string;
  email: string;
  role: 'customer' | 'reseller' | 'admin';
  walletId: string;
  createdAt: string;
  /** The reseller's own API Gateway key, which the gateway throttles header-key requests under (see gateway-keys.ts). */
  apiGatewayKey?: { id: string; value: string; tier: string };
}

export interface UserStore {
  put(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | undefined>;
}

// ---- Upstream providers ----

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

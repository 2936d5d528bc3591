// Order rules: how an order is priced and accepted, and how it is settled when it ends.
import { createHash } from 'node:crypto';
import type { Service } from '../../catalog/domain/catalog.js';
import type { AttentionReason } from '../../events/catalogue.js';
import { DomainError } from '../../shared/errors.js';
import { type Micros, ZERO, minMoney, priceOf, shareOf, subtractMoney } from '../../shared/money.js';
import { type ServiceTypeName, orderedUnits, providerFields, readOrderFields } from '../../catalog/domain/service-types.js';
import { type OrderStatus, isTerminal } from './order-status.js';

/** accepted: paid, not yet at the provider; submitted: the provider has it; finalized: settled, nothing more to do. */
export type OrderPhase = 'accepted' | 'submitted' | 'finalized';

export interface Order {
  id: number;
  ownerId: string;
  walletId: string;
  serviceId: number;
  /** Absent on orders from before service types; those are Default. */
  serviceType?: ServiceTypeName;
  providerId: string;
  providerServiceId: string;
  link: string;
  /** Units per run (drip-feed), or of the whole order. */
  quantity: number;
  /** Every unit the order should deliver: quantity x runs for drip-feed. What `remains` counts down from. */
  units?: number;
  runs?: number;
  interval?: number;
  /** Exactly what goes to the provider's `add` besides service and request_id; absent when that is just the link and the quantity. */
  providerFields?: Record<string, string>;
  /** Subscriptions: the new posts paid for and the expiry as forwarded, shown by `status`. */
  posts?: number;
  expiry?: string;
  /** per_thousand: priced at the rate per 1,000 units; fixed: the rate is the price of the whole order. */
  pricing?: 'per_thousand' | 'fixed';
  ratePer1000: Micros;
  /** The service's cost per 1,000 units when the order was placed (finance: provider cost = this x delivered). */
  costPer1000?: Micros;
  /** What the provider said the order cost us (its status answer's `charge`), with its currency: for reconciliation. */
  providerCharge?: Micros;
  providerCurrency?: string;
  charge: Micros;
  refunded: Micros;
  status: OrderStatus;
  phase: OrderPhase;
  createdAt: string;
  updatedAt: string;
  externalOrderId?: string;
  startCount?: number;
  remains?: number;
  /** When the provider's progress was last written to the order. */
  progressAt?: string;
  /** Set while a call to the provider's `add` may have reached it without us knowing the answer. */
  submitInFlight?: boolean;
  submitAttempts: number;
  /** Rounds of waiting and submitting again after the submit retries ran out (request_id providers only). */
  resubmitRounds?: number;
  /** When the workflow stopped submitting an unconfirmed order and left it to a person (admin resend or cancel). */
  heldAt?: string;
  /** Why the provider refused the order, when it did. */
  rejectedReason?: string;
  requestId?: string;
  /** The customer asked to cancel; the provider decides, and the order settles as it reports. */
  cancelRequested?: boolean;
  lastRefillAt?: string;
  /** Set when the service allows one open order per link: the key that no other open order may hold. */
  exclusiveLinkKey?: string;
  /**
   * The order took a place in its owner's active-orders count (MAX_ACTIVE_ORDERS) in its own transaction; its
   * settlement gives the place back in the settlement's transaction, whatever the limit is by then.
   */
  activeCounted?: boolean;
  /**
   * The balance lease that paid for it (docs/wallet-concurrency.md): its charge enters the wallet's ledger when that
   * lease settles, so the lease settles before any refund of the order.
   */
  leaseId?: string;
  /** Why and since when the order needs a person, by reason: set once the operators are told (order.needs_attention). */
  attention?: Partial<Record<AttentionReason, string>>;
  /** Providers the order left before submission, oldest first: the one it left, why, when (fallback providers). */
  reassignments?: { from: string; to: string; reason: string; at: string }[];
}

/** What a `status` answer shows of an order, and all a many-order status read returns. */
export type OrderStatusView = Pick<
  Order,
  'id' | 'ownerId' | 'charge' | 'refunded' | 'status' | 'phase' | 'serviceType' | 'startCount' | 'remains' | 'units' | 'runs' | 'posts' | 'expiry'
>;

export interface OrderRequest {
  ownerId: string;
  walletId: string;
  /** The `add` fields of the service's type (link, quantity, comments, runs, ...), as the client sent them. */
  fields?: Record<string, string>;
  /** Shorthand for `fields` of the Default type. */
  link?: string;
  quantity?: number;
  requestId?: string;
}

/** Checks a request against the service's type and prices it. Pure: the id and the clock come from outside. */
export function newOrder(service: Service, request: OrderRequest, id: number, now: string): Order {
  if (!service.enabled) throw new DomainError('service_disabled', 'This service is not available at the moment');
  const fields = request.fields ?? {
    ...(request.link !== undefined ? { link: request.link } : {}),
    ...(request.quantity !== undefined ? { quantity: String(request.quantity) } : {}),
  };
  const spec = readOrderFields(service.type, fields, service, { today: now.slice(0, 10) });
  // Subscriptions target a username, not a link; it stands in the link's place for display and uniqueness.
  const link = spec.link ?? spec.extra.username ?? '';
  const forwarded = providerFields(spec);
  return {
    id,
    ownerId: request.ownerId,
    walletId: request.walletId,
    serviceId: service.id,
    serviceType: spec.type,
    providerId: service.providerId,
    providerServiceId: service.providerServiceId,
    link,
    quantity: spec.quantity,
    // A package's units are its size when the catalog knows it; otherwise the package counts as one unit.
    units: spec.type === 'Package' && Number.isSafeInteger(service.packageSize) && service.packageSize! > 0 ? service.packageSize! : orderedUnits(spec),
    ...(spec.runs !== undefined ? { runs: spec.runs, interval: spec.interval } : {}),
    // Only when the provider gets more than the link and quantity the order already holds: no copy stored twice.
    ...(isLinkAndQuantity(forwarded, spec.link, spec.quantity) ? {} : { providerFields: forwarded }),
    ...(spec.type === 'Subscriptions' && forwarded.posts !== undefined ? { posts: Number(forwarded.posts) } : {}),
    ...(spec.type === 'Subscriptions' && forwarded.expiry !== undefined ? { expiry: forwarded.expiry } : {}),
    pricing: FIXED_PRICE_TYPES.has(spec.type) ? 'fixed' : 'per_thousand',
    ratePer1000: service.ratePer1000,
    ...(service.costPer1000 !== undefined ? { costPer1000: service.costPer1000 } : {}),
    charge: spec.charge,
    refunded: ZERO,
    status: 'Pending',
    phase: 'accepted',
    createdAt: now,
    updatedAt: now,
    submitAttempts: 0,
    ...(request.requestId ? { requestId: request.requestId } : {}),
    ...(service.exclusiveLink ? { exclusiveLinkKey: `${service.id}#${createHash('sha256').update(link.toLowerCase()).digest('base64url')}` } : {}),
  };
}

function isLinkAndQuantity(fields: Record<string, string>, link: string | undefined, quantity: number): boolean {
  const names = Object.keys(fields);
  return names.length === 2 && fields.link === link && fields.quantity === String(quantity);
}

/** Types sold at a fixed price per order rather than per 1,000 units. */
const FIXED_PRICE_TYPES: ReadonlySet<ServiceTypeName> = new Set<ServiceTypeName>(['Package', 'Custom Comments Package']);

export interface Settlement {
  status: Extract<OrderStatus, 'Completed' | 'Partial' | 'Canceled'>;
  /** What goes back to the wallet now; never more than what is left of the charge. */
  refund: Micros;
  remains: number;
}

/** How an order ends, given the provider's last word (or its refusal at submission). */
export function settle(order: Order): Settlement {
  const left = subtractMoney(order.charge, order.refunded);
  if (order.rejectedReason !== undefined) return { status: 'Canceled', refund: left, remains: order.units ?? order.quantity };
  if (!isTerminal(order.status)) throw new DomainError('invalid_request', `Order ${order.id} is still ${order.status}`);
  switch (order.status) {
    case 'Completed':
      return { status: 'Completed', refund: ZERO, remains: 0 };
    case 'Canceled':
      return { status: 'Canceled', refund: left, remains: order.remains ?? order.units ?? order.quantity };
    default: {
      const units = order.units ?? order.quantity;
      const undelivered = Math.min(Math.max(order.remains ?? 0, 0), units);
      const price = order.pricing === 'fixed' ? shareOf(order.charge, undelivered, units) : priceOf(order.ratePer1000, undelivered);
      return { status: 'Partial', refund: minMoney(left, price), remains: order.remains ?? 0 };
    }
  }
}

export interface ProviderProgress {
  status: OrderStatus;
  /** Read from a word that may not mean the order ended (Error, Fail): settles only once confirmed (ambiguous-readings.ts). */
  doubtful?: boolean;
  startCount?: number;
  remains?: number;
  /** The provider's `charge` (a decimal string) and currency, when its answer has them: written with the progress. */
  charge?: string;
  currency?: string;
}

/**
 * Whether the provider's latest answer is worth a write. A new status or start count always is; a moving
 * `remains` alone is written at most every `minIntervalMs`, and less often as the order ages (every half of
 * its age), so a long order costs a logarithmic number of writes, not one per poll.
 */
export function shouldRecordProgress(
  order: Pick<Order, 'status' | 'startCount' | 'remains' | 'createdAt' | 'progressAt'>,
  progress: ProviderProgress,
  now: Date,
  minIntervalMs: number,
): boolean {
  if (order.status !== progress.status) return true;
  if (progress.startCount !== undefined && order.startCount !== progress.startCount) return true;
  if (progress.remains === undefined || order.remains === progress.remains) return false;
  const since = now.getTime() - Date.parse(order.progressAt ?? order.createdAt);
  const age = now.getTime() - Date.parse(order.createdAt);
  return since >= Math.max(minIntervalMs, age / 2);
}

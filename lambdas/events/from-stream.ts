// The catalogue events a change to a table item implies, read from its stream record's old and new images (plain
// objects, as `unmarshall` gives them). Pure: the same record always gives the same events with the same ids, so a
// record delivered twice publishes duplicates that consumers collapse by id. See docs/events.md.
import { createHash } from 'node:crypto';
import type { OrderStatus } from '../orders/domain/order-status.js';
import type { Order } from '../orders/domain/orders.js';
import { type Micros, micros, subtractMoney } from '../shared/money.js';
import {
  ATTENTION_REASONS,
  type CatalogueEvent,
  apiKeyEvent,
  balanceLow,
  depositCredited,
  orderCreated,
  orderEnded,
  orderNeedsAttention,
  orderRefunded,
  orderStatusChanged,
} from './catalogue.js';

export type Image = Record<string, unknown>;

export interface ItemChange {
  /** Absent for an INSERT. */
  oldImage?: Image;
  /** Absent for a REMOVE. */
  newImage?: Image;
}

export interface ChangeContext {
  /** The currency orders are charged in (config CURRENCY): orders do not store it. */
  currency: string;
  /**
   * The wallet owner's low-balance threshold (`notifications.lowBalanceThreshold` on `USER#<ownerId>`/`PROFILE`),
   * read by the caller only when `thresholdOwner` names an owner; null or absent: the owner asked for none.
   */
  lowBalanceThreshold?: Micros | null;
}

/** An event id that is the same for the same fact however often its record is read: the item's key, the type, the change. */
export function eventId(image: Image, type: string, change = ''): string {
  const digest = createHash('sha256')
    .update(`${String(image.pk)}\n${String(image.sk)}\n${type}\n${change}`)
    .digest('hex');
  return `evt_${digest.slice(0, 32)}`;
}

/** The owner whose low-balance threshold `eventsFromChange` needs: set only when a wallet's balance went down. */
export function thresholdOwner({ oldImage, newImage }: ItemChange): string | undefined {
  if (oldImage?.entity !== 'wallet' || newImage?.entity !== 'wallet') return undefined;
  return ledgerBalance(newImage) < ledgerBalance(oldImage) ? String(newImage.ownerId) : undefined;
}

/**
 * A wallet's balance with what its open balance leases hold added back (balance-lease.ts): taking a lease moves money,
 * it spends none. Orders paid from a lease lower it when the lease settles and their charges enter the ledger.
 */
function ledgerBalance(image: Image): number {
  return Number(image.balance) + Number(image.held ?? 0);
}

export function eventsFromChange(change: ItemChange, context: ChangeContext): CatalogueEvent[] {
  const { oldImage, newImage } = change;
  if (!newImage) return [];
  switch (newImage.entity) {
    case 'order':
      return orderEvents(oldImage, newImage, context.currency);
    case 'top-up':
      return topUpEvents(oldImage, newImage);
    case 'wallet':
      return walletEvents(oldImage, newImage, context.lowBalanceThreshold ?? null);
    // The listing, not the lookup item: both change in one transaction, and only the listing is keyed by the key's id.
    case 'api-key-listing':
      return keyEvents(oldImage, newImage);
    default:
      return [];
  }
}

function asOrder(image: Image): Order {
  return { ...image, charge: micros(Number(image.charge ?? 0)), refunded: micros(Number(image.refunded ?? 0)) } as unknown as Order;
}

function orderEvents(oldImage: Image | undefined, newImage: Image, currency: string): CatalogueEvent[] {
  const order = asOrder(newImage);
  if (!oldImage) return [orderCreated(order, currency, eventId(newImage, 'order.created'), order.createdAt)];
  const before = asOrder(oldImage);
  const events: CatalogueEvent[] = [];
  if (before.status !== order.status) {
    const type = 'order.status_changed';
    // A status can come back (a provider's "Pending" after "In progress"): the write's time tells the two apart.
    events.push(
      orderStatusChanged(
        order,
        before.status as OrderStatus,
        currency,
        eventId(newImage, type, `${before.status}>${order.status}@${order.updatedAt}`),
        order.updatedAt,
      ),
    );
  }
  if (before.phase !== 'finalized' && order.phase === 'finalized') {
    const at = String(newImage.finalizedAt ?? order.updatedAt);
    const ended = orderEnded(order, currency, eventId(newImage, `order.ended.${order.status}`), at);
    if (ended) events.push(ended);
  }
  if (order.refunded > before.refunded) {
    const refund = subtractMoney(order.refunded, before.refunded);
    events.push(
      orderRefunded(order, refund, currency, eventId(newImage, 'order.refunded', String(order.refunded)), String(newImage.finalizedAt ?? order.updatedAt)),
    );
  }
  // The poller or the sweeper marked the order for a person (AttentionMarks): once per order and reason.
  for (const reason of ATTENTION_REASONS) {
    const since = order.attention?.[reason];
    if (since !== undefined && before.attention?.[reason] === undefined)
      events.push(orderNeedsAttention(order, currency, reason, since, eventId(newImage, 'order.needs_attention', reason), order.updatedAt));
  }
  return events;
}

function topUpEvents(oldImage: Image | undefined, newImage: Image): CatalogueEvent[] {
  // Credited once: the crediting transaction is the only write that sets creditedAt (with the ledger's deposit entry).
  if (newImage.creditedAt === undefined || oldImage?.creditedAt !== undefined) return [];
  const topUp = {
    id: String(newImage.id),
    ownerId: String(newImage.ownerId),
    walletId: String(newImage.walletId),
    currency: String(newImage.currency),
    method: String(newImage.method),
    creditedAmount: micros(Number(newImage.creditedAmount)),
  };
  return [depositCredited(topUp, eventId(newImage, 'deposit.credited'), String(newImage.creditedAt))];
}

function walletEvents(oldImage: Image | undefined, newImage: Image, threshold: Micros | null): CatalogueEvent[] {
  if (!oldImage || threshold === null || threshold <= 0) return [];
  const before = ledgerBalance(oldImage);
  const after = ledgerBalance(newImage);
  // Crossing, not being below: one event each time the balance goes from at or above the threshold to below it.
  if (!(before >= threshold && after < threshold)) return [];
  const wallet = { id: String(newImage.id), ownerId: String(newImage.ownerId), currency: String(newImage.currency), balance: micros(after) };
  const at = String(newImage.updatedAt ?? '');
  return [balanceLow(wallet, threshold, eventId(newImage, 'balance.low', String(newImage.seq)), at)];
}

function keyEvents(oldImage: Image | undefined, newImage: Image): CatalogueEvent[] {
  const key = {
    keyId: String(newImage.keyId),
    ownerId: String(newImage.ownerId),
    walletId: String(newImage.walletId),
    prefix: String(newImage.prefix),
    ...(typeof newImage.label === 'string' ? { label: newImage.label } : {}),
    ...(typeof newImage.statusReason === 'string' ? { statusReason: newImage.statusReason } : {}),
  };
  const at = String(newImage.updatedAt ?? newImage.createdAt);
  if (!oldImage) return [apiKeyEvent('api_key.created', key, eventId(newImage, 'api_key.created'), String(newImage.createdAt))];
  if (oldImage.status === newImage.status) return [];
  if (newImage.status === 'revoked') return [apiKeyEvent('api_key.revoked', key, eventId(newImage, 'api_key.revoked'), at)];
  // A key can be suspended, reactivated and suspended again: each suspension is its own fact.
  if (newImage.status === 'suspended') return [apiKeyEvent('api_key.suspended', key, eventId(newImage, 'api_key.suspended', at), at)];
  return [];
}

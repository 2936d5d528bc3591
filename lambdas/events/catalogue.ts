// The domain events worth telling anyone about, defined once: their shapes (versioned), a parser for consumers, and
// pure constructors from domain objects. Documented in docs/events.md. Never carries a secret (no key, hash or token).
import * as z from 'zod/mini';
import { ORDER_STATUSES, type OrderStatus } from '../orders/domain/order-status.js';
import type { Order } from '../orders/domain/orders.js';
import { type Micros, formatMoney } from '../shared/money.js';

const MONEY = /^-?\d+(\.\d+)?$/;
const money = () => z.string().check(z.regex(MONEY));
const count = () => z.int().check(z.nonnegative());
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const status = z.enum(ORDER_STATUSES);

/**
 * Why an open order needs a person: it is open past its service's expected time, or its provider has answered an
 * unrecognised status, or that it does not know the order ("Incorrect order ID"), for an hour, or an ambiguous status
 * (Error, Fail, Partial without remains) that no later reading settled.
 */
export const ATTENTION_REASONS = ['overdue', 'unknown_status', 'order_not_found', 'ambiguous_status'] as const;
export type AttentionReason = (typeof ATTENTION_REASONS)[number];

/** What a reader needs to know about an order, whichever event tells of it. */
const OrderState = z.object({
  orderId: count(),
  ownerId: text(100),
  walletId: text(100),
  serviceId: count(),
  link: z.string().check(z.maxLength(2048)),
  quantity: count(),
  status,
  charge: money(),
  refunded: money(),
  /** As the provider reports them (a provider that over-delivers may report negative remains); null until it does. */
  remains: z.nullable(z.int()),
  startCount: z.nullable(z.int()),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
  createdAt: z.iso.datetime(),
});
export type OrderState = z.infer<typeof OrderState>;

const KeyState = z.object({
  keyId: text(100),
  ownerId: text(100),
  walletId: text(100),
  /** The first characters, as the cabinet's key list shows them: enough to recognise the key, never to use it. */
  prefix: text(24),
  label: z.optional(z.string().check(z.maxLength(200))),
  reason: z.optional(z.string().check(z.maxLength(500))),
});
export type KeyState = z.infer<typeof KeyState>;

function event<T extends string, D extends z.ZodMiniType>(type: T, data: D) {
  return z.object({ id: text(100), type: z.literal(type), version: z.literal(1), at: z.iso.datetime(), data });
}

export const EVENT_SCHEMAS = {
  'order.created': event('order.created', OrderState),
  'order.status_changed': event('order.status_changed', z.extend(OrderState, { previousStatus: status })),
  'order.completed': event('order.completed', OrderState),
  'order.partial': event('order.partial', OrderState),
  'order.canceled': event('order.canceled', OrderState),
  /** The refund of this settlement; `refunded` is the order's total. */
  'order.refunded': event('order.refunded', z.extend(OrderState, { refund: money() })),
  'deposit.credited': event(
    'deposit.credited',
    z.object({
      ownerId: text(100),
      walletId: text(100),
      topUpId: text(100),
      amount: money(),
      currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
      method: text(40),
    }),
  ),
  'balance.low': event(
    'balance.low',
    z.object({
      ownerId: text(100),
      walletId: text(100),
      balance: money(),
      threshold: money(),
      currency: z.string().check(z.regex(/^[A-Z]{3}$/)),
    }),
  ),
  'api_key.created': event('api_key.created', KeyState),
  'api_key.revoked': event('api_key.revoked', KeyState),
  'api_key.suspended': event('api_key.suspended', KeyState),
  'provider.unhealthy': event(
    'provider.unhealthy',
    z.object({
      providerId: text(100),
      /** What the poller saw, in words for an operator (never the provider's key or a response body with one). */
      reason: text(500),
      /** Failed calls over calls in the window the poller judged, 0..1. */
      failureRate: z.optional(z.number().check(z.gte(0), z.lte(1))),
      since: z.iso.datetime(),
    }),
  ),
  'order.needs_attention': event(
    'order.needs_attention',
    z.object({
      order: OrderState,
      reason: z.enum(ATTENTION_REASONS),
      /** When the order became overdue, or when its provider began answering so about it. */
      since: z.iso.datetime(),
    }),
  ),
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

export type EventOf<T extends EventType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
export type CatalogueEvent = { [T in EventType]: EventOf<T> }[EventType];

const ANY_EVENT = z.discriminatedUnion('type', Object.values(EVENT_SCHEMAS) as unknown as [z.ZodMiniObject, ...z.ZodMiniObject[]]);

/** Validates a value against the catalogue; throws (a ZodError) when it is not one of its events. */
export function parseEvent(value: unknown): CatalogueEvent {
  return ANY_EVENT.parse(value) as CatalogueEvent;
}

/** The same, answering undefined for what is not a catalogue event (an unknown type or version included). */
export function readEvent(value: unknown): CatalogueEvent | undefined {
  const result = ANY_EVENT.safeParse(value);
  return result.success ? (result.data as CatalogueEvent) : undefined;
}

// Constructors. Pure: the event id and the time are given, so a replay of the same fact gives the same event.

export function orderState(order: Order, currency: string): OrderState {
  return {
    orderId: order.id,
    ownerId: order.ownerId,
    walletId: order.walletId,
    serviceId: order.serviceId,
    link: order.link,
    quantity: order.quantity,
    status: order.status,
    charge: formatMoney(order.charge),
    refunded: formatMoney(order.refunded),
    remains: order.remains ?? null,
    startCount: order.startCount ?? null,
    currency,
    createdAt: order.createdAt,
  };
}

const TERMINAL_TYPE = { Completed: 'order.completed', Partial: 'order.partial', Canceled: 'order.canceled' } as const;

export function orderCreated(order: Order, currency: string, id: string, at: string): EventOf<'order.created'> {
  return { id, type: 'order.created', version: 1, at, data: orderState(order, currency) };
}

export function orderStatusChanged(order: Order, previousStatus: OrderStatus, currency: string, id: string, at: string): EventOf<'order.status_changed'> {
  return { id, type: 'order.status_changed', version: 1, at, data: { ...orderState(order, currency), previousStatus } };
}

/** The event of an order's end: completed, partial or canceled, by its status; undefined while it is not terminal. */
export function orderEnded(
  order: Order,
  currency: string,
  id: string,
  at: string,
): EventOf<'order.completed'> | EventOf<'order.partial'> | EventOf<'order.canceled'> | undefined {
  const type = TERMINAL_TYPE[order.status as keyof typeof TERMINAL_TYPE];
  return type ? { id, type, version: 1, at, data: orderState(order, currency) } : undefined;
}

export function orderRefunded(order: Order, refund: Micros, currency: string, id: string, at: string): EventOf<'order.refunded'> {
  return { id, type: 'order.refunded', version: 1, at, data: { ...orderState(order, currency), refund: formatMoney(refund) } };
}

export interface CreditedTopUp {
  id: string;
  ownerId: string;
  walletId: string;
  currency: string;
  method: string;
  creditedAmount: Micros;
}

export function depositCredited(topUp: CreditedTopUp, id: string, at: string): EventOf<'deposit.credited'> {
  return {
    id,
    type: 'deposit.credited',
    version: 1,
    at,
    data: {
      ownerId: topUp.ownerId,
      walletId: topUp.walletId,
      topUpId: topUp.id,
      amount: formatMoney(topUp.creditedAmount),
      currency: topUp.currency,
      method: topUp.method,
    },
  };
}

export interface WalletBalance {
  id: string;
  ownerId: string;
  currency: string;
  balance: Micros;
}

export function balanceLow(wallet: WalletBalance, threshold: Micros, id: string, at: string): EventOf<'balance.low'> {
  return {
    id,
    type: 'balance.low',
    version: 1,
    at,
    data: { ownerId: wallet.ownerId, walletId: wallet.id, balance: formatMoney(wallet.balance), threshold: formatMoney(threshold), currency: wallet.currency },
  };
}

/** A key as events tell of it: the fields are picked one by one, so a stored key's hash can never slip through. */
export interface KeySubject {
  keyId: string;
  ownerId: string;
  walletId: string;
  prefix: string;
  label?: string;
  statusReason?: string;
}

function keyState(key: KeySubject): KeyState {
  return {
    keyId: key.keyId,
    ownerId: key.ownerId,
    walletId: key.walletId,
    prefix: key.prefix,
    // Cut to the catalogue's bounds: an operator's long reason must not make the event invalid (and so lost).
    ...(key.label ? { label: key.label.slice(0, 200) } : {}),
    ...(key.statusReason ? { reason: key.statusReason.slice(0, 500) } : {}),
  };
}

export function apiKeyEvent(
  type: 'api_key.created' | 'api_key.revoked' | 'api_key.suspended',
  key: KeySubject,
  id: string,
  at: string,
): EventOf<'api_key.created' | 'api_key.revoked' | 'api_key.suspended'> {
  return { id, type, version: 1, at, data: keyState(key) };
}

export interface ProviderHealth {
  providerId: string;
  reason: string;
  failureRate?: number;
  since: string;
}

export function providerUnhealthy(health: ProviderHealth, id: string, at: string): EventOf<'provider.unhealthy'> {
  return {
    id,
    type: 'provider.unhealthy',
    version: 1,
    at,
    data: {
      providerId: health.providerId,
      reason: health.reason,
      ...(health.failureRate !== undefined ? { failureRate: health.failureRate } : {}),
      since: health.since,
    },
  };
}

/** One per order and reason (the id names both), however many times the poller or the sweeper sees it. */
export function orderNeedsAttention(
  order: Order,
  currency: string,
  reason: AttentionReason,
  since: string,
  id: string,
  at: string,
): EventOf<'order.needs_attention'> {
  return { id, type: 'order.needs_attention', version: 1, at, data: { order: orderState(order, currency), reason, since } };
}

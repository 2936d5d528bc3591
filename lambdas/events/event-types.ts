// Groups of catalogue event types that several places name (subscriptions, consumers, contracts' docs): here, apart
// from the catalogue's schemas, so that naming them costs a bundle no zod.
import type { EventType } from './catalogue.js';

/** How long the bus's archive keeps events for replay; consumers remember what they handled for longer. */
export const EVENT_ARCHIVE_DAYS = 30;

/** Every event about an order: what a reseller's webhook can receive. */
export const ORDER_EVENT_TYPES = [
  'order.created',
  'order.status_changed',
  'order.completed',
  'order.partial',
  'order.canceled',
  'order.refunded',
] as const satisfies readonly EventType[];

/** What is told to the owner (by email and in the cabinet's feed): how orders ended, money in, a low balance, keys. */
export const OWNER_NOTICE_TYPES = [
  'order.completed',
  'order.partial',
  'order.canceled',
  'deposit.credited',
  'balance.low',
  'api_key.created',
  'api_key.suspended',
  'api_key.revoked',
] as const satisfies readonly EventType[];

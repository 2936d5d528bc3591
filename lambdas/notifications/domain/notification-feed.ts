// The cabinet's notification feed: which events become a notification for their owner, and in what words. Pure.
import type { CatalogueEvent } from '../../events/catalogue.js';
import { OWNER_NOTICE_TYPES } from '../../events/event-types.js';
import { formatMoney, parseMoney } from '../../shared/money.js';

/** A notification is kept this many whole days after its event's day (UTC), then leaves the feed and its count. */
export const FEED_RETENTION_DAYS = 90;

export const FEED_EVENT_TYPES = OWNER_NOTICE_TYPES;
export type FeedEventType = (typeof FEED_EVENT_TYPES)[number];

export interface FeedNotification {
  /** The event's id: one notification per event however often it arrives. */
  id: string;
  userId: string;
  type: FeedEventType;
  title: string;
  text: string;
  /** The event's time (ISO, milliseconds): the feed's order. */
  at: string;
  orderId?: number;
  topUpId?: string;
  keyId?: string;
}

export interface StoredNotification extends FeedNotification {
  read: boolean;
}

const MAX_LINK_SHOWN = 60;

/** The notification an event gives its owner; undefined for events the feed does not show. */
export function notificationOf(event: CatalogueEvent): FeedNotification | undefined {
  const base = { id: event.id, at: new Date(event.at).toISOString() };
  switch (event.type) {
    case 'order.completed':
    case 'order.partial':
    case 'order.canceled': {
      const o = event.data;
      const refunded = parseMoney(o.refunded) > 0 ? ` ${amount(o.refunded, o.currency)} refunded.` : '';
      const [title, text] =
        event.type === 'order.completed'
          ? [`Order ${o.orderId} completed`, `${o.quantity} delivered to ${shortLink(o.link)}.`]
          : event.type === 'order.partial'
            ? [
                `Order ${o.orderId} partially completed`,
                `${o.quantity - Math.max(0, o.remains ?? 0)} of ${o.quantity} delivered to ${shortLink(o.link)}.${refunded}`,
              ]
            : [`Order ${o.orderId} canceled`, `Nothing more will be delivered to ${shortLink(o.link)}.${refunded}`];
      return { ...base, userId: o.ownerId, type: event.type, title, text, orderId: o.orderId };
    }
    case 'deposit.credited': {
      const d = event.data;
      return {
        ...base,
        userId: d.ownerId,
        type: event.type,
        title: `Deposit of ${amount(d.amount, d.currency)} credited`,
        text: `Your top-up (${d.method}) is on your balance.`,
        topUpId: d.topUpId,
      };
    }
    case 'balance.low': {
      const d = event.data;
      return {
        ...base,
        userId: d.ownerId,
        type: event.type,
        title: `Balance low: ${amount(d.balance, d.currency)}`,
        text: `Your balance fell below your threshold of ${amount(d.threshold, d.currency)}.`,
      };
    }
    case 'api_key.created':
    case 'api_key.suspended':
    case 'api_key.revoked': {
      const k = event.data;
      const verb = { 'api_key.created': 'created', 'api_key.suspended': 'suspended', 'api_key.revoked': 'revoked' }[event.type];
      const name = `${k.prefix}…${k.label ? ` (${k.label})` : ''}`;
      return {
        ...base,
        userId: k.ownerId,
        type: event.type,
        title: `API key ${verb}`,
        text: `Key ${name} was ${verb}.${k.reason ? ` Reason: ${k.reason}` : ''}`,
        keyId: k.keyId,
      };
    }
    default:
      return undefined;
  }
}

/** Money as people read it: two decimals at least, exact beyond them. */
function amount(decimal: string, currency: string): string {
  return `${formatMoney(parseMoney(decimal), 2)} ${currency}`;
}

function shortLink(link: string): string {
  return link.length > MAX_LINK_SHOWN ? `${link.slice(0, MAX_LINK_SHOWN - 1)}…` : link;
}

/** The UTC day (YYYY-MM-DD) of an ISO time. */
export const dayOf = (at: string): string => at.slice(0, 10);

/** The oldest day still in the feed at `now`: notifications of earlier days are gone (and out of the unread count). */
export function oldestFeedDay(now: Date): string {
  return dayOf(new Date(now.getTime() - FEED_RETENTION_DAYS * 86_400_000).toISOString());
}

/** When a notification of this day leaves the feed (epoch seconds): the end of its last day in the window. */
export function feedExpiry(day: string): number {
  return Date.parse(`${day}T00:00:00.000Z`) / 1000 + (FEED_RETENTION_DAYS + 1) * 86_400;
}

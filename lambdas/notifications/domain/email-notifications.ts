// Which catalogue events are emailed, to whom, and what their emails say: pure, from the event's data and the owner's
// account. The wording and the escaping are the templates' (lambdas/notifications/templates/).
import type { NotificationSettings } from '../../customers/ports.js';
import type { CatalogueEvent, EventOf, OrderState } from '../../events/catalogue.js';
import { OWNER_NOTICE_TYPES } from '../../events/event-types.js';
import { formatMoney, parseMoney } from '../../shared/money.js';

export const EMAILED_TYPES = OWNER_NOTICE_TYPES;

export type EmailedType = (typeof EMAILED_TYPES)[number];
export type EmailedEvent = EventOf<EmailedType>;

export function isEmailed(event: CatalogueEvent): event is EmailedEvent {
  return (EMAILED_TYPES as readonly string[]).includes(event.type);
}

/** What of the owner's account decides whether they get an email. */
export interface Recipient {
  email: string;
  blocked: boolean;
  notifications: NotificationSettings;
}

export type EmailSkip = 'blocked' | 'no_email' | 'setting_off';

/** Why the owner gets no email about this event; undefined when they get one. */
export function reasonToSkip(type: EmailedType, recipient: Recipient): EmailSkip | undefined {
  if (recipient.blocked) return 'blocked';
  if (!recipient.email) return 'no_email';
  return wantsEmail(type, recipient.notifications) ? undefined : 'setting_off';
}

/** The notification settings, read now: a setting turned off after the event but before its email wins. */
export function wantsEmail(type: EmailedType, settings: NotificationSettings): boolean {
  switch (type) {
    case 'order.completed':
    case 'order.partial':
    case 'order.canceled':
      return settings.orderCompleted;
    case 'deposit.credited':
      return settings.depositCredited;
    case 'balance.low':
      return settings.lowBalanceThreshold !== null;
    // Security notices: a key made, stopped or revoked is told whatever the settings say.
    case 'api_key.created':
    case 'api_key.suspended':
    case 'api_key.revoked':
      return true;
  }
}

/** "0.90000" in USD as "0.90 USD": two decimals at least, more only when the amount has them. */
export function displayMoney(amount: string, currency: string): string {
  return `${formatMoney(parseMoney(amount), 2)} ${currency}`;
}

export interface OrderView {
  orderId: number;
  /** The service's name and id ("YouTube Views (#1)"), or its id alone when the catalog has no name for it. */
  service: string;
  link: string;
  quantity: number;
  charge: string;
  /** What was given back, when anything was. */
  refunded?: string;
  /** What the provider did not deliver, when it said. */
  remains?: number;
}

interface Common {
  at: string;
  /** Where the cabinet's API shows the subject (from PUBLIC_API_URL); absent when the stage has none. */
  cabinetUrl?: string;
}

export type EmailView = Common &
  (
    | { type: 'order.completed' | 'order.partial' | 'order.canceled'; order: OrderView }
    | { type: 'deposit.credited'; deposit: { amount: string; method: string; topUpId: string } }
    | { type: 'balance.low'; balance: { balance: string; threshold: string } }
    | { type: 'api_key.created' | 'api_key.suspended' | 'api_key.revoked'; key: { prefix: string; label?: string; reason?: string } }
  );

export interface ViewContext {
  /** The order's service name, when the event is an order's and the catalog knows it. */
  serviceName?: string;
  /** PUBLIC_API_URL without its trailing slash. */
  apiBase?: string;
}

/**
 * What an email shows of its event, picked field by field (an event never holds a secret, and a view holds only what
 * it names: a key's prefix and label, never more), with money formatted for people.
 */
export function emailView(event: EmailedEvent, context: ViewContext = {}): EmailView {
  const link = (path: string) => (context.apiBase ? { cabinetUrl: `${context.apiBase}/api/v1${path}` } : {});
  const at = event.at;
  switch (event.type) {
    case 'order.completed':
    case 'order.partial':
    case 'order.canceled':
      return { type: event.type, at, order: orderView(event.data, context.serviceName), ...link(`/orders/${event.data.orderId}`) };
    case 'deposit.credited': {
      const { amount, currency, method, topUpId } = event.data;
      return { type: event.type, at, deposit: { amount: displayMoney(amount, currency), method, topUpId }, ...link('/transactions') };
    }
    case 'balance.low': {
      const { balance, threshold, currency } = event.data;
      return { type: event.type, at, balance: { balance: displayMoney(balance, currency), threshold: displayMoney(threshold, currency) }, ...link('/balance') };
    }
    case 'api_key.created':
    case 'api_key.suspended':
    case 'api_key.revoked': {
      const { prefix, label, reason } = event.data;
      return { type: event.type, at, key: { prefix, ...(label ? { label } : {}), ...(reason ? { reason } : {}) }, ...link('/api-keys') };
    }
  }
}

function orderView(order: OrderState, serviceName: string | undefined): OrderView {
  const refunded = parseMoney(order.refunded) > 0 ? { refunded: displayMoney(order.refunded, order.currency) } : {};
  const remains = order.status !== 'Completed' && order.remains !== null && order.remains > 0 ? { remains: order.remains } : {};
  return {
    orderId: order.orderId,
    service: serviceName ? `${serviceName} (#${order.serviceId})` : `#${order.serviceId}`,
    link: order.link,
    quantity: order.quantity,
    charge: displayMoney(order.charge, order.currency),
    ...refunded,
    ...remains,
  };
}

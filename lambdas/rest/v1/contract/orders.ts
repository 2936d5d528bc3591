// REST v1 operations: the caller's orders. Placing, cancelling and refilling take the same use cases as /api/v2.
import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { Cursor, Money, page, Timestamp, wholeNumberText } from './common.js';

const STATUSES = ['Pending', 'In progress', 'Processing', 'Completed', 'Partial', 'Canceled'] as const;
const OrderStatus = z.enum(STATUSES).register(z.globalRegistry, { description: 'As the SMM panel API v2 spells it' });
const OrderId = z.int().check(z.positive()).register(z.globalRegistry, { example: 1042 });

const orderCommon = {
  id: OrderId,
  service: z.int().register(z.globalRegistry, { description: 'Service id' }),
  type: z.optional(z.string()).register(z.globalRegistry, { description: "The service's type (Default when absent)" }),
  link: z.string().register(z.globalRegistry, { description: 'The link ordered for (the username, for subscriptions)' }),
  quantity: z.int(),
  runs: z.optional(z.int()).register(z.globalRegistry, { description: 'Drip-feed: runs' }),
  interval: z.optional(z.int()).register(z.globalRegistry, { description: 'Drip-feed: minutes between runs' }),
  charge: Money,
  refunded: Money,
  status: OrderStatus,
  remains: z.optional(z.int()).register(z.globalRegistry, { description: 'Units not delivered yet, once the provider reports it' }),
  startCount: z.optional(z.int()),
  createdAt: Timestamp,
};

export const OrderSummary = z.object(orderCommon).register(z.globalRegistry, {
  id: 'OrderSummary',
  description:
    "An order in the list: what the owner-orders index holds (no remains, start count, updatedAt or type's fields: they change " +
    'or weigh too often to keep in the index; GET /orders/{id} has them)',
});

export const Order = z
  .object({
    ...orderCommon,
    updatedAt: Timestamp,
    fields: z.optional(z.record(z.string(), z.string())).register(z.globalRegistry, {
      description: "The type's own fields as sent to the provider (comments, usernames, runs, ...), when more than link and quantity",
    }),
  })
  .register(z.globalRegistry, { id: 'Order' });

const DateOrTime = z.union([z.iso.datetime(), z.iso.date()]);

export const listOrders = {
  method: 'GET',
  path: '/api/v1/orders',
  auth: 'customerJwt',
  tag: 'Orders',
  summary: "The caller's orders, newest first",
  description:
    'from/to (ISO time or date, inclusive; a date `to` means the whole day) bound the creation time; status and service filter; q is an order id or part of the link. ' +
    'Paging with nextCursor skips and repeats nothing while orders are being placed. A filtered page may hold fewer than `limit` orders and still have a nextCursor.',
  query: z.object({
    status: z.optional(OrderStatus),
    service: z.optional(wholeNumberText(1, 999_999_999)),
    from: z.optional(DateOrTime),
    to: z.optional(DateOrTime),
    q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    cursor: z.optional(Cursor),
    limit: z._default(wholeNumberText(1, 100), 20),
  }),
  responses: { 200: { description: 'A page of orders', body: page(OrderSummary) } },
} as const satisfies Operation;

const OrderParams = z.object({ id: wholeNumberText(1, 999_999_999_999) });

export const getOrder = {
  method: 'GET',
  path: '/api/v1/orders/{id}',
  auth: 'customerJwt',
  tag: 'Orders',
  summary: 'One of the caller’s orders',
  params: OrderParams,
  responses: { 200: { description: 'The order', body: Order } },
  errors: [404],
} as const satisfies Operation;

const FieldValue = z.union([z.string(), z.number()]);

export const placeOrder = {
  method: 'POST',
  path: '/api/v1/orders',
  auth: 'customerJwt',
  tag: 'Orders',
  summary: 'Place an order',
  description:
    "service, then the fields the service's type takes, named as the reseller API (/api/v2 action=add) names them: link, quantity, runs, interval, comments, usernames, username, " +
    'hashtags, hashtag, media, answer_number, keywords, groups, min, max, posts, old_posts, delay, expiry. Numbers may be JSON numbers or strings. ' +
    'With an Idempotency-Key header, a repeat of the request (same key, same caller, within any time) places nothing and answers the first answer again, ' +
    'with the header Idempotent-Replayed: true. The key is shared with /api/v2 request_id.',
  headers: z.object({ 'idempotency-key': z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))) }),
  body: z.catchall(
    z.object({
      service: z.union([z.int().check(z.positive()), z.pipe(z.string().check(z.regex(/^\d{1,9}$/)), z.transform(Number))]),
    }),
    FieldValue,
  ),
  responses: { 201: { description: 'The order, placed and charged (or, replayed, the first answer)', body: Order } },
  errors: [409, 429],
  unverifiedAllowed: false,
} as const satisfies Operation;

export const cancelOrder = {
  method: 'POST',
  path: '/api/v1/orders/{id}/cancel',
  auth: 'customerJwt',
  tag: 'Orders',
  summary: 'Ask for the order to be cancelled',
  description: 'The provider decides; the order settles as it reports (Canceled: full refund, Partial: the rest).',
  params: OrderParams,
  responses: { 202: { description: 'Cancellation requested', body: z.object({ id: OrderId, cancel: z.literal('requested') }) } },
  errors: [404, 409, 503],
  unverifiedAllowed: false,
} as const satisfies Operation;

export const refillOrder = {
  method: 'POST',
  path: '/api/v1/orders/{id}/refill',
  auth: 'customerJwt',
  tag: 'Orders',
  summary: 'Ask for a refill of a completed order',
  params: OrderParams,
  responses: {
    201: { description: 'Refill requested', body: z.object({ id: OrderId, refill: z.int().register(z.globalRegistry, { description: 'The refill id' }) }) },
  },
  errors: [404, 409, 503],
  unverifiedAllowed: false,
} as const satisfies Operation;

export const ordersOperations: readonly Operation[] = [listOrders, placeOrder, getOrder, cancelOrder, refillOrder];

// REST v1 operations: the cabinet's notification feed (issue 10).
import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { OWNER_NOTICE_TYPES } from '../../../events/event-types.js';
import { Cursor, page, Timestamp, wholeNumberText } from './common.js';

const FeedType = z.enum(OWNER_NOTICE_TYPES);

const Unread = z.int().register(z.globalRegistry, { description: "The caller's unread notifications, all of the feed", example: 3 });

export const Notification = z
  .object({
    id: z.string().register(z.globalRegistry, { description: "The event's id", example: 'evt_3f1c0b8e6a2d4c5f9e7a1b2c3d4e5f60' }),
    type: FeedType,
    title: z.string().register(z.globalRegistry, { example: 'Order 1042 completed' }),
    text: z.string(),
    at: Timestamp,
    read: z.boolean(),
    orderId: z.optional(z.int()),
    topUpId: z.optional(z.string()),
    keyId: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: 'Notification', description: 'Kept 90 days' });

export const listNotifications = {
  method: 'GET',
  path: '/api/v1/notifications',
  auth: 'customerJwt',
  tag: 'Notifications',
  summary: "The caller's notifications, newest first",
  description: 'What happened to orders, deposits, the balance and API keys over the last 90 days, with the unread count.',
  query: z.object({ cursor: z.optional(Cursor), limit: z._default(wholeNumberText(1, 100), 20) }),
  responses: {
    200: {
      description: 'A page of notifications and the unread count',
      body: z.extend(page(Notification), { unread: Unread }).register(z.globalRegistry, { id: 'NotificationPage' }),
    },
  },
} as const satisfies Operation;

const NotificationId = z.string().check(z.minLength(1), z.maxLength(100));

export const markNotificationsRead = {
  method: 'POST',
  path: '/api/v1/notifications/read',
  auth: 'customerJwt',
  tag: 'Notifications',
  summary: 'Mark notifications read',
  description:
    'Either `ids` (1 to 100 notification ids; ids not in the feed are ignored) or `all: true` (everything received so far, ' +
    'including notifications that arrive later about events before the newest one). Marking twice changes nothing.',
  body: z.object({
    ids: z.optional(z.array(NotificationId).check(z.minLength(1), z.maxLength(100))),
    all: z.optional(z.literal(true)),
  }),
  responses: { 200: { description: 'The unread count after', body: z.object({ unread: Unread }) } },
} as const satisfies Operation;

export const notificationFeedOperations: readonly Operation[] = [listNotifications, markNotificationsRead];

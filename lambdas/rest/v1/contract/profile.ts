// REST v1 operations: the signed-in user's own profile.
import * as z from 'zod/mini';
import { Timestamp } from './common.js';
import { type Operation, operation } from '../operation.js';

const Threshold = z
  .string()
  .check(z.regex(/^\d{1,12}(\.\d{1,6})?$/, 'A non-negative decimal amount, such as "5.00"'))
  .register(z.globalRegistry, { description: 'Decimal amount as a string', example: '5.00' });

const Notifications = z
  .object({
    orderCompleted: z.boolean(),
    depositCredited: z.boolean(),
    lowBalanceThreshold: z.nullable(Threshold).register(z.globalRegistry, { description: 'Email when the balance falls below this; null: never' }),
  })
  .register(z.globalRegistry, { id: 'NotificationSettings' });

export const Profile = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.nullable(z.string()),
    telegram: z.nullable(z.string()).register(z.globalRegistry, { example: '@ann_smm' }),
    role: z.enum(['customer', 'reseller', 'admin']),
    emailVerified: z.boolean(),
    createdAt: Timestamp,
    notifications: Notifications,
  })
  .register(z.globalRegistry, { id: 'Profile' });

export const getMe = operation({
  method: 'GET',
  path: '/api/v1/me',
  auth: 'customerJwt',
  tag: 'Profile',
  summary: 'Your profile',
  responses: { 200: { description: 'The profile', body: Profile } },
  errors: [401, 403],
});

export const patchMe = operation({
  method: 'PATCH',
  path: '/api/v1/me',
  auth: 'customerJwt',
  tag: 'Profile',
  summary: 'Change your name, Telegram username or notification settings',
  description: 'Only the fields sent change; null removes a name or Telegram username.',
  body: z.strictObject({
    name: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)))),
    telegram: z
      .optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))))
      .register(z.globalRegistry, { description: '@username, username or https://t.me/username' }),
    notifications: z.optional(z.partial(Notifications)),
  }),
  responses: { 200: { description: 'The changed profile', body: Profile } },
  errors: [401, 403],
});

export const profileOperations: readonly Operation[] = [getMe, patchMe];

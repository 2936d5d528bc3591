// REST v1 operations: the signed-in user's own profile.
import * as z from 'zod';
import { Timestamp } from './common.js';
import { type Operation, operation } from '../operation.js';

const Threshold = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,6})?$/, 'A non-negative decimal amount, such as "5.00"')
  .meta({ description: 'Decimal amount as a string', example: '5.00' });

const Notifications = z
  .object({
    orderCompleted: z.boolean(),
    depositCredited: z.boolean(),
    lowBalanceThreshold: Threshold.nullable().meta({ description: 'Email when the balance falls below this; null: never' }),
  })
  .meta({ id: 'NotificationSettings' });

export const Profile = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    telegram: z.string().nullable().meta({ example: '@ann_smm' }),
    role: z.enum(['customer', 'reseller', 'admin']),
    emailVerified: z.boolean(),
    createdAt: Timestamp,
    notifications: Notifications,
  })
  .meta({ id: 'Profile' });

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
  body: z
    .object({
      name: z.string().trim().min(1).max(100).nullable().optional(),
      telegram: z.string().trim().min(1).max(64).nullable().optional().meta({ description: '@username, username or https://t.me/username' }),
      notifications: Notifications.partial().optional(),
    })
    .strict(),
  responses: { 200: { description: 'The changed profile', body: Profile } },
  errors: [401, 403],
});

export const profileOperations: readonly Operation[] = [getMe, patchMe];

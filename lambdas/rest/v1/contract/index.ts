// Every REST v1 operation: what the OpenAPI document lists and what tests hold ROUTES to.
import { authOperations } from './auth.js';
import { profileOperations } from './profile.js';
import { publicOperations } from './public.js';
import { walletOperations } from './wallet.js';
import { ordersOperations } from './orders.js';
import { apiKeysOperations } from './api-keys.js';
import { topUpsOperations } from './top-ups.js';
import { paymentCallbacksOperations } from './payment-callbacks.js';
import { demoCheckoutOperations } from './demo-checkout.js';
import { docsOperations } from './docs.js';
import { webhooksOperations } from './webhooks.js';
import { providerCallbacksOperations } from './provider-callbacks.js';
import { notificationFeedOperations } from './notification-feed.js';
import type { Operation } from '../operation.js';

export const V1_OPERATIONS: readonly Operation[] = [
  ...authOperations,
  ...profileOperations,
  ...publicOperations,
  ...walletOperations,
  ...ordersOperations,
  ...apiKeysOperations,
  ...topUpsOperations,
  ...paymentCallbacksOperations,
  ...demoCheckoutOperations,
  ...docsOperations,
  ...webhooksOperations,
  ...providerCallbacksOperations,
  ...notificationFeedOperations,
];

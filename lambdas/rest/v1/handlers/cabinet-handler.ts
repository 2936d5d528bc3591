// The cabinet: /api/v1/me, /balance, /transactions, /orders, /api-keys (customerJwt).
import { restHandler } from '../http.js';
import { profileRoutes } from '../routes/profile.js';
import { walletRoutes } from '../routes/wallet.js';
import { ordersRoutes } from '../routes/orders.js';
import { apiKeysRoutes } from '../routes/api-keys.js';

export const handler = restHandler([...profileRoutes, ...walletRoutes, ...ordersRoutes, ...apiKeysRoutes]);

// The cabinet: /api/v1/me, /balance, /transactions, /api-keys (customerJwt). Orders have a function of their own.
import { restHandler } from '../http.js';
import { profileRoutes } from '../routes/profile.js';
import { walletRoutes } from '../routes/wallet.js';
import { apiKeysRoutes } from '../routes/api-keys.js';

export const handler = restHandler([...profileRoutes, ...walletRoutes, ...apiKeysRoutes]);

// The cabinet: /api/v1/me, /balance, /transactions, /notifications (customerJwt). Orders and API keys have functions of their own.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { notificationFeedRoutes } from '../routes/notification-feed.js';
import { profileRoutes } from '../routes/profile.js';
import { walletRoutes } from '../routes/wallet.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...profileRoutes, ...walletRoutes, ...notificationFeedRoutes], maintenanceGate), apiRequest);

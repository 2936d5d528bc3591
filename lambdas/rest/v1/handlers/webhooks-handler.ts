// The cabinet's reseller webhook: /api/v1/webhook (customerJwt). Its own function: it alone sends HTTP to resellers'
// receivers and reads the key that seals webhook secrets.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { webhooksRoutes } from '../routes/webhooks.js';

export const handler = restHandler(webhooksRoutes, maintenanceGate);

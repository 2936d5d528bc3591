// The cabinet's reseller webhook: /api/v1/webhook (customerJwt). Its own function: it alone sends HTTP to resellers'
// receivers and reads the key that seals webhook secrets.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { webhooksRoutes } from '../routes/webhooks.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler(webhooksRoutes, maintenanceGate), apiRequest);

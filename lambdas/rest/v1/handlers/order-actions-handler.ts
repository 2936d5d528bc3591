// POST /api/v1/orders/{id}/cancel and /orders/{id}/refill (customerJwt): the order operations that ask the provider.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { orderActionsRoutes } from '../routes/order-actions.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...orderActionsRoutes], maintenanceGate), apiRequest);

// POST /api/v1/orders/{id}/cancel and /orders/{id}/refill (customerJwt): the order operations that ask the provider.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { orderActionsRoutes } from '../routes/order-actions.js';

export const handler = restHandler([...orderActionsRoutes], maintenanceGate);

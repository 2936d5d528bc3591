// The cabinet's orders: GET and POST /api/v1/orders, GET /orders/{id} (customerJwt). Cancel and refill ask the
// provider: order-actions-handler.ts.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { ordersRoutes } from '../routes/orders.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...ordersRoutes], maintenanceGate), apiRequest);

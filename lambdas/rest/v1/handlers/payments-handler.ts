// Money in: /api/v1/top-ups, the gateways' callbacks, the demo gateway's checkout.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { topUpsRoutes } from '../routes/top-ups.js';
import { paymentCallbacksRoutes } from '../routes/payment-callbacks.js';
import { demoCheckoutRoutes } from '../routes/demo-checkout.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...topUpsRoutes, ...paymentCallbacksRoutes, ...demoCheckoutRoutes], maintenanceGate), apiRequest);

// Money in: /api/v1/top-ups, the gateways' callbacks, the demo gateway's checkout.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { topUpsRoutes } from '../routes/top-ups.js';
import { paymentCallbacksRoutes } from '../routes/payment-callbacks.js';
import { demoCheckoutRoutes } from '../routes/demo-checkout.js';

export const handler = restHandler([...topUpsRoutes, ...paymentCallbacksRoutes, ...demoCheckoutRoutes], maintenanceGate);

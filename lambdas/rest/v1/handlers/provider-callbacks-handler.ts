// Upstream providers' status callbacks: /api/v1/providers/{providerId}/callback (the signature is the authentication).
// Its own function: it reads the providers' callback secrets and moves orders, and needs nothing of the cabinet.
import { restHandler } from '../http.js';
import { providerCallbacksRoutes } from '../routes/provider-callbacks.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler(providerCallbacksRoutes), apiRequest);

// Upstream providers' status callbacks: /api/v1/providers/{providerId}/callback (the signature is the authentication).
// Its own function: it reads the providers' callback secrets and moves orders, and needs nothing of the cabinet.
import { restHandler } from '../http.js';
import { providerCallbacksRoutes } from '../routes/provider-callbacks.js';

export const handler = restHandler(providerCallbacksRoutes);

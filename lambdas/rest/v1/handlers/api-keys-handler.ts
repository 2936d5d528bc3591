// The cabinet's API keys: /api/v1/api-keys (customerJwt). Apart from the profile and wallet, so that key hashing and
// IP allow-lists do not weigh on those.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { apiKeysRoutes } from '../routes/api-keys.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler(apiKeysRoutes, maintenanceGate), apiRequest);

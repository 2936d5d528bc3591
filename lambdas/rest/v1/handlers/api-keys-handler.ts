// The cabinet's API keys: /api/v1/api-keys (customerJwt). Apart from the profile and wallet, so that key hashing and
// IP allow-lists do not weigh on those.
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { apiKeysRoutes } from '../routes/api-keys.js';

export const handler = restHandler(apiKeysRoutes, maintenanceGate);

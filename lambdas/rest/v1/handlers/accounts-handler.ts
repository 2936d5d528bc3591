// POST /api/v1/auth/register, /verify-email, /forgot-password, /reset-password: accounts (sends email, signs nothing).
import { maintenanceGate } from '../../../settings/maintenance-gate.js';
import { restHandler } from '../http.js';
import { accountsRoutes } from '../routes/accounts.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';

export const handler = observe(restHandler([...accountsRoutes], maintenanceGate), apiRequest);

// Admin API (/admin/v1, adminCognito, admins only): finance summary, ledger and reconciliation.
import { restHandler } from '../../v1/http.js';
import { financeRoutes } from '../routes/finance.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...financeRoutes], adminAccess), apiRequest);

// Admin API (/admin/v1, adminCognito, admins only): finance summary, ledger and reconciliation.
import { restHandler } from '../../v1/http.js';
import { financeRoutes } from '../routes/finance.js';

export const handler = restHandler([...financeRoutes]);

// Admin API (/admin/v1, adminCognito): users, resellers, balances, pricing and API keys.
import { restHandler } from '../../v1/http.js';
import { usersRoutes } from '../routes/users.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...usersRoutes], adminAccess), apiRequest);

// Admin API (/admin/v1, adminCognito): onboarding resellers and their pricing (the routes that call API Gateway).
import { restHandler } from '../../v1/http.js';
import { resellersRoutes } from '../routes/users-resellers.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...resellersRoutes], adminAccess), apiRequest);

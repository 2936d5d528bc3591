// Admin API (/admin/v1, adminCognito): the order actions that ask the provider (refresh, cancel, resend).
import { restHandler } from '../../v1/http.js';
import { adminOrderActionsRoutes } from '../routes/order-actions.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...adminOrderActionsRoutes], adminAccess), apiRequest);

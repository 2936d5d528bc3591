// Admin API (/admin/v1, adminCognito): every owner's orders, one order's page, the attention queue, refunds, notes.
import { restHandler } from '../../v1/http.js';
import { adminOrdersRoutes } from '../routes/orders.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...adminOrdersRoutes], adminAccess), apiRequest);

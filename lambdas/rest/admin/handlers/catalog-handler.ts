// Admin API (/admin/v1, adminCognito): services, their price history, the provider list and status changes.
import { restHandler } from '../../v1/http.js';
import { catalogRoutes } from '../routes/catalog.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...catalogRoutes], adminAccess), apiRequest);

// Admin API (/admin/v1, adminCognito): provider create and edit (keys to Secrets Manager), balance and sync (ask the
// provider). Apart from adminCatalog so that only this function may write provider secrets and read their keys.
import { restHandler } from '../../v1/http.js';
import { providerRoutes } from '../routes/providers.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...providerRoutes], adminAccess), apiRequest);

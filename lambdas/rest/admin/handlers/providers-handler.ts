// Admin API (/admin/v1, adminCognito): provider create and edit (keys to Secrets Manager), balance and sync (ask the
// provider). Apart from adminCatalog so that only this function may write provider secrets and read their keys.
import { restHandler } from '../../v1/http.js';
import { providerRoutes } from '../routes/providers.js';

export const handler = restHandler([...providerRoutes]);

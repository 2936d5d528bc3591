// Admin API (/admin/v1, adminCognito): services, their price history, the provider list and status changes.
import { restHandler } from '../../v1/http.js';
import { catalogRoutes } from '../routes/catalog.js';

export const handler = restHandler([...catalogRoutes]);

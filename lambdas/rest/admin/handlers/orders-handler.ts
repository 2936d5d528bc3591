// Admin API (/admin/v1, adminCognito): every owner's orders, one order's page, the attention queue, refunds, notes.
import { restHandler } from '../../v1/http.js';
import { adminOrdersRoutes } from '../routes/orders.js';

export const handler = restHandler([...adminOrdersRoutes]);

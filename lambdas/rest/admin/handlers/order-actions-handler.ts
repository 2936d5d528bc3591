// Admin API (/admin/v1, adminCognito): the order actions that ask the provider (refresh, cancel, resend).
import { restHandler } from '../../v1/http.js';
import { adminOrderActionsRoutes } from '../routes/order-actions.js';

export const handler = restHandler([...adminOrderActionsRoutes]);

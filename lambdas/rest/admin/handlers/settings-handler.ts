// Admin API (/admin/v1, adminCognito): the caller, settings, promo codes and the audit log.
import { restHandler } from '../../v1/http.js';
import { meRoutes } from '../routes/me.js';

export const handler = restHandler([...meRoutes]);

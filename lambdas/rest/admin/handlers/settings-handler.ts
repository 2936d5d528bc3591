// Admin API (/admin/v1, adminCognito): the caller, settings, promo codes and the audit log.
import { restHandler } from '../../v1/http.js';
import { auditRoutes } from '../routes/audit.js';
import { meRoutes } from '../routes/me.js';
import { promoCodeRoutes } from '../routes/promo-codes.js';
import { settingsRoutes } from '../routes/settings.js';
import { apiRequest } from '../../../shared/observability/correlation.js';
import { observe } from '../../../shared/observability/observe.js';
import { adminAccess } from '../admin-access.js';

export const handler = observe(restHandler([...meRoutes, ...settingsRoutes, ...promoCodeRoutes, ...auditRoutes], adminAccess), apiRequest);

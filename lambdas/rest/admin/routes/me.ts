// GET /admin/v1/me: the caller, as the Cognito authorizer's claims name them, and what their role may call.
import { ADMIN_PERMISSIONS } from '../../../admin/domain/permissions.js';
import { ok, type RouteImpl, route } from '../../v1/http.js';
import { getAdminMe } from '../contract/me.js';

export const meRoutes: readonly RouteImpl[] = [
  route(getAdminMe, async (req) =>
    ok({
      userId: req.caller.userId,
      ...(req.caller.email ? { email: req.caller.email } : {}),
      role: req.caller.role,
      permissions: Object.entries(ADMIN_PERMISSIONS)
        .filter(([, roles]) => roles.includes(req.caller.role))
        .map(([key]) => key),
    }),
  ),
];

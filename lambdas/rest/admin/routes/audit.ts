// Admin API: GET /admin/v1/audit.
import { searchAudit } from '../../../audit/application/search-audit.js';
import { auditSearch } from '../../../admin/settings-wiring.js';
import { systemClock } from '../../../shared/platform/config.js';
import { ok, type RouteImpl, route } from '../../v1/http.js';
import { getAuditOperation } from '../contract/audit.js';

export const auditRoutes: readonly RouteImpl[] = [
  route(getAuditOperation, async (req) => {
    const page = await searchAudit(auditSearch(), req.query, systemClock.now());
    return ok({ items: page.entries, nextCursor: page.nextCursor });
  }),
];

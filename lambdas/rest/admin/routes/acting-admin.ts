// The admin behind a request, as every audit entry of the users routes names them.
import type { AdminCaller } from '../../../admin/domain/admin-caller.js';
import type { ActingAdmin } from '../../../admin/users-ports.js';
import type { RestRequest } from '../../v1/http.js';
import type { Operation } from '../../v1/operation.js';

export function actingAdmin(req: RestRequest<Operation & { auth: 'adminCognito' }>): ActingAdmin {
  const caller = req.caller as AdminCaller;
  return {
    actor: caller.userId,
    actorRole: caller.role,
    ...(caller.email ? { actorEmail: caller.email } : {}),
    ...(req.sourceIp ? { source: req.sourceIp } : {}),
  };
}

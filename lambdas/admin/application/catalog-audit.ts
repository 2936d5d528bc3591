// Who acts on the catalog and how their audit entries read (lambdas/audit/domain/audit-entry.ts).
import type { AdminCaller } from '../domain/admin-caller.js';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';

export interface Actor {
  caller: AdminCaller;
  /** The caller's address (req.sourceIp). */
  source: string;
}

/** The actor of a request: its caller and address. */
export const actorOf = (req: { caller: AdminCaller; sourceIp: string }): Actor => ({ caller: req.caller, source: req.sourceIp });

export function catalogAudit(
  actor: Actor,
  at: string,
  entry: Pick<AuditEntry, 'action' | 'subjectType' | 'subject' | 'reason' | 'before' | 'after'>,
): AuditEntry {
  return {
    actor: actor.caller.userId,
    actorRole: actor.caller.role,
    ...(actor.caller.email ? { actorEmail: actor.caller.email } : {}),
    ...(actor.source ? { source: actor.source } : {}),
    ...entry,
    at,
  };
}

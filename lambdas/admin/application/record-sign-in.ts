// An admin's or operator's successful sign-in to the admin user pool, kept in the audit log (`login.succeeded`,
// subject type `admin`), as every login is.
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { AuditLog } from '../../audit/ports.js';
import { groupsOf } from '../domain/admin-caller.js';

export interface AdminSignIn {
  /** The user pool's `sub`. */
  sub: string;
  email?: string;
  /** The user's groups when the event names them (`cognito:groups` in any of its shapes). */
  groups?: unknown;
  /** The caller's address when the event gives one. */
  source?: string;
}

export function signInEntry(signIn: AdminSignIn, at: Date): AuditEntry {
  const groups = groupsOf(signIn.groups);
  // As adminCallerFromClaims: someone in both groups acts as an admin.
  const role = groups.includes('admin') ? 'admin' : groups.includes('operator') ? 'operator' : undefined;
  return {
    actor: signIn.sub,
    ...(role ? { actorRole: role } : {}),
    ...(signIn.email ? { actorEmail: signIn.email } : {}),
    action: 'login.succeeded',
    subjectType: 'admin',
    subject: signIn.sub,
    ...(signIn.source ? { source: signIn.source } : {}),
    at: at.toISOString(),
  };
}

export async function recordAdminSignIn(deps: { audit: AuditLog; clock: { now(): Date } }, signIn: AdminSignIn): Promise<void> {
  await deps.audit.record(signInEntry(signIn, deps.clock.now()));
}

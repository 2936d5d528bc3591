// Who is calling the admin API: a member of the Cognito user pool's `admin` or `operator` group, as API Gateway's
// Cognito authorizer (or the local gateway, which verifies tokens the same way) passes the ID token's claims.

/** `admin` runs the business; `operator` is support: views orders and users and acts on orders, moves no money. */
export type AdminRole = 'admin' | 'operator';

export const ADMIN_ROLES: readonly AdminRole[] = ['admin', 'operator'];

export interface AdminCaller {
  /** The user pool's `sub`: what audit entries name as the actor. */
  userId: string;
  email?: string;
  role: AdminRole;
}

/**
 * The groups of `cognito:groups`. API Gateway REST hands claims over as strings: one group is `admin`, several have
 * been seen as `admin,operator` and as `[admin operator]`; a token's own claim (local tests) is an array.
 */
export function groupsOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((group): group is string => typeof group === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/** The caller from the authorizer's claims; undefined when there are none or the user is in neither group. */
export function adminCallerFromClaims(claims: Record<string, unknown> | null | undefined): AdminCaller | undefined {
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const groups = groupsOf(claims?.['cognito:groups']);
  // Someone in both groups acts as an admin.
  const role = groups.includes('admin') ? 'admin' : groups.includes('operator') ? 'operator' : undefined;
  if (!role) return undefined;
  const email = claims?.email;
  return { userId: sub, role, ...(typeof email === 'string' && email ? { email } : {}) };
}

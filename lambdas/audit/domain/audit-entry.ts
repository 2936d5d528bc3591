// What the audit log keeps of every admin action and every login (issue 11): who, from where, when, and what changed
// (before and after). Entries are written by the use case that acts, in the same transaction as the change where
// there is one (auditPut in lambdas/adapters/dynamodb/audit-log.ts), and never carry a secret: a provider key, a
// password or an API key is named ("set", "rotated"), never copied.

export interface AuditEntry {
  /** `system`, or the id of the person who acted (a user id, or the admin's Cognito `sub`). */
  actor: string;
  /** `admin`, `operator` (admin API), `customer`, `reseller` (cabinet), `system`. */
  actorRole?: string;
  actorEmail?: string;
  /** Dotted, subject type first: `order.refunded`, `user.blocked`, `provider.updated`, `api_key.revoked`, `login.succeeded`. */
  action: string;
  /** What was acted on: `order`, `user`, `api_key`, `service`, `provider`, `settings`, `promo_code`, ... */
  subjectType?: string;
  /** Its id. */
  subject: string;
  /** The user the subject belongs to, when it belongs to one (an order's or key's owner). */
  ownerId?: string;
  /** The caller's address. */
  source?: string;
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** ISO time. */
  at: string;
}

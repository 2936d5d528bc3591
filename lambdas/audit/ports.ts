import type { AuditEntry } from './domain/audit-entry.js';

/** Writes an audit entry on its own, for actions that change nothing in the table (or nothing transactional). */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

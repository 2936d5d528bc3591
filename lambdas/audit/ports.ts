import type { AuditEntry } from './domain/audit-entry.js';

/** Writes an audit entry on its own, for actions that change nothing in the table (or nothing transactional). */
export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}

export interface AuditQuery {
  /** Exact matches; `action` ending in `*` matches its prefix (`login.*`). */
  actor?: string;
  action?: string;
  subject?: string;
  /** ISO times, inclusive; the search walks the UTC days between them, newest first. */
  from: string;
  to: string;
  limit: number;
  cursor?: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** Where the next page starts; null once the range is read to its start. A page may be short and still have one. */
  nextCursor: string | null;
}

/** Reads the log newest first, a bounded number of reads per page. */
export interface AuditSearch {
  search(query: AuditQuery): Promise<AuditPage>;
}

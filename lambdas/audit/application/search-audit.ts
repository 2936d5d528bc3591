// GET /admin/v1/audit: the audit log, newest first, filtered by actor, action, subject and time.
import { DomainError } from '../../shared/errors.js';
import type { AuditPage, AuditSearch } from '../ports.js';

/** Without `from`, the last 30 days; a range spans at most a year (the search walks it a day at a time). */
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

export interface AuditFilters {
  actor?: string;
  action?: string;
  subject?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

export function searchAudit(search: AuditSearch, filters: AuditFilters, now: Date): Promise<AuditPage> {
  // A day `to` takes in that whole day, as the orders list reads it.
  const to = filters.to ? time(filters.to, 'to', 'end') : now;
  const from = filters.from ? time(filters.from, 'from', 'start') : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  if (from > to) throw new DomainError('invalid_request', 'from: must not be after to', 'from');
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) throw new DomainError('invalid_request', `from: at most ${MAX_DAYS} days before to`, 'from');
  return search.search({
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.subject ? { subject: filters.subject } : {}),
    from: from.toISOString(),
    to: to.toISOString(),
    limit: filters.limit ?? 50,
    ...(filters.cursor ? { cursor: filters.cursor } : {}),
  });
}

function time(text: string, field: string, side: 'start' | 'end'): Date {
  const day = text.slice(0, 10);
  const value = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(text)
    ? new Date(text.length === 10 ? `${text}T${side === 'start' ? '00:00:00.000' : '23:59:59.999'}Z` : text)
    : new Date(Number.NaN);
  // Date() rolls 2026-02-30 over into March: a day that is not on the calendar is refused, not moved.
  if (Number.isNaN(value.getTime()) || value.toISOString().slice(0, 10) !== day)
    throw new DomainError('invalid_request', `${field}: an ISO time (2026-12-01T10:00:00Z) or day (2026-12-01)`, field);
  return value;
}

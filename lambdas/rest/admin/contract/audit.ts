// Admin API: the audit log (every admin action and every login), searchable by actor, action, subject and time.
import * as z from 'zod/mini';
import { wholeNumberText } from '../../v1/contract/common.js';
import type { Operation } from '../../v1/operation.js';

/** An ISO time (UTC) or a calendar day; a day `to` means the whole day. */
const DateOrTime = z.union([z.iso.datetime(), z.iso.date()]);

export const getAuditOperation = {
  method: 'GET',
  path: '/admin/v1/audit',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'Audit entries, newest first',
  description:
    '`action` ending in `*` matches a prefix (`login.*`). `from`/`to` are ISO times or days, a day `to` taking in the whole day (default: the last 30 days, at most 366). ' +
    'A page reads a bounded number of days: it may hold fewer than `limit` entries and still have a nextCursor.',
  query: z.object({
    actor: z.optional(z.string().check(z.maxLength(200))),
    action: z.optional(z.string().check(z.maxLength(100))),
    subject: z.optional(z.string().check(z.maxLength(200))),
    from: z.optional(DateOrTime),
    to: z.optional(DateOrTime),
    cursor: z.optional(z.string().check(z.maxLength(512))),
    limit: z.optional(wholeNumberText(1, 200)),
  }),
  responses: {
    200: {
      description: 'A page of entries',
      body: z.object({ items: z.array(z.record(z.string(), z.unknown())), nextCursor: z.nullable(z.string()) }),
    },
  },
} as const satisfies Operation;

export const auditOperations: readonly Operation[] = [getAuditOperation];

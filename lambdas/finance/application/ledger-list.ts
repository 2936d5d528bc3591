// GET /admin/v1/ledger: entries across wallets by day, or one user's wallet; JSON pages or CSV, each a bounded page
// with a cursor to the next. A CSV export is audited (it takes money data out of the system).
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { AuditLog } from '../../audit/ports.js';
import { DomainError } from '../../shared/errors.js';
import type { LedgerFilter, LedgerLister, LedgerPage } from '../ports.js';

export const MAX_LEDGER_DAYS = 366;

export interface LedgerListInput extends LedgerFilter {
  userId?: string;
  csv: boolean;
}

export async function listLedger(
  services: { ledger: LedgerLister; audit: AuditLog },
  input: LedgerListInput,
  actor: Pick<AuditEntry, 'actor' | 'actorRole' | 'actorEmail' | 'source' | 'at'>,
): Promise<LedgerPage & { walletId?: string }> {
  if (input.from > input.to) throw new DomainError('invalid_request', '`from` is after `to`', 'from');
  if (Date.parse(input.to) - Date.parse(input.from) >= MAX_LEDGER_DAYS * 86_400_000)
    throw new DomainError('invalid_request', `At most ${MAX_LEDGER_DAYS} days at a time`, 'to');
  let walletId: string | undefined;
  if (input.userId) {
    walletId = await services.ledger.walletOfUser(input.userId);
    if (!walletId) throw new DomainError('unknown_user', `No user ${input.userId}`, 'user');
  }
  const page = walletId ? await services.ledger.listWallet(walletId, input) : await services.ledger.listAll(input);
  if (input.csv) {
    await services.audit.record({
      ...actor,
      action: 'ledger.exported',
      subjectType: 'ledger',
      subject: walletId ?? 'all',
      ...(input.userId ? { ownerId: input.userId } : {}),
      after: {
        from: input.from,
        to: input.to,
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.reference ? { reference: input.reference } : {}),
        ...(input.cursor ? { continued: true } : {}),
        rows: page.entries.length,
      },
    });
  }
  return { ...page, ...(walletId ? { walletId } : {}) };
}

// The ledger as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes
// doubled), money as decimal strings.
import { formatMoney } from '../../shared/money.js';
import type { LedgerEntry } from '../../wallets/ports.js';

export const LEDGER_CSV_HEADER = ['at', 'walletId', 'seq', 'kind', 'amount', 'balanceAfter', 'reference'] as const;

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function ledgerCsv(entries: readonly LedgerEntry[], withHeader: boolean): string {
  const rows = entries.map((e) =>
    [e.at, e.walletId, String(e.seq), e.kind, formatMoney(e.amount, 2), formatMoney(e.balanceAfter, 2), e.reference].map(csvField).join(','),
  );
  return [...(withHeader ? [LEDGER_CSV_HEADER.join(',')] : []), ...rows].map((row) => `${row}\r\n`).join('');
}

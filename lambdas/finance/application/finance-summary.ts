// GET /admin/v1/finance/summary: the day totals of the range, read in one BatchGetItem per 100 days, merged and grouped.
import { DomainError } from '../../shared/errors.js';
import { type GroupBy, type PeriodSummary, days, summarise } from '../domain/summary.js';
import type { FinanceTotalsStore } from '../ports.js';

/** A year and a day: a yearly report grouped by month, in four BatchGetItems. */
export const MAX_SUMMARY_DAYS = 366;

export async function financeSummary(
  totals: Pick<FinanceTotalsStore, 'readDays'>,
  input: { from: string; to: string; groupBy: GroupBy },
): Promise<{ total: PeriodSummary; periods: PeriodSummary[] }> {
  if (input.from > input.to) throw new DomainError('invalid_request', '`from` is after `to`', 'from');
  const range = days(input.from, input.to);
  if (range.length > MAX_SUMMARY_DAYS) throw new DomainError('invalid_request', `At most ${MAX_SUMMARY_DAYS} days at a time`, 'to');
  return summarise(input.from, input.to, input.groupBy, await totals.readDays(range));
}

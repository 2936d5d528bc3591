// The stream consumer's use case: the totals each committed change adds, added once each.
import { type ItemChange, type TotalsDelta, totalsDelta } from '../domain/totals.js';
import type { FinanceTotalsStore } from '../ports.js';

export async function recordTotals(store: Pick<FinanceTotalsStore, 'add'>, changes: readonly ItemChange[]): Promise<{ added: number; repeated: number }> {
  const deltas = changes.map(totalsDelta).filter((d): d is TotalsDelta => d !== undefined);
  if (deltas.length === 0) return { added: 0, repeated: 0 };
  return store.add(deltas);
}

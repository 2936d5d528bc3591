// The stream consumer's use case: the totals each committed change adds, added once each.
import { packedWrites } from '../../shared/packed-writes.js';
import { type ItemChange, type TotalsDelta, totalsDelta } from '../domain/totals.js';
import type { FinanceTotalsStore } from '../ports.js';

export type TotalsAdded = Awaited<ReturnType<FinanceTotalsStore['add']>>;

/** The totals of a list of changes, in one go (bench/finance.ts feeds the stream's batches through it). */
export async function recordTotals(store: Pick<FinanceTotalsStore, 'add'>, changes: readonly ItemChange[]): Promise<TotalsAdded> {
  const deltas = changes.map(totalsDelta).filter((d): d is TotalsDelta => d !== undefined);
  if (deltas.length === 0) return { added: 0, repeated: 0 };
  return store.add(deltas);
}

/**
 * A stream batch's totals, called for each record in order (Powertools Batch): the first record's turn adds the
 * deltas of the whole batch at once (a transaction per day, so a day's item is written once a batch, not once a
 * record) and the other records answer that write's outcome.
 */
export function recordTotalsOfBatch<R>(
  store: Pick<FinanceTotalsStore, 'add'>,
  records: readonly R[],
  changeOf: (record: R) => ItemChange | undefined,
  onAdded?: (result: TotalsAdded) => void,
): (record: R) => Promise<void> {
  const deltaOf = async (record: R): Promise<TotalsDelta[]> => {
    const change = changeOf(record);
    const delta = change && totalsDelta(change);
    return delta ? [delta] : [];
  };
  const add = async (deltas: TotalsDelta[]) => onAdded?.(await store.add(deltas));
  return packedWrites(records, deltaOf, add, Number.POSITIVE_INFINITY);
}

// The finance totals of each UTC day (`FINANCE#<day>`: `TOTALS` the ledger's counters, `ORDERS` the settled
// orders'), one flat counter attribute per figure, added to with ADD. Each fact counts once: its marker (`FINANCEMARK#<marker>`, `attribute_not_exists`) is put in the same
// transaction as the addition, so a stream batch delivered again adds nothing. Several facts of one day share one
// transaction (their markers and the day's Updates), which costs far fewer write units than a transaction per fact.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DayTotals } from '../../finance/domain/summary.js';
import type { Counters, TotalsDelta } from '../../finance/domain/totals.js';
import type { FinanceTotalsStore } from '../../finance/ports.js';
import { keys } from './keys.js';
import type { TransactItem } from './wallet-transaction.js';

/** Markers outlive the stream's 24 h of retries with room to spare, then expire. */
const MARKER_DAYS = 3;
// A transaction holds at most 100 items; the update expression at most 4 KB (about 12 bytes per counter).
const MAX_FACTS_PER_WRITE = 98;
const MAX_COUNTERS_PER_WRITE = 250;
const NOT_COUNTERS = new Set(['pk', 'sk', 'entity', 'day', 'updatedAt']);

export class DynamoFinanceTotals implements FinanceTotalsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(deltas: readonly TotalsDelta[]): Promise<{ added: number; repeated: number }> {
    const unique = [...new Map(deltas.map((d) => [d.marker, d])).values()];
    let added = 0;
    for (const chunk of chunks(unique)) added += await this.addChunk(chunk);
    return { added, repeated: deltas.length - added };
  }

  /** One transaction: the chunk's markers and the Updates of its day's items; facts already counted are left out and the rest tried again. */
  private async addChunk(chunk: TotalsDelta[]): Promise<number> {
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: this.items(pending) }));
        return pending.length;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = error.CancellationReasons ?? [];
        const counted = new Set(pending.filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed').map((d) => d.marker));
        if (counted.size > 0) pending = pending.filter((d) => !counted.has(d.marker));
        else if (attempt >= 20 || !reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
        else await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 10 * 2 ** attempt)));
      }
    }
    return 0;
  }

  private items(deltas: TotalsDelta[]): TransactItem[] {
    const now = this.now();
    const expiresAt = Math.floor(now.getTime() / 1000) + MARKER_DAYS * 86_400;
    const markers: TransactItem[] = deltas.map((d) => ({
      Put: {
        TableName: this.tableName,
        Item: { ...keys.financeMarker(d.marker), entity: 'finance-marker', day: d.day, expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    const parts: Record<'TOTALS' | 'ORDERS', Counters> = { TOTALS: {}, ORDERS: {} };
    for (const d of deltas)
      for (const [name, value] of Object.entries(d.counters)) {
        const part = parts[name.startsWith('ledger|') ? 'TOTALS' : 'ORDERS'];
        part[name] = (part[name] ?? 0) + value;
      }
    const updates = (Object.entries(parts) as ['TOTALS' | 'ORDERS', Counters][])
      .filter(([, counters]) => Object.keys(counters).length > 0)
      .map(([part, counters]): TransactItem => {
        const names: Record<string, string> = {};
        const values: Record<string, unknown> = { ':entity': 'finance-totals', ':day': deltas[0]!.day, ':at': now.toISOString() };
        const adds = Object.entries(counters).map(([name, value], i) => {
          names[`#c${i}`] = name;
          values[`:c${i}`] = value;
          return `#c${i} :c${i}`;
        });
        return {
          Update: {
            TableName: this.tableName,
            Key: keys.financeTotals(deltas[0]!.day, part),
            UpdateExpression: `SET entity = :entity, #day = :day, updatedAt = :at ADD ${adds.join(', ')}`,
            ExpressionAttributeNames: { ...names, '#day': 'day' },
            ExpressionAttributeValues: values,
          },
        };
      });
    return [...markers, ...updates];
  }

  async readDays(days: readonly string[]): Promise<DayTotals[]> {
    const itemKeys = days.flatMap((day) => [keys.financeTotals(day, 'TOTALS'), keys.financeTotals(day, 'ORDERS')]);
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < itemKeys.length; i += 100) batches.push(itemKeys.slice(i, i + 100));
    const pages = await Promise.all(batches.map((batch) => this.batchGet(batch)));
    const byDay = new Map<string, Counters>();
    for (const item of pages.flat()) {
      const counters = byDay.get(String(item.day)) ?? {};
      for (const [name, value] of Object.entries(item)) if (!NOT_COUNTERS.has(name) && typeof value === 'number') counters[name] = value;
      byDay.set(String(item.day), counters);
    }
    return [...byDay].map(([day, counters]) => ({ day, counters }));
  }

  private async batchGet(itemKeys: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.tableName]: { Keys: itemKeys } };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(500, 20 * 2 ** attempt)));
      const out: { Responses?: Record<string, Record<string, unknown>[]>; UnprocessedKeys?: Record<string, { Keys?: Record<string, unknown>[] }> } =
        await this.db.send(new BatchGetCommand({ RequestItems: request }));
      items.push(...(out.Responses?.[this.tableName] ?? []));
      request = out.UnprocessedKeys?.[this.tableName]?.Keys?.length ? { [this.tableName]: { Keys: out.UnprocessedKeys[this.tableName]!.Keys! } } : undefined;
    }
    return items;
  }
}

/** Facts of one day together, at most 99 and 250 counters per transaction. */
function chunks(deltas: TotalsDelta[]): TotalsDelta[][] {
  const byDay = new Map<string, TotalsDelta[]>();
  for (const d of deltas) byDay.set(d.day, [...(byDay.get(d.day) ?? []), d]);
  const out: TotalsDelta[][] = [];
  for (const dayDeltas of byDay.values()) {
    let current: TotalsDelta[] = [];
    let names = new Set<string>();
    for (const d of dayDeltas) {
      const next = new Set([...names, ...Object.keys(d.counters)]);
      if (current.length > 0 && (current.length >= MAX_FACTS_PER_WRITE || next.size > MAX_COUNTERS_PER_WRITE)) {
        out.push(current);
        current = [];
        names = new Set(Object.keys(d.counters));
      } else names = next;
      current.push(d);
    }
    if (current.length > 0) out.push(current);
  }
  return out;
}

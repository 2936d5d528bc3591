// For batch consumers that write several records with one call (PutEvents of 10 events, one transaction per day)
// while Powertools Batch hands them over one at a time, in order.

/**
 * A record's turn sends its pack: its own items and those of the records after it, while they fit in `maxItems`
 * (a record's items are never split). The later records of the pack answer that call's outcome on their own turn,
 * so a refused call fails every record it carried. A record whose items cannot be read ends the pack before it and
 * fails on its own turn. Each record's items are read once.
 */
export function packedWrites<R, T>(
  records: readonly R[],
  itemsOf: (record: R) => Promise<readonly T[]>,
  write: (items: T[]) => Promise<void>,
  maxItems: number,
): (record: R) => Promise<void> {
  const read = new Map<R, Promise<readonly T[]>>();
  const itemsFor = (record: R): Promise<readonly T[]> => {
    let items = read.get(record);
    if (!items) {
      items = itemsOf(record);
      items.catch(() => undefined);
      read.set(record, items);
    }
    return items;
  };
  const sent = new Map<R, Promise<void>>();

  return async (record) => {
    const known = sent.get(record);
    if (known) return known;
    const at = records.indexOf(record);
    if (at < 0) throw new Error('packedWrites: a record not of this batch');
    const pack = [...(await itemsFor(record))];
    const members = [record];
    for (let i = at + 1; i < records.length; i++) {
      const next = records[i]!;
      let items: readonly T[];
      try {
        items = await itemsFor(next);
      } catch {
        break;
      }
      if (pack.length + items.length > maxItems) break;
      pack.push(...items);
      members.push(next);
    }
    const call = pack.length > 0 ? write(pack) : Promise.resolve();
    call.catch(() => undefined);
    for (const member of members) sent.set(member, call);
    return call;
  };
}

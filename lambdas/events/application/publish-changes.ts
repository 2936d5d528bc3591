// The table's committed changes -> catalogue events on the bus. Records are published in stream order, packed into
// calls of at most 10 events (one PutEvents) without splitting a record's events; the first call that fails stops
// the batch, and its first record is the one to retry from (a stream batch resumes from its lowest failed record).
import type { EventPublisher } from '../../shared/ports.js';
import type { CatalogueEvent } from '../catalogue.js';
import { type ItemChange, eventsFromChange, thresholdOwner } from '../from-stream.js';
import type { ThresholdReader } from '../ports.js';

export interface ChangeRecord {
  /** The stream record's sequence number: what a partial batch failure names. */
  id: string;
  change: ItemChange;
}

export const EVENTS_PER_CALL = 10;

export class PublishChanges {
  constructor(
    private readonly deps: { events: EventPublisher; thresholds: ThresholdReader; currency: string; onError?: (recordId: string, error: unknown) => void },
  ) {}

  /** Publishes every record's events; answers the id of the first record not (fully) published, if any. */
  async publish(records: readonly ChangeRecord[]): Promise<string | undefined> {
    let pending: { ids: string[]; events: CatalogueEvent[] } = { ids: [], events: [] };
    const flush = async (): Promise<string | undefined> => {
      const { ids, events } = pending;
      pending = { ids: [], events: [] };
      if (events.length === 0) return undefined;
      try {
        await this.deps.events.publish(events);
        return undefined;
      } catch (error) {
        this.deps.onError?.(ids[0]!, error);
        return ids[0];
      }
    };
    for (const record of records) {
      let events: CatalogueEvent[];
      try {
        const owner = thresholdOwner(record.change);
        const lowBalanceThreshold = owner ? await this.deps.thresholds.lowBalanceThreshold(owner) : null;
        events = eventsFromChange(record.change, { currency: this.deps.currency, lowBalanceThreshold });
      } catch (error) {
        const failed = await flush();
        if (failed) return failed;
        this.deps.onError?.(record.id, error);
        return record.id;
      }
      if (events.length === 0) continue;
      if (pending.events.length + events.length > EVENTS_PER_CALL) {
        const failed = await flush();
        if (failed) return failed;
      }
      pending.ids.push(record.id);
      pending.events.push(...events);
    }
    return flush();
  }
}

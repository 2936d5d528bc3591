// The table's committed changes -> catalogue events on the bus. Records are published in stream order, packed into
// calls of at most 10 events (one PutEvents) without splitting a record's events; a call that fails fails the
// records it carried, and the batch stops there (a stream batch resumes from its lowest failed record).
import { packedWrites } from '../../shared/packed-writes.js';
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

  /**
   * A stream batch's publishing, called for each record in stream order (Powertools Batch): a record's turn publishes
   * its events with those of the records after it, up to 10 a call; it fails when that call, or its own events, failed.
   */
  forBatch(records: readonly ChangeRecord[]): (record: ChangeRecord) => Promise<void> {
    const publish = packedWrites(
      records,
      (record) => this.eventsOf(record),
      (events) => this.deps.events.publish(events),
      EVENTS_PER_CALL,
    );
    return async (record) => {
      try {
        await publish(record);
      } catch (error) {
        this.deps.onError?.(record.id, error);
        throw error;
      }
    };
  }

  private async eventsOf(record: ChangeRecord): Promise<CatalogueEvent[]> {
    const owner = thresholdOwner(record.change);
    const lowBalanceThreshold = owner ? await this.deps.thresholds.lowBalanceThreshold(owner) : null;
    return eventsFromChange(record.change, { currency: this.deps.currency, lowBalanceThreshold });
  }
}

// What publishing events needs besides the bus: the owner's low-balance threshold, kept on the user's profile.
import type { Micros } from '../shared/money.js';

export interface ThresholdReader {
  /** The owner's `notifications.lowBalanceThreshold`; null when none is set or the owner is unknown. */
  lowBalanceThreshold(ownerId: string): Promise<Micros | null>;
}

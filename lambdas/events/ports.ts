// What publishing events needs besides the bus: the owner's low-balance threshold, kept on the user's profile.
import type { Micros } from '../shared/money.js';

export interface ThresholdReader {
  /** The owner's `notifications.lowBalanceThreshold`; null when none is set or the owner is unknown. */
  lowBalanceThreshold(ownerId: string): Promise<Micros | null>;
}

/**
 * Once per event id and consumer, however often an event arrives (a retried stream batch, an SQS redelivery, a bus
 * replay). A consumer claims an event before its side effect and marks it done after; a claim left by a consumer that
 * died mid-way expires after its lease, so the event is handled again rather than never.
 */
export interface EventClaims {
  /**
   * 'claimed': go ahead, then call `done`. 'done': already handled, skip. 'busy': another delivery of the same event
   * holds a live claim; try again after the lease (RetryLater).
   */
  claim(consumer: string, eventId: string, leaseMs: number): Promise<ClaimState>;
  /**
   * As `claim`, in the same one write, with how many holders before gave the event back after a failed attempt
   * (`release(..., { failed: true })`): a consumer that retries on a schedule (webhooks) numbers its attempts by it.
   */
  claimAttempt(consumer: string, eventId: string, leaseMs: number): Promise<{ state: ClaimState; failures: number }>;
  done(consumer: string, eventId: string): Promise<void>;
  /** Gives a claim back (the side effect failed and will be tried again); `failed` counts a failed attempt. */
  release(consumer: string, eventId: string, options?: { failed?: boolean }): Promise<void>;
}

export type ClaimState = 'claimed' | 'done' | 'busy';

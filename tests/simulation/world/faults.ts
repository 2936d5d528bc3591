// The faults the simulated world injects, one name per kind, how likely each is while faults are on, and the count of
// those injected (the figures the simulation prints).
import type { SimRandom } from './rng.js';

export const FAULT_KINDS = [
  // The upstream provider (faulty-provider.ts), per call or per order entry of a `status` answer.
  'provider.timeout', // no answer in time: fetch rejects with a TimeoutError, as AbortSignal.timeout makes it
  'provider.http-5xx', // 500/502/503/504, the request not processed
  'provider.html', // HTTP 200 with an HTML page (a proxy's or a challenge page)
  'provider.dropped', // the connection broke: TypeError('fetch failed'), as undici throws
  'provider.answer-lost', // `add` created the order, then the answer was lost (timeout, dropped or 504)
  'provider.status-flip', // one reading of another status than the order's (a lagging replica), then the truth again
  'provider.unknown-status', // a status word no panel vocabulary has
  'provider.partial-no-remains', // `Partial` without `remains`
  'provider.error-status', // one reading of `Error` or `Fail` for an order that is fine
  'provider.incorrect-order-id', // {"error":"Incorrect order ID"} for an order the provider holds
  // The order workflow (the driver's wrapStep and dropResume hooks).
  'workflow.crash-before-write', // a step dies before its write
  'workflow.crash-after-write', // a step dies after its write, before answering
  'workflow.lost-resume', // a task token's resume never arrives
  // DynamoDB (MemoryDynamo.injectFaults).
  'db.conflict', // TransactionCanceledException / a conditional write lost to a concurrent one
  'db.throttle', // ProvisionedThroughputExceeded / ThrottlingException
  'db.unprocessed', // a batch call hands part of its batch back unprocessed (any other call: a throttle)
  'db.lost-answer', // the write is committed, then answered with a 500 the SDK retries (a plain write applies again)
  // The payment gateway's callbacks (payment-gateway.ts).
  'payment.duplicate', // the same signed callback delivered again
  'payment.reordered', // an older status delivered after a newer one
  'payment.forged-signature', // a callback nobody signed with the gateway's secret
  'payment.forged-body', // a genuine callback with its amount or status changed, not re-signed
  'payment.replayed', // a genuine callback's exact bytes sent again outside the signature's tolerance window
  'payment.late', // the payment's callback arrives after the top-up expired
  // Resellers' webhook receivers (webhook-receivers.ts).
  'webhook.receiver-down', // the receiver answers 5xx, times out or refuses the connection
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export type FaultProbabilities = Partial<Record<FaultKind, number>>;

/**
 * Each fault kind's chance per opportunity (a call, a status entry, a step, a write, a callback, a delivery). The
 * provider's and DynamoDB's were raised by half when the active phase went from 30 to 15 minutes (half the poll runs
 * under faults), so that a seed meets about as many faults as before.
 */
export const DEFAULT_FAULT_PROBABILITIES: Readonly<Record<FaultKind, number>> = {
  'provider.timeout': 0.045,
  'provider.http-5xx': 0.045,
  'provider.html': 0.03,
  'provider.dropped': 0.03,
  'provider.answer-lost': 0.04,
  'provider.status-flip': 0.06,
  'provider.unknown-status': 0.03,
  'provider.partial-no-remains': 0.045,
  'provider.error-status': 0.045,
  'provider.incorrect-order-id': 0.03,
  'workflow.crash-before-write': 0.02,
  'workflow.crash-after-write': 0.02,
  'workflow.lost-resume': 0.02,
  'db.conflict': 0.015,
  'db.throttle': 0.015,
  'db.unprocessed': 0.015,
  'db.lost-answer': 0.0075,
  'payment.duplicate': 0.2,
  'payment.reordered': 0.15,
  'payment.forged-signature': 0.1,
  'payment.forged-body': 0.1,
  'payment.replayed': 0.1,
  'payment.late': 0.1,
  'webhook.receiver-down': 0.1,
};

export interface NotedFault {
  kind: FaultKind;
  detail?: string;
  /** Date.now() when noted: virtual time in the simulation. */
  at: number;
}

export class FaultLog {
  private readonly noted: NotedFault[] = [];

  note(kind: FaultKind, detail?: string): void {
    this.noted.push({ kind, at: Date.now(), ...(detail !== undefined ? { detail } : {}) });
  }

  /** Injected faults by kind, only the kinds that occurred. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { kind } of this.noted) counts[kind] = (counts[kind] ?? 0) + 1;
    return counts;
  }

  /** Every fault in the order injected, for a trace. */
  entries(): readonly NotedFault[] {
    return this.noted;
  }

  get total(): number {
    return this.noted.length;
  }
}

/**
 * Which faults happen: each kind's probability while on, none while off (the quiet phase). `inject` always draws one
 * number, on or off, whatever the probability, so switching faults off or changing one kind's probability does not
 * shift the draws that follow in the same stream.
 */
export class FaultPlan {
  private enabled = true;
  private readonly probabilities: Readonly<Record<FaultKind, number>>;

  constructor(
    readonly log: FaultLog = new FaultLog(),
    probabilities: FaultProbabilities = DEFAULT_FAULT_PROBABILITIES,
  ) {
    this.probabilities = { ...zeroes(), ...probabilities };
  }

  get active(): boolean {
    return this.enabled;
  }

  on(): void {
    this.enabled = true;
  }

  /** The quiet phase: no fault of any kind from now on (until `on`). */
  off(): void {
    this.enabled = false;
  }

  probability(kind: FaultKind): number {
    return this.enabled ? this.probabilities[kind] : 0;
  }

  /** Whether to inject `kind` at this opportunity, drawn from `random`; noted in the log when it is. */
  inject(kind: FaultKind, random: SimRandom, detail?: string): boolean {
    const hit = random.chance(this.probability(kind));
    if (hit) this.log.note(kind, detail);
    return hit;
  }

  /** At most one of `kinds` at this opportunity: one draw per kind, always; the first that hits is noted and answered. */
  injectOne(kinds: readonly FaultKind[], random: SimRandom, detail?: string): FaultKind | undefined {
    let chosen: FaultKind | undefined;
    for (const kind of kinds) if (random.chance(this.probability(kind)) && chosen === undefined) chosen = kind;
    if (chosen !== undefined) this.log.note(chosen, detail);
    return chosen;
  }
}

function zeroes(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
}

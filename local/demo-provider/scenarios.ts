// How a demo provider order behaves, chosen by a hint in its link (for a subscription, its username given as a
// profile URL), like a payment sandbox's test card numbers:
//   codex-test=partial  ends Partial with some remains
//   codex-test=fail     rejected at submission
//   codex-test=cancel   ends Canceled
//   codex-test=slow     takes minutes
//   codex-test=flaky    the first `add` answers 503, the second times out (but is recorded), then it is accepted
//   codex-test=outage   `add` times out 8 times in a row (longer than the submit retries), then it is accepted
//   codex-test=error    completes, but its first status answer once delivery has started is `Error` (a panel's hiccup)
//   codex-test=failed   ends answering `Fail` instead of `Canceled`
// Progress is computed from the time since the order was placed, so it survives restarts without a ticking clock.
export type Scenario = 'normal' | 'partial' | 'fail' | 'cancel' | 'slow' | 'flaky' | 'outage' | 'error' | 'failed';

export function scenarioOf(link: string): Scenario {
  const match = /codex-test=(partial|failed|fail|cancel|slow|flaky|outage|error)\b/i.exec(link);
  return (match?.[1]?.toLowerCase() as Scenario | undefined) ?? 'normal';
}

export interface Timeline {
  /** Seconds in Pending before delivery starts. */
  pendingFor: number;
  /** Seconds from placement to the end. */
  endsAfter: number;
  final: 'Completed' | 'Partial' | 'Canceled';
  /** Share of the quantity never delivered, for Partial and Canceled. */
  undeliveredShare: number;
}

export function timelineOf(scenario: Scenario): Timeline {
  switch (scenario) {
    case 'partial':
      return { pendingFor: 3, endsAfter: 20, final: 'Partial', undeliveredShare: 0.3 };
    case 'cancel':
    case 'failed':
      return { pendingFor: 3, endsAfter: 10, final: 'Canceled', undeliveredShare: 1 };
    case 'slow':
      return { pendingFor: 10, endsAfter: 240, final: 'Completed', undeliveredShare: 0 };
    default:
      return { pendingFor: 3, endsAfter: 20, final: 'Completed', undeliveredShare: 0 };
  }
}

export interface ProgressView {
  status: 'Pending' | 'In progress' | 'Completed' | 'Partial' | 'Canceled';
  remains: number;
}

/** Where an order stands `elapsedSeconds` after placement. */
export function progressAt(timeline: Timeline, quantity: number, elapsedSeconds: number): ProgressView {
  if (elapsedSeconds < timeline.pendingFor) return { status: 'Pending', remains: quantity };
  const undelivered = Math.round(quantity * timeline.undeliveredShare);
  if (elapsedSeconds >= timeline.endsAfter) return { status: timeline.final, remains: timeline.final === 'Completed' ? 0 : undelivered };
  if (timeline.final === 'Canceled') return { status: 'In progress', remains: quantity };
  const share = (elapsedSeconds - timeline.pendingFor) / (timeline.endsAfter - timeline.pendingFor);
  return { status: 'In progress', remains: Math.max(undelivered, Math.round(quantity - (quantity - undelivered) * share)) };
}

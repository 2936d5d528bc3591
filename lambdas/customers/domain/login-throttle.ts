// Brute-force protection for logins: failures are counted per account (its normalised email, known or not, so
// the answer says nothing about whether it exists) and per source (an IPv4 address, an IPv6 /64). After a few
// failures each further attempt must wait a growing delay; after many, the account or source is locked for a while.
// A failure count fades once no failure has come for `windowSeconds`.

export interface ThrottlePolicy {
  /** Failures allowed without any delay. */
  freeFailures: number;
  /** The delay after the first delayed failure, doubled after each further one. */
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  /** Failures that lock. */
  lockAfter: number;
  lockSeconds: number;
  /** A count is forgotten this long after its last failure. */
  windowSeconds: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 4,
  firstDelaySeconds: 1,
  maxDelaySeconds: 30,
  lockAfter: 10,
  lockSeconds: 15 * 60,
  windowSeconds: 60 * 60,
};

// One office or mobile carrier may share an address: a source gets more room than one account.
export const SOURCE_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  firstDelaySeconds: 1,
  maxDelaySeconds: 60,
  lockAfter: 100,
  lockSeconds: 30 * 60,
  windowSeconds: 60 * 60,
};

export interface FailureCount {
  count: number;
  /** Epoch milliseconds of the last failure. */
  lastFailureAt: number;
}

/** Epoch milliseconds before which the next attempt is refused (0 when it may go ahead). */
export function retryAt(policy: ThrottlePolicy, failures: FailureCount | undefined, now: number): number {
  if (!failures || now - failures.lastFailureAt >= policy.windowSeconds * 1000) return 0;
  const { count, lastFailureAt } = failures;
  if (count >= policy.lockAfter) return lastFailureAt + policy.lockSeconds * 1000;
  if (count <= policy.freeFailures) return 0;
  const delay = Math.min(policy.maxDelaySeconds, policy.firstDelaySeconds * 2 ** (count - policy.freeFailures - 1));
  return lastFailureAt + delay * 1000;
}

// What can go wrong when we talk to an upstream provider, in the three kinds that decide what we may do next.

/** The provider answered and said no (HTTP 200 with {"error": ...}). Final for this request. */
export class ProviderRejected extends Error {
  override readonly name = 'ProviderRejected';
}

/** The request certainly did not take effect (connection refused, rate limited): safe to send again. */
export class ProviderNotReached extends Error {
  override readonly name = 'ProviderNotReached';
}

/** The request may or may not have taken effect (timeout, 5xx, garbled answer). */
export class ProviderOutcomeUnknown extends Error {
  override readonly name = 'ProviderOutcomeUnknown';
}

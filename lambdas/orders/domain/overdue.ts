// When an open order has taken longer than it should: pure, the service's expected time comes from the catalog.

/**
 * When an order becomes overdue: its service's expected time (or the default) after it was placed, plus the
 * drip-feed's runs after the first (each `interval` minutes apart).
 */
export function overdueAt(
  order: { createdAt: string; runs?: number; interval?: number },
  expectedMinutes: number | undefined,
  defaultExpectedMinutes: number,
): Date {
  const minutes = (expectedMinutes ?? defaultExpectedMinutes) + Math.max(0, (order.runs ?? 1) - 1) * (order.interval ?? 0);
  return new Date(Date.parse(order.createdAt) + minutes * 60_000);
}

// Times a call to an order's provider and records it in the order's provider-call log (request without the key,
// answer cut short, latency). A failure to record never changes what the call did.
import type { OrderCallEntry, OrderCallLog } from '../ports.js';

export type CallDescription = Pick<OrderCallEntry, 'orderId' | 'action' | 'providerId' | 'request'>;

export async function loggedCall<T>(
  log: OrderCallLog | undefined,
  call: CallDescription,
  now: () => Date,
  send: () => Promise<T>,
  answerOf: (result: T) => string = (result) => JSON.stringify(result),
): Promise<T> {
  const started = performance.now();
  const record = (answer: string) =>
    log?.record({ ...call, answer, latencyMs: Math.round(performance.now() - started), at: now().toISOString() }).catch(() => undefined);
  try {
    const result = await send();
    await record(answerOf(result));
    return result;
  } catch (error) {
    await record(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    throw error;
  }
}

// The demo provider's status callbacks, as a provider configured to push sends them (docs/providers.md): every tick,
// the orders whose status, remains or start count changed since last pushed, in one signed batch of at most 100.
import { randomUUID } from 'node:crypto';
import { signWebhook, unixSeconds } from '../../lambdas/notifications/domain/webhooks.js';

export interface PushOptions {
  /** `POST /api/v1/providers/<id>/callback` of the API that buys from this provider. */
  url: string;
  /** The provider's `whsec_` callback secret. */
  secret: string;
  everyMs?: number;
}

type StatusAnswer = Record<string, unknown>;

const fingerprint = (answer: StatusAnswer) => `${answer.status}|${answer.remains}|${answer.start_count}`;

/** `answers` gives every order's current v2 status answer by id. Returns how to stop, and what was pushed so far. */
export function startPushing(options: PushOptions, answers: () => Map<string, StatusAnswer>): { stop(): void; batches: () => number } {
  const sent = new Map<string, string>();
  let running = false;
  let batches = 0;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const changed = [...answers()].filter(([id, answer]) => sent.get(id) !== fingerprint(answer)).slice(0, 100);
      if (changed.length === 0) return;
      const body = JSON.stringify({ orders: Object.fromEntries(changed) });
      const headers = signWebhook({ id: `msg_${randomUUID()}`, timestamp: unixSeconds(new Date()), body }, [options.secret]);
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.timeout(5000),
      });
      await response.arrayBuffer();
      if (!response.ok) return;
      batches++;
      for (const [id, answer] of changed) sent.set(id, fingerprint(answer));
    } catch {
      // Sent again on the next tick, as a provider retries; the poller is the safety net in any case.
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, options.everyMs ?? 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), batches: () => batches };
}

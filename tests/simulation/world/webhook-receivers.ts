// Resellers' webhook receivers, for the simulation: a WebhookSender (Platform.webhooks) that hands each delivery to
// an in-memory receiver instead of the network. It records every delivery a receiver got and, when the plan says the
// receiver is down, answers the attempt as HttpWebhookSender reports a 5xx, a timeout or a refused connection.
import { checkWebhookUrl } from '../../../lambdas/notifications/domain/webhook-url.js';
import type { WebhookAttempt, WebhookRequest, WebhookSender } from '../../../lambdas/notifications/ports.js';
import type { FaultPlan } from './faults.js';
import type { SimRandom } from './rng.js';

export interface ReceivedWebhook {
  url: string;
  /** The Standard Webhooks `webhook-id` header: the event id, the same on every attempt. */
  eventId: string;
  /** The payload's `type` (e.g. `order.completed`), when the body is JSON with one. */
  type?: string;
  body: string;
  /** Date.now() when received: virtual time in the simulation. */
  at: number;
}

export class SimWebhookReceivers implements WebhookSender {
  private readonly received: ReceivedWebhook[] = [];
  /** Attempts by outcome, for the printed figures. */
  readonly attempts = { delivered: 0, failed: 0, refused: 0 };
  private readonly random: SimRandom;

  constructor(
    random: SimRandom,
    private readonly faults: FaultPlan,
  ) {
    this.random = random.fork('webhook-receivers');
  }

  async deliver(request: WebhookRequest): Promise<WebhookAttempt> {
    // The real sender's first check, so a URL it would refuse is refused here too (the simulation has no loopback).
    const check = checkWebhookUrl(request.url);
    if (!check.ok) {
      this.attempts.refused++;
      return { error: check.code, detail: check.reason, latencyMs: 0 };
    }
    if (this.faults.inject('webhook.receiver-down', this.random, request.url)) {
      this.attempts.failed++;
      switch (this.random.pick(['5xx', 'timeout', 'refused'] as const)) {
        case '5xx':
          return { status: this.random.pick([500, 502, 503]), latencyMs: this.random.int(5, 300) };
        case 'timeout':
          return { error: 'timeout', detail: `No answer within ${request.timeoutMs} ms`, latencyMs: request.timeoutMs };
        default:
          return { error: 'connection_failed', detail: 'ECONNREFUSED', latencyMs: this.random.int(1, 50) };
      }
    }
    this.attempts.delivered++;
    const eventId = request.headers['webhook-id'] ?? '';
    const type = typeOf(request.body);
    this.received.push({ url: request.url, eventId, body: request.body, at: Date.now(), ...(type !== undefined ? { type } : {}) });
    return { status: 200, latencyMs: this.random.int(5, 300) };
  }

  /** Every delivery a receiver got (2xx answered), in order; duplicates (same eventId) included. */
  deliveries(): readonly ReceivedWebhook[] {
    return this.received;
  }
}

function typeOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { type?: unknown };
    return typeof parsed.type === 'string' ? parsed.type : undefined;
  } catch {
    return undefined;
  }
}

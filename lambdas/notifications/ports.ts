// What the notification area needs from the outside world.

export interface WebhookRequest {
  url: string;
  /** The signature headers; the sender adds content-type and user-agent. */
  headers: Readonly<Record<string, string>>;
  body: string;
  timeoutMs: number;
}

/**
 * One attempt: the receiver's status (any status, 3xx included: redirects are never followed), or why there was none.
 * `error` is a stable code; `detail` says more and never holds the headers or the body.
 */
export type WebhookAttempt = { status: number; latencyMs: number } | { error: WebhookSendError; detail?: string; latencyMs: number };

export type WebhookSendError = 'invalid_url' | 'blocked_address' | 'timeout' | 'connection_failed';

export interface WebhookSender {
  deliver(request: WebhookRequest): Promise<WebhookAttempt>;
}

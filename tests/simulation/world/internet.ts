// The simulated internet: a fetch that routes by host to in-process handlers (providers, the payment gateway), with no
// socket. An unknown host fails as undici fails a DNS miss, so Codex's adapters see what they would see for real.

export type SimHandler = (request: Request) => Promise<Response>;

export class SimInternet {
  private readonly hosts = new Map<string, SimHandler>();
  /** Requests sent, by host (unknown hosts included), for the printed figures. */
  readonly requests: Record<string, number> = {};

  /** Serves `host` (a host name, e.g. `provider-1.sim`, or host:port) with `handler`; replaces any handler it had. */
  register(host: string, handler: SimHandler): void {
    this.hosts.set(host.toLowerCase(), handler);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    // A signal aborted before the call rejects with its reason, as fetch does.
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    signal?.throwIfAborted();
    const request = new Request(input, init);
    const host = new URL(request.url).host.toLowerCase();
    this.requests[host] = (this.requests[host] ?? 0) + 1;
    const handler = this.hosts.get(host);
    if (!handler) throw fetchFailed('ENOTFOUND', `getaddrinfo ENOTFOUND ${host}`);
    const response = await handler(request);
    signal?.throwIfAborted();
    return response;
  };
}

/** The error undici's fetch rejects with when the network fails: TypeError('fetch failed') with the system error as cause. */
export function fetchFailed(code: string, message = code): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

/** What fetch rejects with when an AbortSignal.timeout fires. */
export function timeoutError(): DOMException {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

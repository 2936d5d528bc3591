// Sends one webhook attempt over HTTPS, refusing to reach anything but the public internet. The address is checked
// by request-filtering-agent when the socket connects, on the very address the connection uses, so a name that resolves
// (or re-resolves, DNS rebinding) to a private, loopback, link-local or reserved address never gets a byte.
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { checkWebhookUrl } from '../../notifications/domain/webhook-url.js';
import type { WebhookAttempt, WebhookRequest, WebhookSendError, WebhookSender } from '../../notifications/ports.js';
import { tracedHttpCall } from '../../shared/observability/tracer.js';

export interface HttpWebhookSenderOptions {
  /** Local stack only: lets receivers on 127.0.0.1 and ::1 in, over http or https. AWS never sets it. */
  allowLoopbackHttp?: boolean;
  /** Resolves host names instead of DNS (tests); its answers are checked like DNS's. */
  lookup?: LookupFunction;
}

const USER_AGENT = 'Codex-Webhooks/1.0';
// Single addresses, compared as written: the agent's CIDR matching warns on every address of the other IP family.
const LOOPBACK = ['127.0.0.1', '::1'];

export class HttpWebhookSender implements WebhookSender {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent | undefined;

  constructor(private readonly options: HttpWebhookSenderOptions = {}) {
    // No private address at all, loopback excepted only when asked; IPv4-mapped IPv6 forms are not "unicast" for
    // ipaddr.js, so they are refused too (and do not match the IPv4 loopback range even locally).
    const filter = { allowPrivateIPAddress: false, allowMetaIPAddress: false, allowIPAddressList: options.allowLoopbackHttp ? LOOPBACK : [] };
    this.httpsAgent = new RequestFilteringHttpsAgent({ keepAlive: false, ...filter });
    this.httpAgent = options.allowLoopbackHttp ? new RequestFilteringHttpAgent({ keepAlive: false, ...filter }) : undefined;
  }

  async deliver(request: WebhookRequest): Promise<WebhookAttempt> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    const check = checkWebhookUrl(request.url, { allowLoopbackHttp: this.options.allowLoopbackHttp === true });
    if (!check.ok) return { error: check.code, detail: check.reason, latencyMs: 0 };
    const { url } = check;
    const agent = url.protocol === 'https:' ? this.httpsAgent : this.httpAgent;
    if (agent === undefined) return { error: 'invalid_url', detail: 'The URL must use https', latencyMs: 0 };
    const send = url.protocol === 'https:' ? https.request : http.request;
    return tracedHttpCall(
      url.hostname,
      () => this.send(send, url, agent, request, latencyMs),
      (attempt) => ('status' in attempt ? attempt.status : undefined),
    );
  }

  private send(send: typeof https.request, url: URL, agent: http.Agent, request: WebhookRequest, latencyMs: () => number): Promise<WebhookAttempt> {
    return new Promise<WebhookAttempt>((resolve) => {
      let settled = false;
      const finish = (attempt: WebhookAttempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(attempt);
      };
      const req = send(
        url,
        {
          method: 'POST',
          agent,
          ...(this.options.lookup ? { lookup: this.options.lookup } : {}),
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(request.body),
            'user-agent': USER_AGENT,
          },
        },
        (res) => {
          // The status is all we record; the body is not read, so a receiver cannot make us hold a large answer.
          finish({ status: res.statusCode ?? 0, latencyMs: latencyMs() });
          res.destroy();
        },
      );
      const timer = setTimeout(() => {
        finish({ error: 'timeout', detail: `No answer within ${request.timeoutMs} ms`, latencyMs: latencyMs() });
        req.destroy();
      }, request.timeoutMs);
      req.on('error', (error) => finish({ ...describe(error), latencyMs: latencyMs() }));
      req.end(request.body);
    });
  }
}

/** The error's code and a message that names the address refused, never the request's headers or body. */
function describe(error: Error & { code?: string }): { error: WebhookSendError; detail: string } {
  if (/is not allowed/.test(error.message)) return { error: 'blocked_address', detail: error.message };
  return { error: 'connection_failed', detail: error.code ?? error.message };
}

// What every answer must be, whatever was sent: no 5xx; JSON (unless the operation documents another type); for a
// refusal, the error shape of the route's family; and a refused request writes nothing but the counters below.
import * as z from 'zod/mini';
import { ErrorBody } from '../../lambdas/rest/v1/contract/common.js';
import type { RawResponse } from './raw-http.js';
import type { FuzzRequest } from './requests.js';
import type { Target } from './targets.js';

/**
 * Items a refused request may write, each by design (docs/proof.md, "Request fuzzer"): they count refusals, so that
 * the next ones can be slowed down or blocked.
 */
export const REFUSAL_COUNTERS: Record<string, string> = {
  AUDIT:
    'audit, actions login.failed and (actor system) api_key.suspended only: every sign-in is audited, failed ones too; a key suspended for abuse is audited',
  APIKEY: 'api-key, only to status suspended for "invalid requests within a minute": a key sending bursts of invalid requests is suspended',
  'USER/APIKEY':
    "api-key-listing: the same suspension, on the listing written with the key; or its lastUsedAt alone (a key's use is noted at most once a minute, whatever the answer)",
  RATE: 'rate-window: every /api/v2 request with a known key counts against its per-minute limit, refused or not',
  QUOTA: 'order-quota: an `add` takes a unit of the daily quota before placing and gives it back when refused',
  ABUSE: 'abuse-window: invalid keys per source and invalid requests per key, counted to block abusers',
  BLOCK: 'source-block: a source past the invalid-key threshold is blocked for a while',
  ATTEMPTS: 'attempt-counter: failed sign-ins per account and source, emails asked for per address and source',
  CALLBACKS: 'payment-callback (refused): every payment callback refused before it is tied to a top-up, kept 90 days for investigation',
  'TOPUP/CALLBACK': "payment-callback: every callback tied to a top-up, whatever its verdict, in the top-up's history",
};

/** Whether a refused request may have changed this item (as JSON text before and after; absent: no such item). */
export function refusalMayWrite(kind: string, before: string | undefined, item: string | undefined): boolean {
  if (!REFUSAL_COUNTERS[kind]) return false;
  const written = item === undefined ? undefined : JSON.parse(item);
  if (kind === 'USER/APIKEY' && before !== undefined && written && onlyChanged(JSON.parse(before), written, 'lastUsedAt')) return true;
  if (kind === 'AUDIT') return written?.action === 'login.failed' || (written?.action === 'api_key.suspended' && written.actor === 'system');
  if (kind === 'APIKEY' || kind === 'USER/APIKEY')
    return written?.status === 'suspended' && /invalid requests within a minute/.test(written.statusReason ?? '');
  return true;
}

function onlyChanged(before: Record<string, unknown>, after: Record<string, unknown>, attribute: string): boolean {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].every((name) => name === attribute || JSON.stringify(before[name]) === JSON.stringify(after[name]));
}

/**
 * Statuses the gateway answers itself as `{"error": "<text>"}` (lib/codex-api.ts gateway responses), before it knows
 * the route or without a function of it: an unreadable request, no such route or method, a body or headers past its
 * limits, throttling. Refusals of a route's caller (401, 403) are the route's own and documented in its shape.
 */
const GATEWAY_STATUSES = new Set([400, 404, 405, 413, 429, 431]);
const V2_GATEWAY_STATUSES = new Set([...GATEWAY_STATUSES, 403]);

const GatewayError = z.object({ error: z.string() });

export interface Verdict {
  /** A 4xx, or the v2 protocol's HTTP 200 `{"error": ...}`. */
  refused: boolean;
  /** `401 unauthorized`, `200 v2 error`, ...: for the tally. */
  kind: string;
  problems: string[];
  /** Properties checked on this answer. */
  checked: number;
}

export function checkAnswer(target: Target, request: FuzzRequest, response: RawResponse): Verdict {
  const problems: string[] = [];
  let checked = 1;
  const { status } = response;
  if (status >= 500) problems.push(`answered ${status}`);
  const type = response.headers['content-type'] ?? '';
  const bodyless = request.method === 'HEAD' || status === 204 || status === 304 || response.body.length === 0;
  let body: any;
  checked++;
  if (!bodyless) {
    if (/json/i.test(type)) {
      try {
        body = JSON.parse(response.body.toString('utf8'));
      } catch {
        problems.push(`content-type ${type} but the body is not JSON: ${response.body.subarray(0, 120).toString('utf8')}`);
      }
    } else {
      const documented = target.operation?.responses[status]?.contentType;
      if (!documented || status >= 400) problems.push(`a ${status} answer of type "${type}", not JSON and not documented for the operation`);
    }
  } else if (status >= 400 && request.method !== 'HEAD') problems.push(`an empty ${status} answer`);
  const fromHandler = response.headers['x-request-id'] !== undefined || target.family === 'v2';
  let kind = `${status}`;
  let refused = status >= 400;
  if (body !== undefined && status >= 400) {
    checked++;
    const restShape = z.safeParse(ErrorBody, body).success;
    const gatewayShape = z.safeParse(GatewayError, body).success;
    if (target.family === 'rest' && response.headers['x-request-id'] !== undefined) {
      if (!restShape) problems.push(`a REST ${status} not in the documented error shape: ${JSON.stringify(body).slice(0, 200)}`);
      kind = `${status} ${body?.error?.code}`;
    } else if (target.family === 'rest' && restShape && (status === 401 || status === 403)) {
      kind = `${status} ${body.error.code} (gateway)`;
    } else if (!gatewayShape) {
      problems.push(`a gateway ${status} not in the {"error": "..."} shape: ${JSON.stringify(body).slice(0, 200)}`);
    } else {
      if (!(target.family === 'v2' ? V2_GATEWAY_STATUSES : GATEWAY_STATUSES).has(status))
        problems.push(`the gateway answered ${status} as {"error": "..."}, not in the route's documented error shape`);
      kind = `${status} gateway`;
    }
  }
  if (target.family === 'v2' && status < 400 && body !== undefined && !bodyless) {
    checked++;
    if (status !== 200) problems.push(`/api/v2 answered ${status}: the protocol answers 200`);
    if (body && typeof body === 'object' && !Array.isArray(body) && 'error' in body) {
      refused = true;
      kind = `${status} v2 error`;
      if (typeof body.error !== 'string') problems.push(`a v2 error that is not text: ${JSON.stringify(body).slice(0, 200)}`);
    } else kind = `${status} v2 answer`;
  }
  if (!fromHandler && status < 400 && target.family !== 'plain' && !bodyless) kind = `${status}`;
  return { refused, kind, problems, checked };
}

// Reads an SMM panel API v2 request however the client sent it: form fields, JSON, multipart form data or a
// query string (body fields win over query fields). The key may also come in X-Api-Key or Authorization: Bearer.
// Params are null-prototype objects: a field named `__proto__` or `constructor` is a field like any other.
import type { APIGatewayProxyEvent } from 'aws-lambda';

export type V2Params = Record<string, string>;

/** No v2 action has more than a dozen fields; past this many the rest are ignored, as the earlier parser did. */
const MAX_MULTIPART_FIELDS = 200;

export class V2RequestTooLarge extends Error {}
export class V2RequestUnreadable extends Error {}

export function emptyParams(): V2Params {
  return Object.create(null) as V2Params;
}

export async function readV2Params(event: APIGatewayProxyEvent, maxBytes: number): Promise<V2Params> {
  const params = emptyParams();
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (typeof value === 'string') params[name] = value;

  const body = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (body.length > maxBytes) throw new V2RequestTooLarge(`Request body is larger than ${maxBytes} bytes`);

  const contentType = headerOf(event, 'content-type') ?? '';
  if (body.length > 0) {
    if (/^multipart\/form-data/i.test(contentType)) copyInto(params, await fromMultipart(body, contentType));
    else {
      const text = body.toString('utf8');
      const trimmed = text.trim();
      if (/json/i.test(contentType) || trimmed.startsWith('{')) copyInto(params, fromJson(trimmed));
      else if (trimmed.length > 0) for (const [name, value] of new URLSearchParams(text)) params[name] = value;
    }
  }

  const headerKey = headerOf(event, 'x-api-key') ?? bearer(headerOf(event, 'authorization'));
  if (!params.key && headerKey) params.key = headerKey;
  return params;
}

/**
 * The widely copied PHP client's refill helpers send no `action`, only the fields of the call:
 * `order` → refill, `orders` → refill (many), `refill` → refill_status, `refills` → refill_status (many).
 */
export function actionOf(params: V2Params): string | undefined {
  const action = params.action?.trim().toLowerCase();
  if (action) return action;
  if (params.refills !== undefined || params.refill !== undefined) return 'refill_status';
  if (params.orders !== undefined || params.order !== undefined) return 'refill';
  return undefined;
}

function fromJson(text: string): V2Params {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new V2RequestUnreadable('Request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new V2RequestUnreadable('Request body must be a JSON object');
  const params = emptyParams();
  for (const [name, value] of Object.entries(parsed)) {
    // null is how JSON clients leave an optional field unset.
    if (value === null) continue;
    if (isScalar(value)) params[name] = String(value);
    else if (Array.isArray(value) && value.every(isScalar)) params[name] = value.map(String).join(name === 'comments' || name === 'usernames' ? '\n' : ',');
    // An object where text belongs is a client bug; taking it as absent could turn an order into another one.
    else throw new V2RequestUnreadable(`Field ${printable(name)} must be text or a number`);
  }
  return params;
}

const isScalar = (value: unknown): value is string | number | boolean => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** A client-chosen field name, short and on one line, for an error text. */
const printable = (name: string): string => JSON.stringify(name.slice(0, 64)).slice(1, -1);

function copyInto(target: V2Params, source: V2Params): void {
  for (const name of Object.keys(source)) target[name] = source[name]!;
}

// Node's own multipart parser (the fetch API's), so the bundle carries no parser of its own.
async function fromMultipart(body: Buffer, contentType: string): Promise<V2Params> {
  if (!/;\s*boundary=/i.test(contentType)) throw new V2RequestUnreadable('Multipart request without a boundary');
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new V2RequestUnreadable('Multipart request body is malformed');
  }
  const params = emptyParams();
  let fields = 0;
  for (const [name, value] of form) {
    if (typeof value !== 'string') continue;
    if (++fields > MAX_MULTIPART_FIELDS) break;
    params[name] = value;
  }
  return params;
}

function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name && value) return value;
  return undefined;
}

function bearer(value: string | undefined): string | undefined {
  const match = value ? /^(?:Bearer|ApiKey)\s+(\S+)$/i.exec(value.trim()) : null;
  return match?.[1];
}

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
    if (/^multipart\/form-data/i.test(contentType)) copyInto(params, fromMultipart(body, contentType));
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

/**
 * The text fields of a multipart body, read as leniently as panels write them: .NET's MultipartFormDataContent leaves
 * field names unquoted, and many clients add a preamble or text after the closing boundary. (Node's FormData parser
 * refuses all of these; busboy accepted them but weighs 22 KB of a bundle that must stay within 300 KB.)
 * Uploaded files are skipped.
 */
function fromMultipart(body: Buffer, contentType: string): V2Params {
  const boundary = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!boundary) throw new V2RequestUnreadable('Multipart request without a boundary');
  const parts = body.toString('utf8').split(`--${boundary[1] ?? boundary[2]}`);
  if (parts.length < 2) throw new V2RequestUnreadable('Multipart request body is malformed');
  const params = emptyParams();
  let fields = 0;
  // parts[0] is the preamble; a part starting with "--" is the closing delimiter's, after which comes the epilogue.
  for (const part of parts.slice(1)) {
    if (part.startsWith('--')) break;
    const field = multipartField(part);
    if (!field) continue;
    if (++fields > MAX_MULTIPART_FIELDS) break;
    params[field.name] = field.value;
  }
  return params;
}

function multipartField(part: string): { name: string; value: string } | undefined {
  const headerEnd = /\r?\n\r?\n/.exec(part);
  if (!headerEnd) return undefined;
  // Folded header lines continue the one before.
  const headers = part.slice(0, headerEnd.index).replace(/\r?\n[ \t]+/g, ' ');
  const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1];
  if (disposition === undefined || /;\s*filename\*?=/i.test(disposition)) return undefined;
  const name = /;\s*name=(?:"([^"]*)"|([^\s;]+))/i.exec(disposition);
  if (!name) return undefined;
  const value = part.slice(headerEnd.index + headerEnd[0].length).replace(/\r?\n$/, '');
  return { name: name[1] ?? name[2]!, value };
}

function headerOf(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name && value) return value;
  return undefined;
}

function bearer(value: string | undefined): string | undefined {
  const match = value ? /^(?:Bearer|ApiKey)\s+(\S+)$/i.exec(value.trim()) : null;
  return match?.[1];
}

// Reads an SMM panel API v2 request however the client sent it: form fields, JSON, or a query string
// (body fields win over query fields). The key may also come in X-Api-Key or Authorization: Bearer.
import type { APIGatewayProxyEvent } from 'aws-lambda';

export type V2Params = Record<string, string>;

export class V2RequestTooLarge extends Error {}
export class V2RequestUnreadable extends Error {}

export function readV2Params(event: APIGatewayProxyEvent, maxBytes: number): V2Params {
  const params: V2Params = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) if (value !== undefined) params[name] = value;

  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(body, 'utf8') > maxBytes) throw new V2RequestTooLarge(`Request body is larger than ${maxBytes} bytes`);

  const contentType = headerOf(event, 'content-type')?.toLowerCase() ?? '';
  const trimmed = body.trim();
  if (trimmed.length > 0) {
    if (contentType.includes('json') || trimmed.startsWith('{')) Object.assign(params, fromJson(trimmed));
    else Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
  }

  const headerKey = headerOf(event, 'x-api-key') ?? bearer(headerOf(event, 'authorization'));
  if (!params.key && headerKey) params.key = headerKey;
  return params;
}

function fromJson(text: string): V2Params {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new V2RequestUnreadable('Request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new V2RequestUnreadable('Request body must be a JSON object');
  const params: V2Params = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === 'string') params[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') params[name] = String(value);
    else if (Array.isArray(value)) params[name] = value.map(String).join(',');
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

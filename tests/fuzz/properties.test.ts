// The fuzzer's properties reject what they must: each check is shown failing on an answer that breaks it.
import { describe, expect, it } from 'vitest';
import { checkAnswer, refusalMayWrite } from './properties.js';
import type { RawResponse } from './raw-http.js';
import type { FuzzRequest } from './requests.js';
import { fuzzTargets, type Target } from './targets.js';

const targets = fuzzTargets();
const target = (label: string): Target => targets.find((t) => `${t.method} ${t.path}` === label)!;
const request = (method = 'GET'): FuzzRequest => ({ target: '', method, url: '/', headers: [], auth: 'none', mutations: [] });
const answer = (status: number, body: unknown, headers: Record<string, string> = {}): RawResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const FROM_HANDLER = { 'x-request-id': 'r-1' };
const problemsOf = (label: string, response: RawResponse, method = 'GET') => checkAnswer(target(label), request(method), response).problems;

describe('the fuzzer’s properties', () => {
  it('refuse a 5xx, whatever its shape', () => {
    expect(problemsOf('GET /api/v1/orders', answer(500, { error: { code: 'internal', message: 'x' } }, FROM_HANDLER))).toEqual(['answered 500']);
    expect(problemsOf('POST /api/v2', answer(500, { error: 'Internal error, please try again later' }), 'POST')).toContain('answered 500');
  });

  it('refuse a REST refusal outside {"error": {"code", "message"}}, and a caller refusal in the gateway’s text shape', () => {
    expect(problemsOf('GET /api/v1/orders', answer(400, { error: 'bad' }, FROM_HANDLER))).toHaveLength(1);
    expect(
      problemsOf('GET /api/v1/orders', answer(400, { error: { code: 'invalid_request', message: 'limit: too big', field: 'limit' } }, FROM_HANDLER)),
    ).toEqual([]);
    expect(problemsOf('GET /admin/v1/users', answer(401, { error: 'Unauthorized' }))).toHaveLength(1);
    expect(problemsOf('GET /admin/v1/users', answer(401, { error: { code: 'unauthorized', message: 'Unauthorized' } }))).toEqual([]);
    expect(problemsOf('GET /admin/v1/users', answer(404, { error: 'Not found' }))).toEqual([]);
  });

  it('refuse a v2 error that is not text, and a v2 answer other than 200', () => {
    expect(problemsOf('POST /api/v2', answer(200, { error: { code: 'x' } }), 'POST')).toHaveLength(1);
    expect(problemsOf('POST /api/v2', answer(201, { order: 1 }), 'POST')).toHaveLength(1);
    expect(checkAnswer(target('POST /api/v2'), request('POST'), answer(200, { error: 'Incorrect request' })).refused).toBe(true);
  });

  it('refuse a body that is not JSON unless the operation documents its type', () => {
    expect(problemsOf('GET /api/v1/orders', answer(200, '<html></html>', { 'content-type': 'text/html' }))).toHaveLength(1);
    expect(problemsOf('GET /api/v1/docs', answer(200, '<html></html>', { 'content-type': 'text/html' }))).toEqual([]);
    expect(problemsOf('GET /api/v1/orders', answer(200, '{"items": [', {}))).toHaveLength(1);
  });

  it('let a refusal write only the listed counters, and a key only its suspension or lastUsedAt', () => {
    expect(refusalMayWrite('ABUSE', undefined, '{}')).toBe(true);
    expect(refusalMayWrite('WALLET/LEDGER', undefined, '{}')).toBe(false);
    expect(refusalMayWrite('AUDIT', undefined, JSON.stringify({ action: 'login.failed' }))).toBe(true);
    expect(refusalMayWrite('AUDIT', undefined, JSON.stringify({ action: 'user.blocked' }))).toBe(false);
    const key = { status: 'active', label: 'a', lastUsedAt: '2026-12-01T00:00:00Z' };
    expect(refusalMayWrite('USER/APIKEY', JSON.stringify(key), JSON.stringify({ ...key, lastUsedAt: '2026-12-01T00:01:00Z' }))).toBe(true);
    expect(refusalMayWrite('USER/APIKEY', JSON.stringify(key), JSON.stringify({ ...key, label: 'b' }))).toBe(false);
    expect(refusalMayWrite('APIKEY', JSON.stringify(key), JSON.stringify({ ...key, status: 'revoked' }))).toBe(false);
  });
});

// The API's documentation over HTTP on the local stack: the OpenAPI document and the interactive page, whose files
// all come from the stack itself (no CDN: it works offline and under its CSP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

let stack: LocalStack;
let v1: string;

beforeAll(async () => {
  stack = await startLocalStack({ port: 0 });
  v1 = `${stack.apiBase}/api/v1`;
});

afterAll(async () => {
  await stack?.stop();
});

/** The URLs of the page's scripts and stylesheets, resolved as a browser would. */
function referencedFiles(html: string, pageUrl: string): string[] {
  return [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+)"/g)].map((m) => new URL(m[1]!.replace(/&#38;/g, '&'), pageUrl).href);
}

describe('GET /api/v1/openapi.json', () => {
  it('answers the OpenAPI 3.1 document of the API, the docs operations included', async () => {
    const res = await fetch(`${v1}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as Record<string, any>;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    // Paths carry /api/v1: "Try it out" calls this very stack.
    expect(doc.servers).toEqual([{ url: stack.apiBase }]);
    expect(doc.paths['/api/v1/openapi.json'].get.operationId).toBe('getOpenapiJson');
    expect(doc.paths['/api/v1/docs'].get.operationId).toBe('getDocs');
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
  });

  it('answers 304 to a client that has the current copy, and the headers alone to HEAD', async () => {
    const first = await fetch(`${v1}/openapi.json`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const again = await fetch(`${v1}/openapi.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect((await fetch(`${v1}/openapi.json`, { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
    const head = await fetch(`${v1}/openapi.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(etag);
    expect(await head.text()).toBe('');
  });
});

describe('GET /api/v1/docs', () => {
  it('answers a page whose scripts and stylesheet the API itself serves, with their content types', async () => {
    const res = await fetch(`${v1}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await res.text();
    expect((await fetch(`${v1}/docs`, { headers: { 'if-none-match': res.headers.get('etag')! } })).status).toBe(304);
    expect(html).not.toMatch(/<script>|<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/https?:\/\//);

    const files = referencedFiles(html, res.url);
    expect(files.map((f) => new URL(f).pathname).sort()).toEqual([
      '/api/v1/docs/swagger-initializer.js',
      '/api/v1/docs/swagger-ui-bundle.js',
      '/api/v1/docs/swagger-ui-standalone-preset.js',
      '/api/v1/docs/swagger-ui.css',
    ]);
    for (const file of files) {
      expect(new URL(file).origin, file).toBe(stack.apiBase);
      const asset = await fetch(file);
      expect(asset.status, file).toBe(200);
      expect(asset.headers.get('content-type'), file).toBe(file.includes('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(asset.headers.get('cache-control'), file).toContain('max-age=31536000');
      expect((await asset.text()).length, file).toBeGreaterThan(100);
    }
  });

  it("points Swagger UI at the document beside the page, and at the admin API's, which it serves without a token", async () => {
    const initializer = `${v1}/docs/swagger-initializer.js`;
    const script = await (await fetch(initializer)).text();
    const documents = [...script.matchAll(/new URL\('([^']+)', document\.currentScript\.src\)/g)].map((m) => new URL(m[1]!, initializer).href);
    expect(documents).toEqual([`${v1}/openapi.json`, `${stack.apiBase}/admin/v1/openapi.json`]);
    expect(script).toContain('validatorUrl: null');

    const admin = await fetch(`${stack.apiBase}/admin/v1/openapi.json`);
    expect(admin.status).toBe(200);
    const document = (await admin.json()) as { info: { title: string }; paths: Record<string, Record<string, { security: unknown[] }>> };
    expect(document.info.title).toBe('Codex admin API');
    expect(document.paths['/admin/v1/me']?.get?.security).toEqual([{ cognitoIdToken: [] }]);
  });

  it('answers the same page behind a trailing slash, and HEAD on the page and its files', async () => {
    const slash = await fetch(`${v1}/docs/`);
    expect(slash.status).toBe(200);
    expect(referencedFiles(await slash.text(), slash.url).map((f) => new URL(f).pathname)).toContain('/api/v1/docs/swagger-ui-bundle.js');
    for (const url of [`${v1}/docs`, `${v1}/docs/swagger-ui-bundle.js`, `${v1}/docs/swagger-ui.css`]) {
      const head = await fetch(url, { method: 'HEAD' });
      expect(head.status, url).toBe(200);
      expect(head.headers.get('content-type'), url).toMatch(/^text\//);
      expect(await head.text(), url).toBe('');
    }
  });

  it('answers 404 in the API error shape for a file the page does not have', async () => {
    const res = await fetch(`${v1}/docs/index.html`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({ code: 'not_found' });
  });
});

// REST v1 implementations: docs. The OpenAPI document (built once per container and server URL, answered with an
// ETag) and the Swagger UI page, whose files come from our own API so the page runs under a strict CSP, offline too.
import { createHash } from 'node:crypto';
import { docsAssetOperation, docsPageOperation, openApiDocumentOperation } from '../contract/docs.js';
import { V1_OPERATIONS } from '../contract/index.js';
import { docsAssets, isSwaggerUiFile, SWAGGER_UI_FILES } from '../docs-assets.js';
import { notFound, type Reply, type RouteImpl, route } from '../http.js';
import { ADMIN_API, openApiDocument } from '../openapi.js';
import { adminOpenApiDocumentOperation } from '../../admin/contract/docs.js';
import { ADMIN_OPERATIONS } from '../../admin/contract/index.js';

const INITIALIZER = 'swagger-initializer.js';

// The page's own script (no inline script under the CSP): the document is found relative to this file's URL,
// /api/v1/docs/swagger-initializer.js → /api/v1/openapi.json, whatever the stage prefix or a trailing slash.
// Two documents, chosen at the top of the page: the customers' API and the admin API (/admin/v1/openapi.json).
const INITIALIZER_JS = `window.ui = SwaggerUIBundle({
  urls: [
    { url: new URL('../openapi.json', document.currentScript.src).href, name: 'Codex REST API v1' },
    { url: new URL('../../../admin/v1/openapi.json', document.currentScript.src).href, name: 'Codex admin API' },
  ],
  'urls.primaryName': 'Codex REST API v1',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
  validatorUrl: null,
});
`;

const CSP = (apiOrigin: string) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    // Swagger UI (React) sets style attributes; no script can come of them.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

const YEAR = 'public, max-age=31536000, immutable';

interface Entity {
  text: string;
  etag: string;
}

const entity = (text: string): Entity => ({ text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"` });

/** Whether `If-None-Match` names this entity (or any). */
function fresh(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

function answer(item: Entity, contentType: string, cacheControl: string, ifNoneMatch: string | undefined, extra: Record<string, string> = {}): Reply {
  const headers = { etag: item.etag, 'cache-control': cacheControl, ...extra };
  if (fresh(ifNoneMatch, item.etag)) return { status: 304, text: '', headers };
  return { status: 200, text: item.text, headers: { 'content-type': contentType, ...headers } };
}

// A few server URLs at most (PUBLIC_API_URL, or the execute-api host): the bound only guards against forged Hosts.
const documents = new Map<string, Entity>();
const MAX_DOCUMENTS = 8;

function documentFor(apiBase: string, api: 'v1' | 'admin'): Entity {
  const key = `${api} ${apiBase}`;
  let found = documents.get(key);
  if (!found) {
    const document = api === 'v1' ? openApiDocument(V1_OPERATIONS, apiBase) : openApiDocument(ADMIN_OPERATIONS, apiBase, ADMIN_API);
    found = entity(JSON.stringify(document));
    if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value!);
    documents.set(key, found);
  }
  return found;
}

const initializer = entity(INITIALIZER_JS);
let swaggerUi: Promise<Map<string, Entity>> | undefined;

/** The Swagger UI files with their ETags, read once per container. */
function swaggerUiFiles(): Promise<Map<string, Entity>> {
  swaggerUi ??= Promise.all(
    Object.keys(SWAGGER_UI_FILES).map(async (name) => [name, entity(await docsAssets().read(name as keyof typeof SWAGGER_UI_FILES))] as const),
  ).then(
    (files) => new Map(files),
    (error: unknown) => {
      swaggerUi = undefined;
      throw error;
    },
  );
  return swaggerUi;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(apiBase: string, files: Map<string, Entity>): string {
  // Absolute paths: relative ones would break on /api/v1/docs/ (a trailing slash reaches the same route).
  const v1 = `${new URL(apiBase).pathname.replace(/\/+$/, '')}/api/v1`;
  const base = `${v1}/docs`;
  const href = (name: string, item: Entity) => escapeHtml(`${base}/${name}?v=${item.etag.slice(1, 13)}`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Codex REST API v1</title>
<link rel="stylesheet" href="${href('swagger-ui.css', files.get('swagger-ui.css')!)}">
</head>
<body>
<div id="swagger-ui"><noscript>This page needs JavaScript. The API is described in <a href="${escapeHtml(`${v1}/openapi.json`)}">openapi.json</a>.</noscript></div>
<script src="${href('swagger-ui-bundle.js', files.get('swagger-ui-bundle.js')!)}"></script>
<script src="${href('swagger-ui-standalone-preset.js', files.get('swagger-ui-standalone-preset.js')!)}"></script>
<script src="${href(INITIALIZER, initializer)}"></script>
</body>
</html>
`;
}

export const docsRoutes: readonly RouteImpl[] = [
  route(openApiDocumentOperation, async (req) =>
    answer(documentFor(req.apiBase, 'v1'), 'application/json; charset=utf-8', 'no-cache', req.allHeaders['if-none-match']),
  ),

  route(adminOpenApiDocumentOperation, async (req) =>
    answer(documentFor(req.apiBase, 'admin'), 'application/json; charset=utf-8', 'no-cache', req.allHeaders['if-none-match']),
  ),

  route(docsPageOperation, async (req) => {
    const html = entity(page(req.apiBase, await swaggerUiFiles()));
    return answer(html, 'text/html; charset=utf-8', 'no-cache', req.allHeaders['if-none-match'], {
      'content-security-policy': CSP(new URL(req.apiBase).origin),
    });
  }),

  route(docsAssetOperation, async (req) => {
    const name = req.params.asset;
    if (name === INITIALIZER) return answer(initializer, 'text/javascript; charset=utf-8', YEAR, req.allHeaders['if-none-match']);
    if (!isSwaggerUiFile(name)) throw notFound('Docs file');
    const item = (await swaggerUiFiles()).get(name)!;
    return answer(item, SWAGGER_UI_FILES[name], YEAR, req.allHeaders['if-none-match']);
  }),
];

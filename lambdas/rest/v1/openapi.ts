// The OpenAPI 3.1 document of REST v1, generated from the operations' own zod schemas (those that validate requests),
// so the document cannot drift from what the API accepts. Pure: operations and the server's URL in, document out.
// zod-openapi is imported here only, and this module only by the docs function.
import {
  createDocument,
  type oas31,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';
import { ADMIN_PERMISSIONS } from '../../admin/domain/permissions.js';
import { ErrorBody } from './contract/common.js';
import type { Operation } from './operation.js';

export const OPENAPI_VERSION = '3.1.1';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Callers of customerJwt operations: a customer's session or a key made in the cabinet (the reseller's too). */
const CUSTOMER_SECURITY: oas31.SecurityRequirementObject[] = [{ bearerAuth: [] }, { apiKey: [] }];

const SECURITY_SCHEMES: Record<string, oas31.SecuritySchemeObject> = {
  bearerAuth: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An access token from `POST /api/v1/auth/login`, valid 15 minutes; get a new one with `POST /api/v1/auth/refresh`.',
  },
  cognitoIdToken: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      "The ID token of a member of the admin user pool's `admin` or `operator` group (Cognito, TOTP MFA required). " +
      'Locally, `npm run admin:token` prints one.',
  },
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Api-Key',
    description:
      'An API key made in the cabinet (`POST /api/v1/api-keys`); the same key works on the reseller API `/api/v2`. ' +
      'It may also be sent as `Authorization: ApiKey <key>`.',
  },
};

/** What each error status means wherever the plumbing or a use case answers it. */
const ERROR_MEANINGS: Record<number, string> = {
  400: 'The input is not valid; `error.field` names the field at fault',
  401: 'Not signed in: no credentials, or an access token or key that is not valid (or has expired)',
  402: 'Not enough balance',
  403: 'Signed in but not allowed (a suspended key, an address outside the key allow-list, a blocked account, an unverified email)',
  404: 'Not found (also what anything belonging to someone else answers)',
  409: 'In conflict with the current state',
  410: 'No longer available',
  413: 'The body is too large',
  415: 'The body is not in the media type the operation reads',
  422: 'Understood but refused',
  423: 'Locked for now',
  429: 'Too many requests; try again later',
  503: 'Not available right now',
};

/** What a document is about: the customers' REST API v1 or the admin API. */
export interface ApiDescription {
  title: string;
  description: string;
}

export const V1_API: ApiDescription = {
  title: 'Codex REST API v1',
  description: [
    'The API of the Codex website and customer cabinet.',
    '',
    '- JSON in and out; errors answer `{"error": {"code", "message", "field"?}}` with a 4xx status.',
    '- Money is a decimal string in the account currency (`"12.50"`), never a number.',
    '- Any operation may answer `503 busy` with `Retry-After` when the database stays busy through its retries: send it again then.',
    '- Lists answer `{"items": [...], "nextCursor"}`: pass `nextCursor` as `cursor` for the next page; it is `null` on the last.',
    '- Cabinet operations take a customer access token (`Authorization: Bearer <token>`) or an API key (`X-Api-Key: <key>` or `Authorization: ApiKey <key>`).',
  ].join('\n'),
};

export const ADMIN_API: ApiDescription = {
  title: 'Codex admin API',
  description: [
    'The API of the people who run Codex: orders, users and balances, catalog and providers, finance, settings, audit.',
    '',
    '- Every operation but this document takes the ID token of a member of the admin user pool (`Authorization: Bearer <token>`); API Gateway checks it.',
    '- Each operation names the roles that may call it: `operator` (support) views orders and users and acts on orders; only `admin` moves money, changes prices, providers, settings and roles. Another role gets `403 forbidden`.',
    '- JSON in and out; errors answer `{"error": {"code", "message", "field"?}}` with a 4xx status. Money is a decimal string, never a number.',
    '- Every action is written to the audit log (`GET /admin/v1/audit`): who, from where, when, before and after.',
  ].join('\n'),
};

/** `GET /api/v1/orders/{id}/cancel` → `getOrdersByIdCancel`: the same operation always gets the same id. */
export function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/(?:api|admin)\/v1(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      return param ? ['by', ...param[1]!.split(/[^A-Za-z0-9]+/)] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

function securityOf(op: Operation): oas31.SecurityRequirementObject[] {
  if (op.auth === 'customerJwt') return CUSTOMER_SECURITY;
  if (op.auth === 'adminCognito') return [{ cognitoIdToken: [] }];
  if (op.auth === 'none') return [];
  throw new Error(`${op.method} ${op.path}: REST v1 documents no security scheme for auth kind ${op.auth}`);
}

function responsesOf(op: Operation): ZodOpenApiResponsesObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const type = spec.contentType ?? JSON_TYPE;
    const schema = spec.body ?? (spec.contentType ? { type: 'string' as const } : undefined);
    responses[status] = { description: spec.description, ...(schema ? { content: { [type]: { schema } } } : {}) };
  }
  const reads = Boolean(op.body || op.query || op.params || op.headers);
  const errors = new Set([
    ...(reads ? [400] : []),
    ...(op.body ? [413, 415] : []),
    ...(op.auth === 'customerJwt' || op.auth === 'adminCognito' ? [401, 403] : []),
    ...(op.errors ?? []),
  ]);
  for (const status of [...errors].sort((a, b) => a - b)) {
    if (responses[status]) continue;
    responses[status] = { description: ERROR_MEANINGS[status] ?? 'Refused', content: { [JSON_TYPE]: { schema: ErrorBody } } };
  }
  return responses as ZodOpenApiResponsesObject;
}

function describe(op: Operation): string | undefined {
  const roles = op.auth === 'adminCognito' ? (ADMIN_PERMISSIONS[`${op.method} ${op.path}`] ?? []) : undefined;
  const parts = [
    op.description,
    op.unverifiedAllowed === false ? 'Needs a verified email address (`403 email_not_verified` otherwise).' : undefined,
    roles ? `Roles: ${roles.length > 0 ? roles.map((role) => `\`${role}\``).join(', ') : 'none (no role may call it yet)'}.` : undefined,
  ];
  const text = parts.filter(Boolean).join('\n\n');
  return text || undefined;
}

function operationObject(op: Operation): ZodOpenApiOperationObject {
  const requestParams = {
    ...(op.params ? { path: op.params } : {}),
    ...(op.query ? { query: op.query } : {}),
    ...(op.headers ? { header: op.headers } : {}),
  };
  const description = describe(op);
  return {
    operationId: operationId(op.method, op.path),
    tags: [op.tag],
    summary: op.summary,
    ...(description ? { description } : {}),
    security: securityOf(op),
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(op.body ? { requestBody: { required: true, content: { [op.bodyFormat === 'form' ? FORM : JSON_TYPE]: { schema: op.body } } } } : {}),
    responses: responsesOf(op),
  };
}

/** Only the schemes the document's operations name (the customers' document says nothing of Cognito). */
function schemesUsedBy(operations: readonly Operation[]): Record<string, oas31.SecuritySchemeObject> {
  const used = new Set(operations.flatMap((op) => securityOf(op).flatMap((requirement) => Object.keys(requirement))));
  return Object.fromEntries(Object.entries(SECURITY_SCHEMES).filter(([name]) => used.has(name)));
}

/** The document for `operations`, served from `serverUrl` (where the API is reached; paths carry `/api/v1`). */
export function openApiDocument(operations: readonly Operation[], serverUrl: string, api: ApiDescription = V1_API): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  const ids = new Set<string>();
  for (const op of operations) {
    const id = operationId(op.method, op.path);
    if (ids.has(id)) throw new Error(`Two operations are ${id} (${op.method} ${op.path})`);
    ids.add(id);
    const item = (paths[op.path] ??= {});
    item[op.method.toLowerCase() as Lowercase<Operation['method']>] = operationObject(op);
  }
  const tags = [...new Set(operations.map((op) => op.tag))].map((name) => ({ name }));
  return createDocument({
    openapi: OPENAPI_VERSION,
    info: { title: api.title, version: '1.0.0', description: api.description },
    servers: [{ url: serverUrl }],
    tags,
    paths,
    components: { securitySchemes: schemesUsedBy(operations) },
  });
}

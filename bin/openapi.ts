// `npm run openapi -- [--admin] [server URL] > openapi.json`: the REST v1 OpenAPI document (or, with --admin, the
// admin API's) without a running stack, as GET /api/v1/openapi.json (/admin/v1/openapi.json) answers it: for client
// generators, reviews, diffs between commits.
import { ADMIN_OPERATIONS } from '../lambdas/rest/admin/contract/index.js';
import { V1_OPERATIONS } from '../lambdas/rest/v1/contract/index.js';
import { ADMIN_API, openApiDocument } from '../lambdas/rest/v1/openapi.js';

const args = process.argv.slice(2);
const admin = args.includes('--admin');
const server = args.find((arg) => arg !== '--admin') ?? 'http://127.0.0.1:3000';
if (!URL.canParse(server)) {
  console.error(`Not a URL: ${server}`);
  process.exit(2);
}
const document = admin ? openApiDocument(ADMIN_OPERATIONS, server.replace(/\/+$/, ''), ADMIN_API) : openApiDocument(V1_OPERATIONS, server.replace(/\/+$/, ''));
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);

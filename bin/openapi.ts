// `npm run openapi -- [server URL] > openapi.json`: the REST v1 OpenAPI document without a running stack, as
// GET /api/v1/openapi.json answers it (for client generators, reviews, diffs between commits).
import { V1_OPERATIONS } from '../lambdas/rest/v1/contract/index.js';
import { openApiDocument } from '../lambdas/rest/v1/openapi.js';

const server = process.argv[2] ?? 'http://127.0.0.1:3000';
if (!URL.canParse(server)) {
  console.error(`Not a URL: ${server}`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(openApiDocument(V1_OPERATIONS, server.replace(/\/+$/, '')), null, 2)}\n`);

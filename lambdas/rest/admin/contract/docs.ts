// Admin API: its own OpenAPI document (the admin panel's client is generated from it). Public like the customers'
// document: it describes routes, and every route but this one needs a token of the admin user pool.
import * as z from 'zod/mini';
import { type Operation, operation } from '../../v1/operation.js';

export const adminOpenApiDocumentOperation = operation({
  method: 'GET',
  path: '/admin/v1/openapi.json',
  auth: 'none',
  tag: 'Docs',
  summary: 'The admin API as an OpenAPI 3.1 document',
  description:
    'Generated from the schemas that validate requests; each operation names the roles that may call it. Also shown on the docs page (/api/v1/docs, "Codex admin API"). Answered with an ETag.',
  responses: {
    200: {
      description: 'The OpenAPI document',
      body: z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) }),
    },
    304: { description: 'Unchanged since the copy whose ETag was sent' },
  },
});

export const adminDocsOperations: readonly Operation[] = [adminOpenApiDocumentOperation];

// REST v1 operations: docs. The OpenAPI document of this API and the interactive page that reads it.
import * as z from 'zod/mini';
import { type Operation, operation } from '../operation.js';

export const openApiDocumentOperation = operation({
  method: 'GET',
  path: '/api/v1/openapi.json',
  auth: 'none',
  tag: 'Docs',
  summary: 'This API as an OpenAPI 3.1 document',
  description: 'Generated from the same schemas that validate requests. Answered with an ETag: send it back in If-None-Match to get 304 while it is current.',
  responses: {
    200: {
      description: 'The OpenAPI document',
      body: z.looseObject({
        openapi: z.string().register(z.globalRegistry, { example: '3.1.1' }),
        info: z.looseObject({ title: z.string(), version: z.string() }),
        paths: z.record(z.string(), z.unknown()),
      }),
    },
    304: { description: 'Unchanged since the copy whose ETag was sent' },
  },
});

export const docsPageOperation = operation({
  method: 'GET',
  path: '/api/v1/docs',
  auth: 'none',
  tag: 'Docs',
  summary: 'Interactive documentation (Swagger UI)',
  description: 'A page that reads /api/v1/openapi.json and lets you try each operation. It loads its scripts from this API only.',
  responses: {
    200: { description: 'The page', contentType: 'text/html' },
    304: { description: 'Unchanged since the copy whose ETag was sent' },
  },
});

/** The page's scripts and stylesheet: served for the page, not part of the documented API. */
export const docsAssetOperation = operation({
  method: 'GET',
  path: '/api/v1/docs/{asset}',
  auth: 'none',
  tag: 'Docs',
  summary: 'A file of the documentation page',
  params: z.object({ asset: z.string().check(z.maxLength(64)) }),
  responses: {
    200: { description: 'The file', contentType: 'application/octet-stream' },
    304: { description: 'Unchanged since the copy whose ETag was sent' },
  },
  errors: [404],
});

export const docsOperations: readonly Operation[] = [openApiDocumentOperation, docsPageOperation];

// REST v1 operations: what the public pages show, without signing in.
import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { money } from './common.js';

export const PublicService = z
  .object({
    id: z.int(),
    name: z.string(),
    category: z.string(),
    type: z.string().register(z.globalRegistry, { example: 'Default' }),
    rate: money('Price per 1,000 units (for package types, per package)'),
    min: z.int(),
    max: z.int(),
    description: z.optional(z.string()),
    refill: z.boolean(),
    cancel: z.boolean(),
    dripFeed: z.boolean(),
  })
  .register(z.globalRegistry, { id: 'Service' });

const CACHE = 'Answers carry an ETag and Cache-Control: public, max-age=60; If-None-Match with the same ETag answers 304.';

export const listServices = {
  method: 'GET',
  path: '/api/v1/services',
  auth: 'none',
  tag: 'Public',
  summary: 'The services on sale',
  description: CACHE,
  headers: z.object({ 'if-none-match': z.optional(z.string().check(z.maxLength(1000))) }),
  responses: {
    200: { description: 'Every enabled service, by id', body: z.object({ items: z.array(PublicService), nextCursor: z.null() }) },
    304: { description: 'Unchanged since the ETag given' },
  },
} as const satisfies Operation;

export const Site = z
  .object({
    support: z.object({ email: z.optional(z.string()), telegram: z.optional(z.string()), hours: z.optional(z.string()) }),
    faq: z.array(z.object({ question: z.string(), answer: z.string() })),
  })
  .register(z.globalRegistry, { id: 'Site' });

export const getSite = {
  method: 'GET',
  path: '/api/v1/site',
  auth: 'none',
  tag: 'Public',
  summary: 'Support contacts and FAQ',
  description: CACHE,
  headers: z.object({ 'if-none-match': z.optional(z.string().check(z.maxLength(1000))) }),
  responses: { 200: { description: 'The site content', body: Site }, 304: { description: 'Unchanged since the ETag given' } },
} as const satisfies Operation;

export const publicOperations: readonly Operation[] = [listServices, getSite];

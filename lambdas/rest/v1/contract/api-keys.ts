// REST v1 operations: the caller's API keys (for /api/v2 and for this API with `X-Api-Key`).
import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { Timestamp } from './common.js';

export const ApiKey = z
  .object({
    id: z.string().register(z.globalRegistry, { example: 'kid_3f9a…' }),
    prefix: z.string().register(z.globalRegistry, { description: 'The first characters of the key, to recognise it' }),
    label: z.optional(z.string()),
    status: z.enum(['active', 'suspended', 'revoked']),
    allowedIps: z.array(z.string()).register(z.globalRegistry, { description: 'Addresses and CIDR ranges the key works from; empty: any' }),
    createdAt: Timestamp,
    updatedAt: z.optional(Timestamp),
    lastUsedAt: z.optional(Timestamp),
  })
  .register(z.globalRegistry, { id: 'ApiKey', description: 'Never the key itself: that is shown once, when it is created' });

const Label = z.string().check(z.maxLength(100));
const AllowedIps = z.array(z.string().check(z.maxLength(64))).check(z.maxLength(50));

export const listApiKeys = {
  method: 'GET',
  path: '/api/v1/api-keys',
  auth: 'customerJwt',
  tag: 'API keys',
  summary: "The caller's API keys",
  responses: { 200: { description: 'Every key, revoked ones too', body: z.object({ items: z.array(ApiKey), nextCursor: z.null() }) } },
} as const satisfies Operation;

export const createApiKey = {
  method: 'POST',
  path: '/api/v1/api-keys',
  auth: 'customerJwt',
  tag: 'API keys',
  summary: 'Create an API key',
  description:
    'The answer is the only time the key is shown: store it. It works on /api/v2 at once. Keys are managed from a ' +
    'signed-in session only (an API key gets 403 `session_required`); an account holds at most 20 keys not revoked ' +
    '(409 `api_key_limit`).',
  body: z.object({ label: z.optional(Label), allowedIps: z.optional(AllowedIps) }),
  responses: {
    201: { description: 'The new key, in full, and its details', body: z.extend(ApiKey, { key: z.string() }).register(z.globalRegistry, { id: 'NewApiKey' }) },
  },
  errors: [409],
  unverifiedAllowed: false,
} as const satisfies Operation;

const KeyParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(100)) });

export const updateApiKey = {
  method: 'PATCH',
  path: '/api/v1/api-keys/{id}',
  auth: 'customerJwt',
  tag: 'API keys',
  summary: "Change a key's label or IP allow-list",
  description: 'An empty label removes it; an empty allow-list lets every address in again. From a signed-in session only.',
  params: KeyParams,
  body: z
    .object({ label: z.optional(Label), allowedIps: z.optional(AllowedIps) })
    .check(z.refine((b) => b.label !== undefined || b.allowedIps !== undefined, { message: 'Send label, allowedIps or both' })),
  responses: { 200: { description: 'The key as it now is', body: ApiKey } },
  errors: [404],
} as const satisfies Operation;

export const revokeApiKey = {
  method: 'DELETE',
  path: '/api/v1/api-keys/{id}',
  auth: 'customerJwt',
  tag: 'API keys',
  summary: 'Revoke a key',
  description: 'At once on this container, within 60 s everywhere. Revoking a revoked key changes nothing. From a signed-in session only.',
  params: KeyParams,
  responses: { 204: { description: 'Revoked' } },
  errors: [404],
} as const satisfies Operation;

export const apiKeysOperations: readonly Operation[] = [listApiKeys, createApiKey, updateApiKey, revokeApiKey];

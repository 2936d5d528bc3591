// Admin API: registering and editing providers (their keys go to the secret store only), their balance, and
// importing their services. Function adminProviders: the only one that writes provider secrets.
import * as z from 'zod/mini';
import type { Operation } from '../../v1/operation.js';
import { money } from '../../v1/contract/common.js';
import { AdminProvider, AdminService, ProviderId } from './catalog.js';
import { MAX_STATUS_MAPPING_ENTRIES, MAX_STATUS_WORD_LENGTH, STATUS_TARGETS } from '../../../orders/domain/order-status.js';

const ApiUrl = z
  .string()
  .check(z.regex(/^https?:\/\/[^\s]+$/), z.maxLength(500))
  .register(z.globalRegistry, { example: 'https://panel.example/api/v2' });
const ApiKey = z.string().check(z.minLength(1), z.maxLength(500)).register(z.globalRegistry, { description: 'Stored in Secrets Manager; never answered' });
const CallbackSecret = z
  .string()
  .check(z.regex(/^whsec_[A-Za-z0-9+/=]{16,200}$/))
  .register(z.globalRegistry, {
    description: 'Standard Webhooks secret (whsec_ + base64) the provider signs its status callbacks with; never answered',
  });
const TimeoutMs = z.number().check(z.int(), z.minimum(1000), z.maximum(30_000));
export const StatusMappingBody = z
  .record(z.string().check(z.minLength(1), z.maxLength(MAX_STATUS_WORD_LENGTH)), z.enum(STATUS_TARGETS))
  .check(z.refine((mapping) => Object.keys(mapping).length <= MAX_STATUS_MAPPING_ENTRIES, `At most ${MAX_STATUS_MAPPING_ENTRIES} status words`))
  .register(z.globalRegistry, {
    description:
      "The provider's own status words (any case; spaces, _ and - do not count), read before the common spellings: a status, or " +
      '`ambiguous` (Canceled only once a later reading confirms it). `Error`, `Fail`, `Failed` are ambiguous unless mapped here. docs/providers.md',
    example: { Fail: 'Canceled', 'On hold': 'In progress', Refunding: 'ambiguous' },
  });

export const createAdminProvider = {
  method: 'POST',
  path: '/admin/v1/providers',
  auth: 'adminCognito',
  tag: 'Admin: providers',
  summary: 'Register a provider; its key (and callback secret) go to Secrets Manager',
  description: 'The id is the natural key: sending the same request again answers 409 `provider_exists`.',
  body: z.object({
    id: ProviderId,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    apiUrl: ApiUrl,
    apiKey: ApiKey,
    timeoutMs: z._default(TimeoutMs, 10_000),
    acceptsRequestId: z._default(z.boolean(), false),
    callbackSecret: z.optional(CallbackSecret),
    statusMapping: z.optional(StatusMappingBody),
  }),
  responses: { 201: { description: 'The provider', body: AdminProvider } },
  errors: [409],
} as const satisfies Operation;

const ProviderParams = z.object({ id: ProviderId });

export const updateAdminProvider = {
  method: 'PATCH',
  path: '/admin/v1/providers/{id}',
  auth: 'adminCognito',
  tag: 'Admin: providers',
  summary:
    'Change a provider; `apiKey` rotates its key, `callbackSecret` sets or (null) removes its callback secret, `statusMapping` replaces its status words (null or {} removes them)',
  description: 'Functions read provider secrets through a 5-minute cache: a rotated key is used everywhere within 5 minutes.',
  params: ProviderParams,
  body: z.object({
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    apiUrl: z.optional(ApiUrl),
    apiKey: z.optional(ApiKey),
    timeoutMs: z.optional(TimeoutMs),
    acceptsRequestId: z.optional(z.boolean()),
    callbackSecret: z.optional(z.nullable(CallbackSecret)),
    statusMapping: z.optional(z.nullable(StatusMappingBody)),
  }),
  responses: { 200: { description: 'The provider', body: AdminProvider } },
  errors: [404, 409],
} as const satisfies Operation;

export const adminProviderBalance = {
  method: 'GET',
  path: '/admin/v1/providers/{id}/balance',
  auth: 'adminCognito',
  tag: 'Admin: providers',
  summary: "The provider's answer to `balance`: what we have left to spend there, and how long it took to answer (ms)",
  params: ProviderParams,
  responses: { 200: { description: 'As the provider says it', body: z.object({ balance: z.string(), currency: z.string(), latencyMs: z.number() }) } },
  errors: [404, 409, 503],
} as const satisfies Operation;

const Markup = z.object({
  kind: z.enum(['percent', 'fixed']),
  value: money('Percent on top of the cost ("25" = 25 %), or an amount added to it'),
  rounding: z.optional(money('Prices are rounded up to a multiple of this ("0.01")')),
});

const Change = z.object({
  id: z.number(),
  name: z.string(),
  providerServiceId: z.string(),
  costBefore: z.optional(z.string()),
  costAfter: z.string(),
  rate: z.string(),
  rateAfter: z.string(),
  marginAfter: z.string(),
});

export const syncAdminProvider = {
  method: 'POST',
  path: '/admin/v1/providers/{id}/sync',
  auth: 'adminCognito',
  tag: 'Admin: providers',
  summary: "Import the provider's services with a markup; flag changed costs and disappeared services",
  description:
    'Adds the upstream services none of ours maps to (within `categories`, when given) at cost plus the markup; ' +
    'updates the cost of ours whose upstream rate changed (the price stays unless `reprice`); disables ours that ' +
    'are gone upstream. `dryRun: true` answers the same diff and writes nothing. Running it again finds nothing to do.',
  params: ProviderParams,
  body: z.object({
    dryRun: z._default(z.boolean(), false),
    markup: Markup,
    categories: z.optional(z.array(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))).check(z.maxLength(100))),
    reprice: z.optional(z.boolean()),
  }),
  responses: {
    200: {
      description: 'The diff (and, applied, the ids of the new services)',
      body: z.object({
        dryRun: z.boolean(),
        added: z.array(z.extend(z.partial(AdminService), { providerServiceId: z.string() })),
        changed: z.array(Change),
        disappeared: z.array(z.object({ id: z.number(), name: z.string(), providerServiceId: z.string() })),
        skipped: z.array(z.object({ providerServiceId: z.string(), name: z.string(), reason: z.string() })),
        conflicts: z.array(z.number()),
      }),
    },
  },
  errors: [404, 409, 503],
} as const satisfies Operation;

export const providersOperations: readonly Operation[] = [createAdminProvider, updateAdminProvider, adminProviderBalance, syncAdminProvider];

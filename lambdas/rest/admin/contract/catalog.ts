// Admin API: services (with their provider mapping, cost, margin and fallbacks), their price history, and the
// providers list with health figures and status changes. Function adminCatalog: no provider client, no secrets.
import * as z from 'zod/mini';
import { SERVICE_TYPES } from '../../../catalog/domain/service-types.js';
import { STATUS_TARGETS } from '../../../orders/domain/order-status.js';
import type { Operation } from '../../v1/operation.js';
import { money, Timestamp } from '../../v1/contract/common.js';

const Price = money('Decimal amount per 1,000 units (for Package types: per package), as a string');
export const ProviderId = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/))
  .register(z.globalRegistry, {
    description: 'Lower-case letters, digits, - and _; at most 40',
    example: 'acme',
  });
const ProviderServiceId = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
const whole = (min: number, max: number) => z.number().check(z.int(), z.minimum(min), z.maximum(max));

const Fallback = z.object({ providerId: ProviderId, providerServiceId: ProviderServiceId, cost: z.optional(Price) });

const serviceFields = {
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  category: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  type: z.enum(SERVICE_TYPES),
  rate: Price,
  min: whole(1, 1_000_000_000),
  max: whole(1, 1_000_000_000),
  description: z.string().check(z.maxLength(2000)),
  refill: z.boolean(),
  cancel: z.boolean(),
  dripfeed: z.boolean(),
  exclusiveLink: z.boolean(),
  refillDays: whole(1, 3650),
  expectedMinutes: whole(1, 525_600),
  packageSize: whole(1, 1_000_000_000),
  providerId: ProviderId,
  providerServiceId: ProviderServiceId,
  cost: Price,
  fallbacks: z.array(Fallback).check(z.maxLength(5)),
  enabled: z.boolean(),
};

export const ServiceBody = z.object({
  name: serviceFields.name,
  category: serviceFields.category,
  type: serviceFields.type,
  rate: serviceFields.rate,
  min: serviceFields.min,
  max: serviceFields.max,
  description: z.optional(serviceFields.description),
  refill: z.optional(serviceFields.refill),
  cancel: z.optional(serviceFields.cancel),
  dripfeed: z.optional(serviceFields.dripfeed),
  exclusiveLink: z.optional(serviceFields.exclusiveLink),
  refillDays: z.optional(serviceFields.refillDays),
  expectedMinutes: z.optional(serviceFields.expectedMinutes),
  packageSize: z.optional(serviceFields.packageSize),
  providerId: serviceFields.providerId,
  providerServiceId: serviceFields.providerServiceId,
  cost: z.optional(serviceFields.cost),
  fallbacks: z.optional(serviceFields.fallbacks),
  enabled: z.optional(serviceFields.enabled),
});

/** Absent: unchanged; null removes an optional field. */
export const ServicePatchBody = z.object({
  name: z.optional(serviceFields.name),
  category: z.optional(serviceFields.category),
  type: z.optional(serviceFields.type),
  rate: z.optional(serviceFields.rate),
  min: z.optional(serviceFields.min),
  max: z.optional(serviceFields.max),
  description: z.optional(z.nullable(serviceFields.description)),
  refill: z.optional(serviceFields.refill),
  cancel: z.optional(serviceFields.cancel),
  dripfeed: z.optional(serviceFields.dripfeed),
  exclusiveLink: z.optional(serviceFields.exclusiveLink),
  refillDays: z.optional(z.nullable(serviceFields.refillDays)),
  expectedMinutes: z.optional(z.nullable(serviceFields.expectedMinutes)),
  packageSize: z.optional(z.nullable(serviceFields.packageSize)),
  providerId: z.optional(serviceFields.providerId),
  providerServiceId: z.optional(serviceFields.providerServiceId),
  cost: z.optional(z.nullable(serviceFields.cost)),
  fallbacks: z.optional(serviceFields.fallbacks),
});

export const AdminService = z
  .object({
    id: z.number(),
    name: z.string(),
    category: z.string(),
    type: z.enum(SERVICE_TYPES),
    description: z.optional(z.string()),
    rate: z.string(),
    cost: z.optional(z.string()),
    margin: z.optional(z.string().register(z.globalRegistry, { description: 'rate - cost (negative: sold at a loss)' })),
    min: z.number(),
    max: z.number(),
    refill: z.boolean(),
    cancel: z.boolean(),
    dripfeed: z.boolean(),
    exclusiveLink: z.boolean(),
    refillDays: z.optional(z.number()),
    expectedMinutes: z.optional(z.number()),
    packageSize: z.optional(z.number()),
    providerId: z.string(),
    providerServiceId: z.string(),
    fallbacks: z.array(z.object({ providerId: z.string(), providerServiceId: z.string(), cost: z.optional(z.string()) })),
    enabled: z.boolean(),
    updatedAt: z.optional(Timestamp),
  })
  .register(z.globalRegistry, { id: 'AdminService' });

export const ServiceParams = z.object({ id: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(999_999_999)) });
const ProviderParams = z.object({ id: ProviderId });

export const listAdminServices = {
  method: 'GET',
  path: '/admin/v1/services',
  auth: 'adminCognito',
  tag: 'Admin: catalog',
  summary: 'Every service, disabled ones too, with its provider mapping, cost, margin and fallbacks',
  responses: { 200: { description: 'The catalog, by id', body: z.object({ items: z.array(AdminService) }) } },
} as const satisfies Operation;

export const createAdminService = {
  method: 'POST',
  path: '/admin/v1/services',
  auth: 'adminCognito',
  tag: 'Admin: catalog',
  summary: 'Create a service (the id is given by the catalog)',
  description:
    'Send an `Idempotency-Key` header to make a retry safe: the same key answers the service it created. Orders see ' +
    'the service within 30 s (the order path caches the catalog per container).',
  headers: z.object({ 'idempotency-key': z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(128))) }),
  body: ServiceBody,
  responses: { 201: { description: 'The new service', body: AdminService }, 200: { description: 'The service this key created before', body: AdminService } },
  errors: [409],
} as const satisfies Operation;

export const updateAdminService = {
  method: 'PATCH',
  path: '/admin/v1/services/{id}',
  auth: 'adminCognito',
  tag: 'Admin: catalog',
  summary: 'Change a service; a change of rate or cost goes into its price history',
  params: ServiceParams,
  body: ServicePatchBody,
  responses: { 200: { description: 'The service as it now is', body: AdminService } },
  errors: [404, 409],
} as const satisfies Operation;

export const enableAdminService = {
  method: 'POST',
  path: '/admin/v1/services/{id}/enable',
  auth: 'adminCognito',
  tag: 'Admin: catalog',
  summary: 'Let customers order the service again',
  params: ServiceParams,
  responses: { 200: { description: 'The service', body: AdminService } },
  errors: [404, 409],
} as const satisfies Operation;

export const disableAdminService = {
  method: 'POST',
  path: '/admin/v1/services/{id}/disable',
  auth: 'adminCognito',
  tag: 'Admin: catalog',
  summary: 'Stop new orders of the service (open ones go on)',
  params: ServiceParams,
  responses: { 200: { description: 'The service', body: AdminService } },
  errors: [404, 409],
} as const satisfies Operation;

const PricePoint = z.object({ rate: z.string(), cost: z.optional(z.string()) });

export const adminServicePriceHistory = {
  method: 'GET',
  path: '/admin/v1/services/{id}/price-history',
  auth: 'adminCognito',
  tag: 'Admin: catalog',
  summary: "Every change of the service's rate or cost, newest first",
  params: ServiceParams,
  responses: {
    200: {
      description: 'The changes',
      body: z.object({
        items: z.array(
          z.object({
            at: Timestamp,
            by: z.string(),
            byEmail: z.optional(z.string()),
            source: z.enum(['admin', 'sync']),
            before: z.optional(PricePoint),
            after: PricePoint,
          }),
        ),
      }),
    },
  },
  errors: [404],
} as const satisfies Operation;

export const AdminProvider = z
  .object({
    id: z.string(),
    name: z.string(),
    apiUrl: z.string(),
    timeoutMs: z.number(),
    acceptsRequestId: z.boolean(),
    status: z.enum(['enabled', 'disabled', 'maintenance']),
    callbacks: z.boolean().register(z.globalRegistry, { description: 'A callback secret is set: the provider may push statuses' }),
    statusMapping: z.optional(
      z
        .record(z.string(), z.enum(STATUS_TARGETS))
        .register(z.globalRegistry, { description: "The provider's own status words, normalised (docs/providers.md)" }),
    ),
    updatedAt: z.optional(Timestamp),
  })
  .register(z.globalRegistry, { id: 'AdminProvider', description: 'Never the API key or the callback secret' });

const Health = z.object({
  calls: z.number(),
  failures: z.number(),
  errorRate: z.number(),
  failuresByKind: z.record(z.string(), z.number()),
  unhealthySince: z.optional(Timestamp),
  openOrders: z.number(),
});

export const listAdminProviders = {
  method: 'GET',
  path: '/admin/v1/providers',
  auth: 'adminCognito',
  tag: 'Admin: providers',
  summary: 'Every provider with its health: status calls and failures in the alert window, open orders',
  responses: { 200: { description: 'The providers', body: z.object({ items: z.array(z.extend(AdminProvider, { health: Health })) }) } },
} as const satisfies Operation;

const statusChange = (status: 'enable' | 'disable' | 'maintenance', summary: string) =>
  ({
    method: 'POST',
    path: `/admin/v1/providers/{id}/${status}`,
    auth: 'adminCognito',
    tag: 'Admin: providers',
    summary,
    params: ProviderParams,
    responses: { 200: { description: 'The provider', body: AdminProvider } },
    errors: [404, 409],
  }) as const satisfies Operation;

export const enableAdminProvider = statusChange('enable', 'Submit new orders to the provider again');
export const disableAdminProvider = statusChange('disable', 'No new submissions, no polling, no callbacks (fallbacks take new orders)');
export const maintainAdminProvider = statusChange('maintenance', 'No new submissions (fallbacks take them, or they wait); open orders are still polled');

export const catalogOperations: readonly Operation[] = [
  listAdminServices,
  createAdminService,
  updateAdminService,
  enableAdminService,
  disableAdminService,
  adminServicePriceHistory,
  listAdminProviders,
  enableAdminProvider,
  disableAdminProvider,
  maintainAdminProvider,
];

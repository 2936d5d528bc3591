// Admin API: the settings (rate-limit tiers, minimum deposit, daily spend limit, email templates, maintenance mode).
import * as z from 'zod/mini';
import type { Operation } from '../../v1/operation.js';

const Limits = z.object({
  requestsPerMinute: z.optional(z.int()),
  dailyOrderQuota: z.optional(z.int()),
});

const Template = z.object({
  subject: z.optional(z.string().check(z.maxLength(1000))),
  text: z.optional(z.string().check(z.maxLength(20_000))),
});

const Maintenance = z.object({ enabled: z.boolean(), message: z.string() });

const Values = z.object({
  tiers: z.record(z.string(), z.object({ requestsPerMinute: z.int(), dailyOrderQuota: z.int() })),
  minDeposit: z.string(),
  maxDailySpend: z.nullable(z.string()).register(z.globalRegistry, { description: 'null: no daily spend limit' }),
});

const SettingsBody = z.object({
  version: z.int().register(z.globalRegistry, { description: 'Send it back as `version` in PATCH to change only what you read' }),
  updatedAt: z.optional(z.string()),
  updatedBy: z.optional(z.string()),
  overrides: z.record(z.string(), z.unknown()).register(z.globalRegistry, { description: 'What the settings item overrides; absent fields are the defaults' }),
  effective: z.extend(Values, { templates: z.record(z.string(), Template), maintenance: Maintenance }),
  defaults: Values,
});

export const getSettings = {
  method: 'GET',
  path: '/admin/v1/settings',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'The settings in force, what overrides the defaults, and the defaults (the environment)',
  responses: { 200: { description: 'Settings', body: SettingsBody } },
} as const satisfies Operation;

export const patchSettings = {
  method: 'PATCH',
  path: '/admin/v1/settings',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'Change settings: a value overrides the default, null goes back to it',
  description:
    'Every field is optional. `maxDailySpend` "0" switches the limit off. Templates are eta restricted to `<%= it.<field> %>` and ' +
    '`<% if (it.<field>) { %>…<% } %>`, checked against a sample of their email. Containers pick a change up within 30 s.',
  body: z.object({
    version: z.optional(z.int()),
    reason: z.optional(z.string().check(z.maxLength(500))),
    tiers: z.optional(z.record(z.string(), z.nullable(Limits))),
    minDeposit: z.optional(z.nullable(z.string().check(z.maxLength(32)))),
    maxDailySpend: z.optional(z.nullable(z.string().check(z.maxLength(32)))),
    templates: z.optional(z.record(z.string(), z.nullable(Template))),
    maintenance: z.optional(z.nullable(z.object({ enabled: z.boolean(), message: z.optional(z.string().check(z.maxLength(1000))) }))),
  }),
  responses: { 200: { description: 'The settings after the change', body: SettingsBody } },
  errors: [409],
} as const satisfies Operation;

export const previewTemplate = {
  method: 'POST',
  path: '/admin/v1/settings/templates/preview',
  auth: 'adminCognito',
  tag: 'Admin',
  summary: 'Render an email template against a sample of its email (the check PATCH /settings makes)',
  body: z.object({
    type: z.string().check(z.maxLength(64)),
    subject: z.optional(z.string().check(z.maxLength(1000))),
    text: z.optional(z.string().check(z.maxLength(20_000))),
  }),
  responses: { 200: { description: 'The rendered sample', body: z.object({ subject: z.string(), text: z.string(), html: z.string() }) } },
} as const satisfies Operation;

export const settingsOperations: readonly Operation[] = [getSettings, patchSettings, previewTemplate];

// Runtime settings an admin changes without a deploy (issue 11): rate-limit tiers, the minimum deposit, the daily
// spend limit, notification email overrides and maintenance mode. The environment's values stay the defaults; the one
// settings item holds only what overrides them. Pure: the defaults come in as values.
import { type ApiKeyLimits, validateLimits } from '../../access/domain/api-keys.js';
import { isTierName, TIER_NAMES, type Tier, type TierName } from '../../access/domain/tiers.js';
import { DomainError } from '../../shared/errors.js';
import { type Micros, parseMoney } from '../../shared/money.js';

/** The notification emails an admin may reword (the owner notices: lambdas/events/event-types.ts). */
export interface TemplateOverride {
  /** An eta template of one line (restricted: see templates/template-overrides.ts). */
  subject?: string;
  /** The plain-text body; the HTML part is made from it when set. */
  text?: string;
}

export interface Maintenance {
  enabled: boolean;
  message: string;
}

/** What the settings item holds: only overrides; an absent field is the environment's default. */
export interface SettingsOverrides {
  tiers?: Partial<Record<TierName, Partial<ApiKeyLimits>>>;
  /** Decimal amount in CURRENCY, at most 2 decimals. */
  minDeposit?: string;
  /** Decimal amount in CURRENCY; "0" switches the limit off even when the environment sets one. */
  maxDailySpend?: string;
  templates?: Record<string, TemplateOverride>;
  maintenance?: Maintenance;
}

export interface StoredSettings {
  overrides: SettingsOverrides;
  /** 0 before the first change; each change writes version + 1 on the condition that it is still `version`. */
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}

export const NO_SETTINGS: StoredSettings = { overrides: {}, version: 0 };

export interface SettingsDefaults {
  tiers: Readonly<Record<TierName, Tier>>;
  minDeposit: Micros;
  maxDeposit: Micros;
  maxDailySpend?: Micros;
}

/** The values in force: overrides over defaults. */
export interface EffectiveSettings {
  tiers: Record<TierName, ApiKeyLimits>;
  minDeposit: Micros;
  /** Undefined: no daily spend limit. */
  maxDailySpend?: Micros;
  templates: Record<string, TemplateOverride>;
  maintenance: Maintenance;
}

export const DEFAULT_MAINTENANCE_MESSAGE = 'Codex is down for maintenance; please try again in a few minutes';
export const MAX_MAINTENANCE_MESSAGE = 300;
export const MAX_SUBJECT_LENGTH = 200;
export const MAX_TEXT_LENGTH = 10_000;

export function effectiveSettings(stored: StoredSettings, defaults: SettingsDefaults): EffectiveSettings {
  const o = stored.overrides;
  const tiers = {} as Record<TierName, ApiKeyLimits>;
  for (const name of TIER_NAMES) {
    const base = defaults.tiers[name];
    tiers[name] = {
      requestsPerMinute: o.tiers?.[name]?.requestsPerMinute ?? base.requestsPerMinute,
      dailyOrderQuota: o.tiers?.[name]?.dailyOrderQuota ?? base.dailyOrderQuota,
    };
  }
  const spend = o.maxDailySpend === undefined ? defaults.maxDailySpend : parseMoney(o.maxDailySpend);
  return {
    tiers,
    minDeposit: o.minDeposit === undefined ? defaults.minDeposit : parseMoney(o.minDeposit),
    ...(spend !== undefined && spend > 0 ? { maxDailySpend: spend } : {}),
    templates: o.templates ?? {},
    maintenance: o.maintenance ?? { enabled: false, message: DEFAULT_MAINTENANCE_MESSAGE },
  };
}

/** A change: a value sets an override, null removes it (back to the default). */
export interface SettingsPatch {
  tiers?: Partial<Record<string, Partial<ApiKeyLimits> | null>>;
  minDeposit?: string | null;
  maxDailySpend?: string | null;
  templates?: Partial<Record<string, TemplateOverride | null>>;
  maintenance?: { enabled: boolean; message?: string } | null;
}

/**
 * The overrides after the patch, checked field by field (each refusal names its field). `templateTypes` are the
 * event types that have emails; `checkTemplate` throws a DomainError naming the field when a template does not render.
 */
export function applyPatch(
  current: SettingsOverrides,
  patch: SettingsPatch,
  context: { defaults: SettingsDefaults; templateTypes: readonly string[]; checkTemplate: (type: string, template: TemplateOverride) => void },
): SettingsOverrides {
  const next: SettingsOverrides = structuredClone(current);
  if (patch.tiers) {
    const tiers: Partial<Record<TierName, Partial<ApiKeyLimits>>> = { ...next.tiers };
    for (const [name, limits] of Object.entries(patch.tiers)) {
      if (!isTierName(name)) throw new DomainError('invalid_request', `tiers.${name}: no such tier (${TIER_NAMES.join(', ')})`, `tiers.${name}`);
      if (limits === null || limits === undefined) {
        delete tiers[name];
        continue;
      }
      let checked: Partial<ApiKeyLimits>;
      try {
        checked = validateLimits(limits);
      } catch (error) {
        throw new DomainError('invalid_request', `tiers.${name}: ${(error as Error).message}`, `tiers.${name}`);
      }
      const merged = { ...tiers[name], ...checked };
      if (Object.keys(merged).length > 0) tiers[name] = merged;
    }
    setOrDelete(next, 'tiers', Object.keys(tiers).length > 0 ? tiers : undefined);
  }
  if (patch.minDeposit !== undefined) {
    if (patch.minDeposit !== null) {
      const amount = amountOf(patch.minDeposit, 'minDeposit', 2);
      if (amount <= 0) throw new DomainError('invalid_request', 'minDeposit: must be more than 0', 'minDeposit');
      if (amount > context.defaults.maxDeposit) throw new DomainError('invalid_request', 'minDeposit: must not exceed the maximum deposit', 'minDeposit');
    }
    setOrDelete(next, 'minDeposit', patch.minDeposit ?? undefined);
  }
  if (patch.maxDailySpend !== undefined) {
    if (patch.maxDailySpend !== null) amountOf(patch.maxDailySpend, 'maxDailySpend', 6);
    setOrDelete(next, 'maxDailySpend', patch.maxDailySpend ?? undefined);
  }
  if (patch.templates) {
    const templates = { ...next.templates };
    for (const [type, template] of Object.entries(patch.templates)) {
      const field = `templates.${type}`;
      if (!context.templateTypes.includes(type)) throw new DomainError('invalid_request', `${field}: no email for this event type`, field);
      if (template === null || template === undefined) {
        delete templates[type];
        continue;
      }
      const kept: TemplateOverride = {
        ...(template.subject !== undefined ? { subject: template.subject } : {}),
        ...(template.text !== undefined ? { text: template.text } : {}),
      };
      if (kept.subject !== undefined && (kept.subject.trim() === '' || kept.subject.length > MAX_SUBJECT_LENGTH || /[\r\n]/.test(kept.subject)))
        throw new DomainError('invalid_request', `${field}.subject: one line of 1 to ${MAX_SUBJECT_LENGTH} characters`, `${field}.subject`);
      if (kept.text !== undefined && (kept.text.trim() === '' || kept.text.length > MAX_TEXT_LENGTH))
        throw new DomainError('invalid_request', `${field}.text: 1 to ${MAX_TEXT_LENGTH} characters`, `${field}.text`);
      if (kept.subject === undefined && kept.text === undefined) {
        delete templates[type];
        continue;
      }
      context.checkTemplate(type, kept);
      templates[type] = kept;
    }
    setOrDelete(next, 'templates', Object.keys(templates).length > 0 ? templates : undefined);
  }
  if (patch.maintenance !== undefined) {
    if (patch.maintenance !== null) {
      const message = (patch.maintenance.message ?? next.maintenance?.message ?? DEFAULT_MAINTENANCE_MESSAGE).trim();
      if (message === '' || message.length > MAX_MAINTENANCE_MESSAGE || /[\r\n]/.test(message))
        throw new DomainError('invalid_request', `maintenance.message: one line of 1 to ${MAX_MAINTENANCE_MESSAGE} characters`, 'maintenance.message');
      next.maintenance = { enabled: patch.maintenance.enabled, message };
    } else delete next.maintenance;
  }
  return next;
}

function setOrDelete<K extends keyof SettingsOverrides>(target: SettingsOverrides, key: K, value: SettingsOverrides[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function amountOf(text: string, field: string, decimals: number): Micros {
  const pattern = new RegExp(`^\\d{1,9}(\\.\\d{1,${decimals}})?$`);
  if (!pattern.test(text)) throw new DomainError('invalid_request', `${field}: a decimal amount like "10.00" (at most ${decimals} decimals)`, field);
  return parseMoney(text);
}

/** What changed, for the audit entry: the fields whose values differ, before and after. */
export function settingsDiff(before: SettingsOverrides, after: SettingsOverrides): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const diff = { before: {} as Record<string, unknown>, after: {} as Record<string, unknown> };
  const names = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof SettingsOverrides>;
  for (const name of names) {
    if (sameValue(before[name], after[name])) continue;
    diff.before[name] = before[name] ?? null;
    diff.after[name] = after[name] ?? null;
  }
  return diff;
}

/** Equal as JSON whatever the order of keys (a map read back from DynamoDB keeps no order). */
export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

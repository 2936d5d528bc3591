// The admin API's settings: read them (what is in force, what overrides what) and change them, each change audited
// with what it changed, in the transaction that writes it.
import type { AdminCaller } from '../../admin/domain/admin-caller.js';
import { EMAILED_TYPES, type EmailedType } from '../../notifications/domain/email-notifications.js';
import { previewOverride } from '../../notifications/templates/template-overrides.js';
import type { RenderedEmail } from '../../notifications/templates/render-email.js';
import { DomainError } from '../../shared/errors.js';
import type { Clock } from '../../shared/ports.js';
import {
  applyPatch,
  type EffectiveSettings,
  effectiveSettings,
  type SettingsDefaults,
  settingsDiff,
  type SettingsPatch,
  type StoredSettings,
  type TemplateOverride,
} from '../domain/settings.js';
import type { SettingsStore } from '../ports.js';

export interface ManageSettingsDeps {
  store: SettingsStore;
  defaults: () => SettingsDefaults;
  clock: Clock;
  /** Told after a change, so this container's cached copy does not lag. */
  onChanged?: () => void;
}

export interface SettingsView {
  stored: StoredSettings;
  effective: EffectiveSettings;
  defaults: SettingsDefaults;
}

export interface Actor {
  caller: AdminCaller;
  sourceIp: string;
}

export async function readSettings(deps: ManageSettingsDeps): Promise<SettingsView> {
  const stored = await deps.store.read();
  const defaults = deps.defaults();
  return { stored, effective: effectiveSettings(stored, defaults), defaults };
}

/**
 * Applies the patch to the stored overrides. `expectedVersion`, when given, must be the stored version (a stale
 * editor gets settings_conflict); without it the patch applies to whatever is stored. A patch that changes nothing
 * writes nothing (a retry of a change is a no-op).
 */
export async function changeSettings(
  deps: ManageSettingsDeps,
  actor: Actor,
  patch: SettingsPatch,
  options: { expectedVersion?: number; reason?: string } = {},
): Promise<SettingsView & { changed: boolean }> {
  for (let attempt = 0; ; attempt++) {
    const current = await deps.store.read();
    if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
      throw new DomainError(
        'settings_conflict',
        `The settings changed meanwhile (version ${current.version}, not ${options.expectedVersion}); read them again`,
      );
    }
    const next = applyPatch(current.overrides, patch, {
      defaults: deps.defaults(),
      templateTypes: EMAILED_TYPES,
      checkTemplate: (type, template) => previewOverride(type as EmailedType, template),
    });
    const diff = settingsDiff(current.overrides, next);
    if (Object.keys(diff.after).length === 0) return { ...viewOf(current, deps), changed: false };
    const at = deps.clock.now().toISOString();
    const outcome = await deps.store.replace(next, current.version, {
      actor: actor.caller.userId,
      actorRole: actor.caller.role,
      ...(actor.caller.email ? { actorEmail: actor.caller.email } : {}),
      action: 'settings.updated',
      subjectType: 'settings',
      subject: 'settings',
      source: actor.sourceIp,
      ...(options.reason ? { reason: options.reason } : {}),
      before: diff.before,
      after: diff.after,
      at,
    });
    if (outcome === 'written') {
      deps.onChanged?.();
      return { ...viewOf({ overrides: next, version: current.version + 1, updatedAt: at, updatedBy: actor.caller.userId }, deps), changed: true };
    }
    // Someone else wrote between our read and write: with no expected version, apply the patch to theirs.
    if (options.expectedVersion !== undefined || attempt >= 2) throw new DomainError('settings_conflict', 'The settings changed meanwhile; read them again');
  }
}

function viewOf(stored: StoredSettings, deps: ManageSettingsDeps): SettingsView {
  const defaults = deps.defaults();
  return { stored, effective: effectiveSettings(stored, defaults), defaults };
}

/** A template rendered against a sample of its email, or the refusal that saving it would get. */
export function previewTemplate(type: string, template: TemplateOverride): RenderedEmail {
  if (!(EMAILED_TYPES as readonly string[]).includes(type))
    throw new DomainError('invalid_request', `type: no email for this event type (${EMAILED_TYPES.join(', ')})`, 'type');
  return previewOverride(type as EmailedType, template);
}

// Admin API: GET and PATCH /admin/v1/settings, and the template preview.
import { manageSettingsDeps } from '../../../admin/settings-wiring.js';
import { changeSettings, previewTemplate as preview, readSettings, type SettingsView } from '../../../settings/application/manage-settings.js';
import type { EffectiveSettings, SettingsDefaults } from '../../../settings/domain/settings.js';
import { formatMoney, type Micros } from '../../../shared/money.js';
import { ok, type RouteImpl, route } from '../../v1/http.js';
import { getSettings, patchSettings, previewTemplate } from '../contract/settings.js';

const amount = (value: Micros | undefined) => (value === undefined ? null : formatMoney(value, 2));

function values(settings: Pick<EffectiveSettings | SettingsDefaults, 'tiers' | 'minDeposit' | 'maxDailySpend'>) {
  const tiers = Object.fromEntries(
    Object.entries(settings.tiers).map(([name, t]) => [name, { requestsPerMinute: t.requestsPerMinute, dailyOrderQuota: t.dailyOrderQuota }]),
  );
  return { tiers, minDeposit: formatMoney(settings.minDeposit, 2), maxDailySpend: amount(settings.maxDailySpend) };
}

function settingsBody(view: SettingsView) {
  const { stored, effective, defaults } = view;
  return {
    version: stored.version,
    ...(stored.updatedAt ? { updatedAt: stored.updatedAt } : {}),
    ...(stored.updatedBy ? { updatedBy: stored.updatedBy } : {}),
    overrides: stored.overrides,
    effective: { ...values(effective), templates: effective.templates, maintenance: effective.maintenance },
    defaults: values(defaults),
  };
}

export const settingsRoutes: readonly RouteImpl[] = [
  route(getSettings, async () => ok(settingsBody(await readSettings(manageSettingsDeps())))),
  route(patchSettings, async (req) => {
    const { version, reason, ...patch } = req.body;
    const view = await changeSettings(manageSettingsDeps(), { caller: req.caller, sourceIp: req.sourceIp }, patch, {
      ...(version !== undefined ? { expectedVersion: version } : {}),
      ...(reason ? { reason } : {}),
    });
    return ok(settingsBody(view));
  }),
  route(previewTemplate, async (req) => {
    const { type, ...template } = req.body;
    return ok(preview(type, template));
  }),
];

// What the adminSettings function uses (settings, promo codes, the audit log), built on first use.
import { DynamoAuditSearch } from '../adapters/dynamodb/audit-log.js';
import { DynamoPromoCodeStore } from '../adapters/dynamodb/promo-code-store.js';
import type { ManageSettingsDeps } from '../settings/application/manage-settings.js';
import { settingsDefaults, settingsItem, settingsStore } from '../settings/wiring.js';
import { lazy } from '../shared/platform.js';
import { systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import type { PromoAdminDeps } from './application/promo-codes.js';

export const manageSettingsDeps: () => ManageSettingsDeps = /* @__PURE__ */ lazy(() => ({
  store: settingsStore(),
  defaults: settingsDefaults,
  clock: systemClock,
  onChanged: () => settingsItem().forget(),
}));

export const promoAdminDeps: () => PromoAdminDeps = /* @__PURE__ */ lazy(() => ({
  promoCodes: new DynamoPromoCodeStore(documentClient(), tableName()),
  clock: systemClock,
}));

export const auditSearch = /* @__PURE__ */ lazy(() => new DynamoAuditSearch(documentClient(), tableName()));

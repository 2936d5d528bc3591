// The settings item's store and the cached reader each function that uses a setting builds once (shared/platform.ts).
import { TIERS } from '../access/domain/tiers.js';
import { DynamoSettingsStore, readSettingsItem } from '../adapters/dynamodb/settings-store.js';
import { parseMoney } from '../shared/money.js';
import { lazy } from '../shared/platform.js';
import { config, systemClock } from '../shared/platform/config.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import { CachedSettingsItem, CachedSettingsReader } from './application/settings-reader.js';
import type { SettingsDefaults } from './domain/settings.js';

export const settingsStore: () => DynamoSettingsStore = /* @__PURE__ */ lazy(() => new DynamoSettingsStore(documentClient(), tableName()));

/** The environment's values, which the settings item overrides. */
export function settingsDefaults(): SettingsDefaults {
  const c = config();
  return {
    tiers: TIERS,
    minDeposit: parseMoney(c.MIN_DEPOSIT),
    maxDeposit: parseMoney(c.MAX_DEPOSIT),
    ...(c.MAX_DAILY_SPEND !== undefined ? { maxDailySpend: parseMoney(c.MAX_DAILY_SPEND) } : {}),
  };
}

/** The settings item, cached per container: what maintenance checks read (they need no defaults). */
export const settingsItem: () => CachedSettingsItem = /* @__PURE__ */ lazy(
  () => new CachedSettingsItem(() => readSettingsItem(documentClient(), tableName(), false), systemClock),
);

export const settingsReader: () => CachedSettingsReader = /* @__PURE__ */ lazy(() => new CachedSettingsReader(settingsItem(), settingsDefaults));

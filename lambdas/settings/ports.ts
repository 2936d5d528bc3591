// The settings item: read by the places that use each value (through a per-container cache), changed by admins.
import type { AuditEntry } from '../audit/domain/audit-entry.js';
import type { EffectiveSettings, SettingsOverrides, StoredSettings } from './domain/settings.js';

/** The settings in force. Implementations cache: at most one read of the item per container per cache period. */
export interface SettingsReader {
  current(): Promise<EffectiveSettings>;
}

export interface SettingsStore {
  /** The item as stored (consistent read); NO_SETTINGS before the first change. */
  read(): Promise<StoredSettings>;
  /**
   * Writes `overrides` as version `expectedVersion + 1` with its audit entry, in one transaction, if the item is still
   * at `expectedVersion`; 'conflict' when someone changed it meanwhile.
   */
  replace(overrides: SettingsOverrides, expectedVersion: number, audit: AuditEntry): Promise<'written' | 'conflict'>;
}

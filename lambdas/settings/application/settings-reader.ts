// The settings in force, read at most once per container per period (30 s): a change reaches every container within
// that long, and a hot path pays a GetItem (0.5 read unit, eventually consistent) once per period, not per request.
// A failed read fails the call: each user of a setting falls back to its default (the environment's value).
import type { Clock } from '../../shared/ports.js';
import {
  DEFAULT_MAINTENANCE_MESSAGE,
  type EffectiveSettings,
  effectiveSettings,
  type Maintenance,
  type SettingsDefaults,
  type StoredSettings,
} from '../domain/settings.js';
import type { SettingsReader } from '../ports.js';

export const SETTINGS_CACHE_MS = 30_000;

/** The settings item, cached. Apart from the effective values so that a maintenance check bundles no defaults. */
export class CachedSettingsItem {
  private cached: { value: StoredSettings; expires: number } | undefined;
  private reading: Promise<StoredSettings> | undefined;

  constructor(
    private readonly load: () => Promise<StoredSettings>,
    private readonly clock: Clock,
    private readonly cacheMs = SETTINGS_CACHE_MS,
  ) {}

  async get(): Promise<StoredSettings> {
    if (this.cached && this.cached.expires > this.clock.now().getTime()) return this.cached.value;
    // Concurrent requests of one container share one read.
    this.reading ??= this.load()
      .then((value) => {
        this.cached = { value, expires: this.clock.now().getTime() + this.cacheMs };
        return value;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  /** Forgets the cached copy (after this container changed the settings). */
  forget(): void {
    this.cached = undefined;
  }
}

export function maintenanceOf(stored: StoredSettings): Maintenance {
  return stored.overrides.maintenance ?? { enabled: false, message: DEFAULT_MAINTENANCE_MESSAGE };
}

/** The effective settings from the cached item, computed again only when the item was read again. */
export class CachedSettingsReader implements SettingsReader {
  private last: { stored: StoredSettings; value: EffectiveSettings } | undefined;

  constructor(
    private readonly item: CachedSettingsItem,
    private readonly defaults: () => SettingsDefaults,
  ) {}

  async current(): Promise<EffectiveSettings> {
    const stored = await this.item.get();
    if (this.last?.stored !== stored) this.last = { stored, value: effectiveSettings(stored, this.defaults()) };
    return this.last.value;
  }
}

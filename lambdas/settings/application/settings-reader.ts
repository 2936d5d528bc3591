// The settings in force, read at most once per container per period (30 s): a change reaches every container within
// that long, and a hot path pays a GetItem (0.5 read unit, eventually consistent) once per period, not per request.
import type { Clock } from '../../shared/ports.js';
import { effectiveSettings, type EffectiveSettings, type SettingsDefaults, type StoredSettings } from '../domain/settings.js';
import type { SettingsReader } from '../ports.js';

export const SETTINGS_CACHE_MS = 30_000;

export class CachedSettingsReader implements SettingsReader {
  private cached: { value: EffectiveSettings; expires: number } | undefined;
  private reading: Promise<EffectiveSettings> | undefined;

  constructor(
    private readonly load: () => Promise<StoredSettings>,
    private readonly defaults: () => SettingsDefaults,
    private readonly clock: Clock,
    private readonly cacheMs = SETTINGS_CACHE_MS,
  ) {}

  async current(): Promise<EffectiveSettings> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.expires > now) return this.cached.value;
    // Concurrent requests of one container share one read.
    this.reading ??= this.load()
      .then((stored) => {
        const value = effectiveSettings(stored, this.defaults());
        this.cached = { value, expires: this.clock.now().getTime() + this.cacheMs };
        return value;
      })
      .catch((error: unknown) => {
        // A failed read keeps the last values a little longer rather than failing every request.
        if (this.cached) {
          this.cached.expires = this.clock.now().getTime() + Math.min(this.cacheMs, 5_000);
          return this.cached.value;
        }
        throw error;
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

// The function's configuration, read once per container (and again after usePlatform).
import { type AlertConfig, type Config, ConfigError, loadAlertConfig, loadConfig } from '../config.js';
import { lazy } from '../platform.js';

export const config: () => Config = /* @__PURE__ */ lazy(() => loadConfig());

/** The operator alerts' settings (config.ts, loadAlertConfig), for the functions that judge providers and orders. */
export const alertConfig: () => AlertConfig = /* @__PURE__ */ lazy(() => loadAlertConfig());

export const systemClock = { now: () => new Date() };

// On Lambda, a missing variable fails the cold start (init) instead of the first request.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();

/** For what only some functions need: on Lambda, fails this function's cold start when one of `names` is not set. */
export function requireOnLambda(...names: (keyof Config)[]): void {
  if (!process.env.AWS_LAMBDA_FUNCTION_NAME) return;
  const missing = names.filter((name) => !config()[name]);
  if (missing.length > 0) throw new ConfigError(`Configuration is incomplete: ${missing.map((name) => `${name}: missing`).join(', ')}`);
}

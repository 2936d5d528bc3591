// The function's configuration, read once per container (and again after usePlatform).
import { type Config, loadConfig } from '../config.js';
import { lazy } from '../platform.js';

export const config: () => Config = /* @__PURE__ */ lazy(() => loadConfig());

export const systemClock = { now: () => new Date() };

// On Lambda, a missing variable fails the cold start (init) instead of the first request.
if (process.env.AWS_LAMBDA_FUNCTION_NAME) config();

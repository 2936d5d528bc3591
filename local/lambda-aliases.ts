// Local processes run the X-Ray SDK with the segment context every Lambda bundle aliases in (lib/bundling.ts,
// BUNDLE_ALIASES): AsyncLocalStorage instead of cls-hooked. cls-hooked puts an async hook with destroy tracking on
// every promise: a third of a wallet-bench container's CPU, which no deployed function spends. Import this first, before
// anything loads the Tracer: the SDK's require('cls-hooked/context') then finds this module in the require cache, under
// tsx and in vitest's workers alike (both load node_modules through Node's own require).
import { createRequire } from 'node:module';
import * as clsContext from '../lambdas/shared/observability/cls-context.js';

const require = createRequire(import.meta.url);
const Module = require('node:module') as { new (id: string): NodeJS.Module };
const xraySdkRequire = createRequire(require.resolve('aws-xray-sdk-core'));
const clsContextPath = xraySdkRequire.resolve('cls-hooked/context');

if (!require.cache[clsContextPath]) {
  const module = new Module(clsContextPath);
  module.filename = clsContextPath;
  module.loaded = true;
  module.exports = clsContext;
  require.cache[clsContextPath] = module;
}

/** Where the X-Ray SDK finds its segment context in this process: the Lambda bundles' one, once this module ran. */
export const segmentContextModule = (): unknown => require.cache[clsContextPath]?.exports;

// What the reseller API (v2) uses, built on first use: order, wallet and access services; no workflow client.
import { resellerAccess } from '../access/wiring.js';
import { customerOrderServices, refillIds } from '../orders/wiring.js';
import { lazy } from '../shared/platform.js';
import { config } from '../shared/platform/config.js';
import { settingsReader } from '../settings/wiring.js';
import { walletStore } from '../wallets/wiring.js';

export const resellerApiServices = /* @__PURE__ */ lazy(() => ({
  ...customerOrderServices(),
  config: config(),
  wallets: walletStore(),
  access: resellerAccess(),
  refillIds: refillIds(),
  settings: settingsReader(),
}));

// POST /admin/v1/users (onboard a reseller) and PUT /admin/v1/users/{id}/pricing, served by the adminResellers
// function: the two users routes that set a reseller's tier (its usage key follows from the stream, assignUsageKeys).
import { DEFAULT_TIER } from '../../../access/domain/tiers.js';
import { onboardResellerAccount } from '../../../admin/application/users-onboarding.js';
import { pricingJson, setResellerPricing } from '../../../admin/application/users-pricing.js';
import { onboarding, pricing } from '../../../admin/users-resellers-wiring.js';
import { created, ok, type RouteImpl, route } from '../../v1/http.js';
import { onboardReseller, setPricing } from '../contract/users-resellers.js';
import { actingAdmin } from './acting-admin.js';

export const resellersRoutes: readonly RouteImpl[] = [
  route(onboardReseller, async (req) => {
    const outcome = await onboardResellerAccount(
      onboarding(),
      {
        email: req.body.email,
        tier: req.body.tier ?? DEFAULT_TIER,
        ...(req.body.keyLabel ? { keyLabel: req.body.keyLabel } : {}),
        ...(req.body.keyLimits ? { keyLimits: req.body.keyLimits } : {}),
      },
      actingAdmin(req),
    );
    const body = {
      id: outcome.user.id,
      email: outcome.user.email,
      role: outcome.user.role,
      walletId: outcome.user.walletId,
      tier: outcome.user.tier ?? outcome.user.apiGatewayKey?.tier ?? req.body.tier ?? DEFAULT_TIER,
      usageKey: outcome.usageKey,
      createdAt: outcome.user.createdAt,
      ...(outcome.apiKey ? { apiKey: outcome.apiKey } : {}),
    };
    return outcome.created ? created(body) : ok(body);
  }),
  route(setPricing, async (req) => {
    const input = {
      tier: req.body.tier,
      ...(req.body.discountPercent !== undefined ? { discountPercent: req.body.discountPercent } : {}),
      ...(req.body.rates ? { rates: req.body.rates } : {}),
    };
    return ok(pricingJson(await setResellerPricing(pricing(), req.params.id, input, actingAdmin(req))));
  }),
];

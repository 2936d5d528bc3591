// REST v1 implementations: the signed-in user's own profile.
import type { Account } from '../../../customers/ports.js';
import { profiles } from '../../../customers/wiring.js';
import { formatMoney, parseMoney } from '../../../shared/money.js';
import * as profile from '../contract/profile.js';
import { ok, type RouteImpl, route } from '../http.js';

export function profileView(account: Account) {
  const { lowBalanceThreshold, ...flags } = account.notifications;
  return {
    id: account.id,
    email: account.email,
    name: account.name ?? null,
    telegram: account.telegram ?? null,
    role: account.role,
    emailVerified: account.emailVerified,
    createdAt: account.createdAt,
    notifications: { ...flags, lowBalanceThreshold: lowBalanceThreshold === null ? null : formatMoney(lowBalanceThreshold, 2) },
  };
}

export const profileRoutes: readonly RouteImpl[] = [
  route(profile.getMe, async ({ caller }) => ok(profileView(await profiles().profile(caller.userId)))),

  route(profile.patchMe, async ({ caller, body }) => {
    const { lowBalanceThreshold, ...flags } = body.notifications ?? {};
    const updated = await profiles().updateProfile(caller.userId, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.telegram !== undefined ? { telegram: body.telegram } : {}),
      ...(body.notifications
        ? {
            notifications: {
              ...flags,
              ...(lowBalanceThreshold !== undefined
                ? { lowBalanceThreshold: lowBalanceThreshold === null ? null : parseMoney(lowBalanceThreshold, 'notifications.lowBalanceThreshold') }
                : {}),
            },
          }
        : {}),
    });
    return ok(profileView(updated));
  }),
];

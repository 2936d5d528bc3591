// Onboarding a reseller from the admin API: the existing onboardReseller (account, wallet, tier, first API key; the
// API Gateway usage key follows from the table's stream) behind the email claim, so the same email never makes a second account. A repeat finds the
// claim: an onboarding that went to the end answers the account without a key (the key was shown once); one that
// stopped on the way (no API key yet) is finished.
import { type OnboardingServices, onboardReseller } from '../../access/application/onboard-reseller.js';
import type { ApiKeyLimits } from '../../access/domain/api-keys.js';
import { isTierName } from '../../access/domain/tiers.js';
import { type UsageKeyState, usageKeyState } from '../../access/domain/usage-key.js';
import type { UserRecord } from '../../access/ports.js';
import type { AuditLog } from '../../audit/ports.js';
import { isEmailAddress, normaliseEmail } from '../../customers/domain/email-address.js';
import { newUserId } from '../../customers/domain/tokens.js';
import { DomainError } from '../../shared/errors.js';
import type { ActingAdmin, UserDirectory } from '../users-ports.js';

export interface OnboardingDeps extends OnboardingServices {
  directory: Pick<UserDirectory, 'claimEmail'>;
  audit: AuditLog;
}

export interface OnboardInput {
  email: string;
  tier: string;
  keyLabel?: string;
  keyLimits?: Partial<ApiKeyLimits>;
}

export interface OnboardOutcome {
  /** False when the email already had its reseller account: nothing was made. */
  created: boolean;
  user: UserRecord;
  /** The first API key, only when it was made now (shown once, never stored). */
  apiKey?: string;
  usageKey: UsageKeyState;
}

export async function onboardResellerAccount(deps: OnboardingDeps, input: OnboardInput, admin: ActingAdmin): Promise<OnboardOutcome> {
  const email = normaliseEmail(input.email);
  if (!isEmailAddress(email)) throw new DomainError('invalid_request', 'This is not an email address', 'email');
  if (!isTierName(input.tier)) throw new DomainError('invalid_request', `Unknown tier "${input.tier}"`, 'tier');
  const at = deps.clock.now().toISOString();
  const userId = await deps.directory.claimEmail(email, newUserId(), at);
  const existing = await deps.users.get(userId);
  if (existing) {
    if (existing.role !== 'reseller') throw new DomainError('email_taken', `This email belongs to a ${existing.role} account`, 'email');
    if ((await deps.keyManagement.listApiKeys(userId)).length > 0) {
      return { created: false, user: existing, usageKey: usageKeyState(existing) ?? 'pending' };
    }
  }
  const onboarded = await onboardReseller(deps, {
    id: userId,
    email,
    walletId: existing?.walletId ?? `wallet-${userId}`,
    tier: input.tier,
    ...(input.keyLabel ? { keyLabel: input.keyLabel } : {}),
    ...(input.keyLimits ? { keyLimits: input.keyLimits } : {}),
  });
  await deps.audit.record({
    ...admin,
    action: 'user.onboarded',
    subjectType: 'user',
    subject: userId,
    ownerId: userId,
    after: { email, role: 'reseller', tier: input.tier, walletId: onboarded.user.walletId },
    at,
  });
  return { created: true, user: onboarded.user, apiKey: onboarded.apiKey, usageKey: onboarded.usageKey };
}

// Balance adjustments by an admin: a ledger entry of kind `adjustment`, once per Idempotency-Key (the same key
// answers the first answer again and moves nothing), never below zero, audited with the balance before and after in
// the same transaction as the movement.
import { DomainError } from '../../shared/errors.js';
import { formatMoney, parseMoney } from '../../shared/money.js';
import type { Clock } from '../../shared/ports.js';
import type { ActingAdmin, AdjustmentResult, Adjustments, UserDirectory } from '../users-ports.js';

export interface AdjustmentDeps {
  directory: Pick<UserDirectory, 'getProfile'>;
  adjustments: Adjustments;
  clock: Clock;
}

export async function adjustBalance(
  deps: AdjustmentDeps,
  input: { userId: string; amount: string; reason: string; idempotencyKey: string },
  admin: ActingAdmin,
): Promise<AdjustmentResult> {
  const amount = parseMoney(input.amount, 'amount');
  if (amount === 0) throw new DomainError('invalid_amount', 'An adjustment moves a non-zero amount', 'amount');
  const reason = input.reason.trim();
  if (!reason) throw new DomainError('invalid_request', 'Say why the balance is adjusted', 'reason');
  // A repeat is answered from the key's record before anything else: a debit repeated after it emptied the wallet
  // must answer the first answer, not "insufficient funds".
  const earlier = await deps.adjustments.find(input.userId, input.idempotencyKey);
  if (earlier) return sameRequest(earlier, amount, reason);
  const profile = await deps.directory.getProfile(input.userId);
  if (!profile) throw new DomainError('unknown_user', 'No such user');
  const at = deps.clock.now().toISOString();
  const outcome = await deps.adjustments.apply({
    userId: profile.id,
    walletId: profile.walletId,
    amount,
    reason,
    idempotencyKey: input.idempotencyKey,
    at,
    audit: (state) => ({
      ...admin,
      action: 'user.balance_adjusted',
      subjectType: 'user',
      subject: profile.id,
      ownerId: profile.id,
      reason,
      before: { balance: formatMoney(state.balanceBefore, 2) },
      after: { balance: formatMoney(state.balanceAfter, 2), amount: formatMoney(amount, 2), ledgerSeq: state.seq, idempotencyKey: input.idempotencyKey },
      at,
    }),
  });
  if (outcome !== 'already_applied') return outcome;
  // The same key committed meanwhile (a retry racing the first attempt).
  const committed = await deps.adjustments.find(input.userId, input.idempotencyKey);
  if (!committed) throw new DomainError('already_applied', 'This adjustment was already made');
  return sameRequest(committed, amount, reason);
}

function sameRequest(earlier: AdjustmentResult, amount: number, reason: string): AdjustmentResult {
  if (earlier.amount !== amount || earlier.reason !== reason) {
    throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was used for another adjustment; send a new key for a new one');
  }
  return earlier;
}

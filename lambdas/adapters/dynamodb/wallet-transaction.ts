// Every movement of money goes through here: the wallet's new balance, its ledger entry (next sequence number)
// and any items the caller adds (the order, an idempotency marker) are written in one TransactWriteItems.
// The wallet update is conditioned on the sequence number read just before, so concurrent movements on one
// wallet serialise: the loser re-reads and tries again, and a debit that no longer fits is refused.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError, isStoreBusy } from '../../shared/errors.js';
import { type Micros, micros } from '../../shared/money.js';
import type { LedgerKind, MovementState } from '../../wallets/ports.js';
import { keys } from './keys.js';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface WalletMovement {
  walletId: string;
  amount: Micros;
  kind: LedgerKind;
  reference: string;
  at: string;
  /**
   * Written in the same transaction; if any of their conditions fails the movement was already made. A function is
   * given the balance read for this attempt (an audit entry or an idempotency record that keeps before and after).
   */
  companions: TransactItem[] | ((state: MovementState) => TransactItem[]);
  /**
   * Written in the same transaction too, but a failed condition of theirs is a refusal, not a repeat: the movement
   * throws `refusal()` (unless a companion failed as well: then it was already made).
   */
  guards?: { item: TransactItem; refusal: () => Error }[];
  /**
   * Further entries written after the movement's own, each numbered in turn: a deposit's promo bonus, or a settling
   * lease's charges after its release (`at` then the charge's own time). No entry may leave the balance below zero.
   */
  followedBy?: { amount: Micros; kind: LedgerKind; reference: string; at?: string }[];
  /**
   * A balance lease taken (count 1, held its amount), settled (count -1, held less its amount) or both (a roll-over):
   * the wallet's count of open leases and the money they hold, written with its balance (balance-lease.ts).
   */
  leases?: { count: 1 | 0 | -1; held: Micros };
}

const TIME_BUDGET_MS = 10_000;
const MAX_ATTEMPTS = 500;
// Throttling is the partition saying "slower": waits grow to a second, with full jitter so containers spread out.
const THROTTLE_BACKOFF_BASE_MS = 25;
const THROTTLE_BACKOFF_CAP_MS = 1_000;
/** Cancellation reasons of a transaction DynamoDB refused for capacity: nothing was written, the same try may pass later. */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded']);

// Movements on one wallet through one client (one container) queue behind each other instead of racing: a
// process serving many requests at once (the local stack) would otherwise spend most transactions losing the
// sequence race. Across containers the sequence condition still decides.
const walletQueues = new WeakMap<DynamoDBDocumentClient, Map<string, Promise<unknown>>>();

export function moveMoney(db: DynamoDBDocumentClient, tableName: string, movement: WalletMovement): Promise<'applied' | 'already_applied'> {
  let queues = walletQueues.get(db);
  if (!queues) walletQueues.set(db, (queues = new Map()));
  const queueKey = `${tableName}/${movement.walletId}`;
  const previous = queues.get(queueKey) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => attemptMovement(db, tableName, movement));
  queues.set(queueKey, current);
  void current
    .catch(() => undefined)
    .finally(() => {
      if (queues.get(queueKey) === current) queues.delete(queueKey);
    });
  return current;
}

async function attemptMovement(db: DynamoDBDocumentClient, tableName: string, movement: WalletMovement): Promise<'applied' | 'already_applied'> {
  const started = Date.now();
  const guards = movement.guards ?? [];
  for (let attempt = 1; ; attempt++) {
    let wallet: Record<string, unknown> | undefined;
    try {
      ({ Item: wallet } = await db.send(new GetCommand({ TableName: tableName, Key: keys.wallet(movement.walletId), ConsistentRead: true })));
    } catch (error) {
      // Still throttled after the SDK's own retries: wait longer, within the budget, then answer busy.
      if (!isStoreBusy(error)) throw error;
      await pauseAfterThrottling(attempt, started);
      continue;
    }
    if (!wallet) throw new DomainError('unknown_wallet', `Wallet ${movement.walletId} does not exist`);
    const seq = Number(wallet.seq);
    const balanceAfter = micros(Number(wallet.balance) + movement.amount);
    if (balanceAfter < 0) throw new DomainError('insufficient_funds', 'Not enough funds on balance');
    const entries: NonNullable<WalletMovement['followedBy']> = [
      { amount: movement.amount, kind: movement.kind, reference: movement.reference },
      ...(movement.followedBy ?? []),
    ];
    let balance = Number(wallet.balance);
    let lowest = balance;
    const ledgerPuts = entries.map((entry, i) => {
      balance += entry.amount;
      lowest = Math.min(lowest, balance);
      return ledgerPut(tableName, { walletId: movement.walletId, at: entry.at ?? movement.at }, seq + 1 + i, entry, micros(balance));
    });
    const finalBalance = micros(balance);
    if (lowest < 0) throw new DomainError('insufficient_funds', 'Not enough funds on balance');
    const companions =
      typeof movement.companions === 'function'
        ? movement.companions({ balanceBefore: micros(Number(wallet.balance)), balanceAfter, seq: seq + 1 })
        : movement.companions;

    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...companions,
            ...guards.map((guard) => guard.item),
            {
              Update: {
                TableName: tableName,
                Key: keys.wallet(movement.walletId),
                UpdateExpression: `SET balance = :balance, seq = :next, updatedAt = :at${movement.leases ? ' ADD openLeases :leases, held :held' : ''}`,
                ConditionExpression: 'seq = :seq',
                ExpressionAttributeValues: {
                  ':balance': finalBalance,
                  ':next': seq + entries.length,
                  ':seq': seq,
                  ':at': movement.at,
                  ...(movement.leases ? { ':leases': movement.leases.count, ':held': movement.leases.held } : {}),
                },
              },
            },
            ...ledgerPuts,
          ],
        }),
      );
      return 'applied';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) {
        if (!isStoreBusy(error)) throw error;
        await pauseAfterThrottling(attempt, started);
        continue;
      }
      const reasons = error.CancellationReasons ?? [];
      const companionFailed = reasons.slice(0, companions.length).some((r) => r.Code === 'ConditionalCheckFailed');
      if (companionFailed) return 'already_applied';
      const refusedBy = guards.find((_, i) => reasons[companions.length + i]?.Code === 'ConditionalCheckFailed');
      if (refusedBy) throw refusedBy.refusal();
      if (reasons.some((r) => THROTTLED_REASONS.has(r.Code ?? ''))) {
        await pauseAfterThrottling(attempt, started);
        continue;
      }
      const retryable = reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
      if (!retryable) throw error;
      if (attempt >= MAX_ATTEMPTS || Date.now() - started > TIME_BUDGET_MS) throw walletBusy();
      // A stale sequence number is retried at once (we lost a race); a conflict backs off with full jitter.
      if (reasons.some((r) => r.Code === 'TransactionConflict')) await sleep(Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5)));
    }
  }
}

/** A ledger entry of the movement, conditioned on its sequence number being free. */
export function ledgerPut(
  tableName: string,
  movement: Pick<WalletMovement, 'walletId' | 'at'>,
  seq: number,
  entry: { amount: Micros; kind: LedgerKind; reference: string },
  balanceAfter: Micros,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.ledgerEntry(movement.walletId, seq),
        // The admin ledger across wallets, by day (index admin-lists).
        ...keys.adminListLedger(movement.at, movement.walletId, seq),
        entity: 'ledger',
        walletId: movement.walletId,
        seq,
        kind: entry.kind,
        amount: entry.amount,
        balanceAfter,
        reference: entry.reference,
        at: movement.at,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

function walletBusy(): DomainError {
  return new DomainError('wallet_busy', 'Too many simultaneous requests on this balance; please retry');
}

/** Exponential backoff with full jitter, never past the movement's time budget; once it is spent, the answer is busy. */
async function pauseAfterThrottling(attempt: number, started: number): Promise<void> {
  const left = TIME_BUDGET_MS - (Date.now() - started);
  if (attempt >= MAX_ATTEMPTS || left <= 0) throw walletBusy();
  const ceiling = Math.min(THROTTLE_BACKOFF_CAP_MS, THROTTLE_BACKOFF_BASE_MS * 2 ** Math.min(attempt - 1, 10));
  await sleep(Math.min(left, Math.random() * ceiling));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

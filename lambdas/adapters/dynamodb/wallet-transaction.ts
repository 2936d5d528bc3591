// Every movement of money goes through here: the wallet's balance, its ledger entries (next sequence numbers) and
// any items the caller adds (the order, an idempotency marker) are written in one TransactWriteItems.
//
// The wallet's ledger sums to its `balance` and its `held` (money in open balance leases, balance-lease.ts). The
// wallet update is conditioned on the sequence number read just before (concurrent movements on one wallet serialise:
// the loser re-reads and tries again, and a debit that no longer fits is refused) and on the balance still covering
// the movement; it ADDs to the balance rather than setting it, because a lease is taken without the sequence
// (moving money from `balance` to `held`, which leaves the ledger's sum, and so every entry's balanceAfter, as read).
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError, isStoreBusy } from '../../shared/errors.js';
import { type Micros, micros } from '../../shared/money.js';
import type { LedgerKind, MovementState } from '../../wallets/ports.js';
import { keys } from './keys.js';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** One ledger entry a movement writes (`at`: its own time, when not the movement's). */
export interface LedgerLine {
  amount: Micros;
  kind: LedgerKind;
  reference: string;
  at?: string;
}

interface MovementCommon {
  walletId: string;
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
}

export interface WalletMovement extends MovementCommon, Omit<LedgerLine, 'at'> {
  /**
   * Further entries written after the movement's own, each numbered in turn: a deposit's promo bonus. No entry may
   * leave the balance below zero.
   */
  followedBy?: LedgerLine[];
}

/**
 * A balance lease settled (balance-lease.ts): its charges numbered into the ledger, what it has left back in the
 * balance, its amount out of `held`. The ledger's sum moves by the charges alone (the hold never was on it).
 */
export interface LeaseSettlement extends MovementCommon {
  charges: LedgerLine[];
  released: Micros;
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

/** Moves money on the wallet: its own entry, then any that follow it. */
export function moveMoney(db: DynamoDBDocumentClient, tableName: string, movement: WalletMovement): Promise<'applied' | 'already_applied'> {
  const { amount, kind, reference, followedBy = [], ...common } = movement;
  return inWalletQueue(db, tableName, movement.walletId, () =>
    attemptMovement(db, tableName, { ...common, entries: [{ amount, kind, reference }, ...followedBy] }),
  );
}

/** Settles a balance lease on its wallet (see LeaseSettlement): 'already_applied' when a companion says it was. */
export function settleLeaseOnWallet(db: DynamoDBDocumentClient, tableName: string, settlement: LeaseSettlement): Promise<'applied' | 'already_applied'> {
  const { charges, released, ...common } = settlement;
  return inWalletQueue(db, tableName, settlement.walletId, () => attemptMovement(db, tableName, { ...common, entries: charges, released }));
}

function inWalletQueue<T>(db: DynamoDBDocumentClient, tableName: string, walletId: string, run: () => Promise<T>): Promise<T> {
  let queues = walletQueues.get(db);
  if (!queues) walletQueues.set(db, (queues = new Map()));
  const queueKey = `${tableName}/${walletId}`;
  const previous = queues.get(queueKey) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(run);
  queues.set(queueKey, current);
  void current
    .catch(() => undefined)
    .finally(() => {
      if (queues.get(queueKey) === current) queues.delete(queueKey);
    });
  return current;
}

/** A movement as written: its entries (maybe none, for a lease settled without charges) and, for a settlement, what it releases. */
interface Movement extends MovementCommon {
  entries: LedgerLine[];
  released?: Micros;
}

async function attemptMovement(db: DynamoDBDocumentClient, tableName: string, movement: Movement): Promise<'applied' | 'already_applied'> {
  const started = Date.now();
  const guards = movement.guards ?? [];
  const { entries, released } = movement;
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
    const available = Number(wallet.balance);
    // What the ledger sums to: every entry's balanceAfter runs from here.
    const booked = available + Number(wallet.held ?? 0);
    let running = 0;
    let lowest = 0;
    const ledgerPuts = entries.map((entry, i) => {
      running += entry.amount;
      lowest = Math.min(lowest, running);
      return ledgerPut(tableName, { walletId: movement.walletId, at: entry.at ?? movement.at }, seq + 1 + i, entry, micros(booked + running));
    });
    // A settlement's charges were paid from its lease: the balance only gets back what the lease has left. Any other
    // movement needs the balance to cover its lowest point.
    const needed = released === undefined ? -lowest : 0;
    if (available < needed) throw new DomainError('insufficient_funds', 'Not enough funds on balance');
    const companions =
      typeof movement.companions === 'function'
        ? movement.companions({ balanceBefore: micros(booked), balanceAfter: micros(booked + (entries[0]?.amount ?? 0)), seq: seq + 1 })
        : movement.companions;
    const numbered = entries.length > 0;
    const values: Record<string, unknown> = { ':at': movement.at, ':delta': released ?? running };
    const sets = ['updatedAt = :at'];
    const adds = ['balance :delta'];
    const conditions: string[] = [];
    if (numbered) {
      sets.push('seq = :next');
      conditions.push('seq = :seq');
      Object.assign(values, { ':next': seq + entries.length, ':seq': seq });
    }
    if (released === undefined) {
      conditions.push('balance >= :needed');
      values[':needed'] = needed;
    } else {
      // Out of `held` goes the lease's whole amount: what it has left and what it paid.
      adds.push('held :held', 'openLeases :closing', 'leaseMoves :one');
      Object.assign(values, { ':held': micros(running - released), ':closing': -1, ':one': 1 });
      if (!numbered) conditions.push('attribute_exists(pk)');
    }

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
                UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
                ConditionExpression: conditions.join(' AND '),
                ExpressionAttributeValues: values,
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
      // A stale read: the sequence moved on, or a lease was taken from the balance meanwhile. Read again.
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
  entry: LedgerLine,
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

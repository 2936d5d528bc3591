// Where the functions that place orders place them (issue 14, docs/wallet-concurrency.md): from the container's balance
// lease on the wallet when it holds one that covers the order, otherwise through the wallet's line (group commit).
//
// A container takes a lease once it places orders on a wallet at a pace (PACE) while other containers place on it
// too (its line saw them within CONTENDED_MS): a reseller's panel forwarding its customers' orders from several
// workers. The lease is sized to that pace and to a share of what the wallet has. A customer placing now and then,
// or one worker alone, goes through the line and never holds one: its ledger shows each charge as it is made.
//
// A lease used up, or older than LEASE_AGE_MS, is closed by its holder on its next order, which takes a new one while
// it keeps the pace. Settling (the charges numbered into the wallet's ledger, what is left back in the balance) is
// settleIdleLeases's, off the orders' path: from the table's stream as soon as the lease is closed (settling on the
// orders' path queued the holders on the wallet's sequence, docs/wallet-concurrency.md). A container gone quiet leaves
// its lease to the same function's minute's sweep, or to a recall. An order the line refuses for funds while leases hold money is decided again after a recall of them all:
// the whole balance decides, never what one lease has left.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../../orders/domain/orders.js';
import { isDomainError, isStoreBusy } from '../../shared/errors.js';
import { type Micros, micros, negate } from '../../shared/money.js';
import { type HeldLease, MAX_CHARGES_PER_LEASE, busy, closeLease, leaseCovers, sleep, takeLease, withLeasesRecalled } from './balance-lease.js';
import { placeByGroupCommit, placementItems, refusalError, walletContendedWithin } from './group-commit.js';
import { keys } from './keys.js';
import type { OrderPlacement } from './order-store.js';

/** A container leases once it has placed this many orders on the wallet within PACE_WINDOW_MS (this one included). */
const PACE = { orders: 3, windowMs: 2_000 };
/** Other containers seen on the wallet within this long make a container at pace lease. */
const CONTENDED_MS = 5_000;
/** A lease holds what its holder placed in the last PACE window, twice over, within these bounds (in orders). */
const ORDERS_PER_LEASE = { min: 12, max: MAX_CHARGES_PER_LEASE };
/** At most this share of what the wallet has goes into one lease, so that other containers can lease too. */
const WALLET_SHARE = 0.5;
/** Closed by its holder once this old, so that the ledger shows its charges within about a minute more. */
const LEASE_AGE_MS = 30_000;
const TIME_BUDGET_MS = 10_000;

interface WalletPace {
  lease?: HeldLease & { takenAt: number };
  /** When this container placed its recent orders on the wallet (performance.now()). */
  recent: number[];
}

const paces = new WeakMap<DynamoDBDocumentClient, Map<string, WalletPace>>();

function paceOf(db: DynamoDBDocumentClient, tableName: string, walletId: string): WalletPace {
  let byWallet = paces.get(db);
  if (!byWallet) paces.set(db, (byWallet = new Map()));
  const key = `${tableName}/${walletId}`;
  let pace = byWallet.get(key);
  if (!pace) byWallet.set(key, (pace = { recent: [] }));
  return pace;
}

/** The placement of the functions that place orders (their wiring gives it to DynamoOrderStore). */
export const placeFromLeaseOrLine: OrderPlacement = async (db, tableName, order, limit) => {
  // The active-orders count is one item per owner that every placement writes: the line counts it.
  if (limit) return placeThroughLine(db, tableName, order, limit);
  const pace = paceOf(db, tableName, order.walletId);
  const now = performance.now();
  pace.recent = pace.recent.filter((at) => now - at < PACE.windowMs);
  pace.recent.push(now);
  const atPace = pace.recent.length >= PACE.orders;
  let lease = pace.lease;
  if (lease && (!leaseCovers(lease, order.charge) || now - lease.takenAt > LEASE_AGE_MS)) {
    // Used up or old: closed, to be settled (its charges into the ledger) off any order's path; while its
    // holder keeps the pace, a new one is taken.
    pace.lease = undefined;
    await closeLease(db, tableName, { walletId: order.walletId, leaseId: lease.id, at: new Date().toISOString() });
    lease = pace.lease = atPace ? await leaseFor(db, tableName, order, pace.recent.length) : undefined;
  } else if (!lease && atPace && walletContendedWithin(db, tableName, order.walletId, CONTENDED_MS)) {
    lease = pace.lease = await leaseFor(db, tableName, order, pace.recent.length);
  }
  if (lease) {
    if ((await spendFromLease(db, tableName, lease, order)) === 'placed') return;
    // Recalled under it (another order needed the whole balance): this one goes through the line.
    pace.lease = undefined;
  }
  return placeThroughLine(db, tableName, order, limit);
};

/**
 * What a new lease should hold: the orders its holder placed in the last PACE window, twice over, give or take a
 * quarter (so that containers that started together do not all come back to the wallet at once), within the bounds,
 * at this order's price; at most the wallet's share. Undefined when the wallet has too little for a lease worth taking.
 */
async function leaseAmount(db: DynamoDBDocumentClient, tableName: string, order: Order, recent: number): Promise<Micros | undefined> {
  if (order.charge <= 0) return undefined;
  const orders = Math.min(ORDERS_PER_LEASE.max, Math.max(ORDERS_PER_LEASE.min, Math.round(recent * 2 * (0.75 + Math.random() * 0.5))));
  const { Item: wallet } = await db.send(new GetCommand({ TableName: tableName, Key: keys.wallet(order.walletId), ConsistentRead: true }));
  const amount = micros(Math.min(Math.min(orders, MAX_CHARGES_PER_LEASE) * order.charge, Math.floor(Number(wallet?.balance ?? 0) * WALLET_SHARE)));
  return amount >= ORDERS_PER_LEASE.min * order.charge ? amount : undefined;
}

/** A new lease for this container, if the wallet has enough for one (else undefined: the line places the order). */
async function leaseFor(db: DynamoDBDocumentClient, tableName: string, order: Order, recent: number): Promise<WalletPace['lease']> {
  const amount = await leaseAmount(db, tableName, order, recent);
  if (!amount) return undefined;
  try {
    const lease = await takeLease(db, tableName, { walletId: order.walletId, amount, at: new Date().toISOString() });
    return { ...lease, takenAt: performance.now() };
  } catch (error) {
    // Spent meanwhile by others: the line decides this order on the whole balance.
    if (isDomainError(error) && error.code === 'insufficient_funds') return undefined;
    throw error;
  }
}

/** Through the wallet's line; a refusal for funds while leases hold money is decided again after recalling them. */
function placeThroughLine(db: DynamoDBDocumentClient, tableName: string, order: Order, limit?: { maxActiveOrders: number }): Promise<void> {
  return withLeasesRecalled(db, tableName, order.walletId, new Date().toISOString(), () => placeByGroupCommit(db, tableName, order, limit));
}

/**
 * Places the order, paid from the lease, in one transaction. 'lease_closed': the lease was settled by someone else
 * (a recall), and the order was not placed. A refusal of the order's own (a duplicate, a link in use) is thrown as
 * the line throws it; so is a store still busy when the budget is spent.
 */
export async function spendFromLease(db: DynamoDBDocumentClient, tableName: string, lease: HeldLease, order: Order): Promise<'placed' | 'lease_closed'> {
  if (order.walletId !== lease.walletId || !leaseCovers(lease, order.charge)) throw new Error(`Lease ${lease.id} cannot pay for order ${order.id}`);
  const own = placementItems(tableName, { ...order, leaseId: lease.id }, '');
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const remaining = micros(lease.remaining - order.charge);
    const charges = lease.charges + 1;
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...own.map((item) => item.item),
            {
              Update: {
                TableName: tableName,
                Key: keys.lease(lease.walletId, lease.id),
                UpdateExpression: 'SET remaining = :remaining, charges = :charges',
                ConditionExpression: 'charges = :read AND attribute_not_exists(closedAt)',
                ExpressionAttributeValues: { ':remaining': remaining, ':charges': charges, ':read': lease.charges },
              },
            },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.leaseCharge(lease.walletId, lease.id, charges),
                  entity: 'lease-charge',
                  seq: charges,
                  amount: negate(order.charge),
                  reference: `order:${order.id}`,
                  at: order.createdAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      lease.remaining = remaining;
      lease.charges = charges;
      return 'placed';
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        const refused = own.find((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
        if (refused?.refuses) throw refusalError(refused.refuses, order);
        if (reasons[own.length]?.Code === 'ConditionalCheckFailed') {
          // Settled by a recall, or this holder's own earlier spend committed with its answer lost: as stored.
          if ((await resync(db, tableName, lease)) === 'settled') return 'lease_closed';
          if (!leaseCovers(lease, order.charge)) return 'lease_closed';
          continue;
        }
        if (!reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) throw error;
      } else if (!isStoreBusy(error)) {
        // An answer lost may have committed: the lease as stored is what the holder has (placeOrder finds the order).
        await resync(db, tableName, lease).catch(() => undefined);
        throw error;
      }
      if (performance.now() - started > TIME_BUDGET_MS) throw busy();
      await sleep(Math.random() * Math.min(1_000, 25 * 2 ** Math.min(attempt, 6)));
    }
  }
}

async function resync(db: DynamoDBDocumentClient, tableName: string, lease: HeldLease): Promise<'open' | 'settled'> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.lease(lease.walletId, lease.id), ConsistentRead: true }));
  if (!Item || Item.closedAt !== undefined) return 'settled';
  lease.remaining = micros(Number(Item.remaining));
  lease.charges = Number(Item.charges);
  return 'open';
}

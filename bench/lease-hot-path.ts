// A candidate of issue 14 measured, not built (docs/wallet-concurrency.md, "A lease's hot path, measured"): orders
// placed from a balance lease held by the container. Only the hot path is here: a container takes a lease of N
// orders' worth from its wallet (one transaction conditioned on the wallet's sequence), then places each order in one
// transaction on its own lease with no read. Nothing makes it exact for a customer (no recall, no return, no balance
// shown with the leases in it, no fallback for a wallet too small to lease), so it must never place a real order:
// the bench's containers take it as their placement when BENCH_WALLET_PLACEMENT=lease:<orders> asks for it. It also
// leaves out what the bench's orders do not use: request-id and exclusive-link claims, and the active-orders limit.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, paginateQuery, paginateScan } from '@aws-sdk/lib-dynamodb';
import { orderPlacementItem } from '../lambdas/adapters/dynamodb/group-commit.js';
import { keys } from '../lambdas/adapters/dynamodb/keys.js';
import type { OrderPlacement } from '../lambdas/adapters/dynamodb/order-store.js';
import { ledgerPut } from '../lambdas/adapters/dynamodb/wallet-transaction.js';
import type { Order } from '../lambdas/orders/domain/orders.js';
import { DomainError } from '../lambdas/shared/errors.js';
import { type Micros, micros, negate } from '../lambdas/shared/money.js';

const TIME_BUDGET_MS = 10_000;

interface Lease {
  id: string;
  remaining: Micros;
  seq: number;
}

const leasePk = (walletId: string, leaseId: string) => `LEASE#${walletId}#${leaseId}`;
const entrySk = (seq: number) => `ENTRY#${String(seq).padStart(12, '0')}`;

/** The placement of a container that spends from leases of `ordersPerLease` orders' worth. */
export function leaseHotPath(ordersPerLease: number): OrderPlacement {
  if (!(Number.isSafeInteger(ordersPerLease) && ordersPerLease > 0)) throw new Error(`a lease must hold at least one order; got ${ordersPerLease}`);
  const held = new Map<string, Lease>();
  return async (db, tableName, order) => {
    const key = `${tableName}/${order.walletId}`;
    let lease = held.get(key);
    if (!lease || lease.remaining < order.charge) {
      lease = await takeLease(db, tableName, order, micros(order.charge * ordersPerLease));
      held.set(key, lease);
    }
    const remaining = micros(lease.remaining - order.charge);
    const next = lease.seq + 1;
    const pk = leasePk(order.walletId, lease.id);
    const spend = db.send(
      new TransactWriteCommand({
        TransactItems: [
          orderPlacementItem(tableName, order),
          {
            Update: {
              TableName: tableName,
              Key: { pk, sk: 'LEASE' },
              UpdateExpression: 'SET remaining = :remaining, seq = :next',
              // Only this container writes its lease: the condition guards against a retried or lost answer.
              ConditionExpression: 'seq = :seq',
              ExpressionAttributeValues: { ':remaining': remaining, ':next': next, ':seq': lease.seq },
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: leaseEntry(pk, next, negate(order.charge), 'order_charge', remaining, `order:${order.id}`, order.createdAt),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
    try {
      await spend;
      lease.remaining = remaining;
      lease.seq = next;
    } catch (error) {
      // A lost answer may have committed: the lease as stored is what this container holds from now on (placeOrder
      // itself answers an order it finds placed as placed).
      const stored = (await db.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'LEASE' }, ConsistentRead: true }))).Item;
      if (stored) Object.assign(lease, { remaining: micros(Number(stored.remaining)), seq: Number(stored.seq) });
      throw error;
    }
  };
}

function leaseEntry(pk: string, seq: number, amount: Micros, kind: string, balanceAfter: Micros, reference: string, at: string) {
  return { pk, sk: entrySk(seq), entity: 'lease-entry', seq, kind, amount, balanceAfter, reference, at };
}

/** Moves `amount` (or what the wallet has) to a new lease: a ledger transfer out of the wallet, the lease's first entry. */
async function takeLease(db: DynamoDBDocumentClient, tableName: string, order: Order, amount: Micros): Promise<Lease> {
  const { walletId, createdAt: at } = order;
  const id = `${process.pid}-${order.id}`;
  const pk = leasePk(walletId, id);
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.wallet(walletId), ConsistentRead: true }));
    if (!Item) throw new DomainError('unknown_wallet', `Wallet ${walletId} does not exist`);
    const seq = Number(Item.seq);
    // A wallet short of a whole lease leases what it has; one short of the order refuses it. (Money in other
    // containers' leases is not recalled: a product would have to.)
    if (Number(Item.balance) < order.charge) throw new DomainError('insufficient_funds', 'Not enough funds on balance');
    const leased = micros(Math.min(amount, Number(Item.balance)));
    const balance = micros(Number(Item.balance) - leased);
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.wallet(walletId),
                UpdateExpression: 'SET balance = :balance, seq = :next',
                ConditionExpression: 'seq = :seq',
                ExpressionAttributeValues: { ':balance': balance, ':next': seq + 1, ':seq': seq },
              },
            },
            // The wallet's ledger has no kind for a lease: an adjustment out, naming the lease.
            ledgerPut(tableName, { walletId, at }, seq + 1, { amount: negate(leased), kind: 'adjustment', reference: `lease:${id}` }, balance),
            {
              Put: {
                TableName: tableName,
                Item: { pk, sk: 'LEASE', entity: 'lease', walletId, remaining: leased, seq: 1 },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: tableName, Item: leaseEntry(pk, 1, leased, 'lease_in', leased, `wallet:${walletId}`, at) } },
          ],
        }),
      );
      return { id, remaining: leased, seq: 1 };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Its lease already written: an earlier attempt committed and its answer was lost.
      const stored = (await db.send(new GetCommand({ TableName: tableName, Key: { pk, sk: 'LEASE' }, ConsistentRead: true }))).Item;
      if (stored) return { id, remaining: micros(Number(stored.remaining)), seq: Number(stored.seq) };
      // Another container's lease or order moved the wallet: the race every order ran before the group commit.
      if (performance.now() - started > TIME_BUDGET_MS) throw new DomainError('wallet_busy', 'Too many simultaneous requests on this balance; please retry');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5))));
    }
  }
}

/**
 * The books of a wallet and its leases: each account's balance is the sum of its entries, numbered 1..n without gaps,
 * every lease taken out of the wallet is one lease's first entry, and the lease's charges are the orders placed.
 */
export async function leaseBooksExact(db: DynamoDBDocumentClient, tableName: string, walletId: string, accepted: number): Promise<boolean> {
  const all = async (pages: AsyncIterable<{ Items?: Record<string, unknown>[] }>) => {
    const items: Record<string, unknown>[] = [];
    for await (const page of pages) items.push(...(page.Items ?? []));
    return items;
  };
  const account = async (pk: string, prefix: string) => {
    const entries = await all(
      paginateQuery(
        { client: db },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ConsistentRead: true,
        },
      ),
    );
    const gapless = entries.every((entry, i) => Number(entry.seq) === i + 1);
    return { entries, gapless, sum: entries.reduce((total, entry) => total + Number(entry.amount), 0) };
  };
  const wallet = (await db.send(new GetCommand({ TableName: tableName, Key: keys.wallet(walletId), ConsistentRead: true }))).Item;
  const walletBooks = await account(keys.wallet(walletId).pk, keys.ledgerPrefix);
  if (!wallet || !walletBooks.gapless || Number(wallet.balance) !== walletBooks.sum || Number(wallet.seq) !== walletBooks.entries.length) return false;
  const leaseItems = await all(
    paginateScan(
      { client: db },
      {
        TableName: tableName,
        FilterExpression: 'entity = :lease AND walletId = :wallet',
        ExpressionAttributeValues: { ':lease': 'lease', ':wallet': walletId },
        ConsistentRead: true,
      },
    ),
  );
  const transfers = walletBooks.entries.filter((entry) => String(entry.reference).startsWith('lease:'));
  if (transfers.length !== leaseItems.length) return false;
  let charges = 0;
  for (const lease of leaseItems) {
    const books = await account(String(lease.pk), 'ENTRY#');
    const transfer = transfers.find((entry) => `${String(lease.pk)}` === leasePk(walletId, String(entry.reference).slice('lease:'.length)));
    if (!books.gapless || Number(lease.remaining) !== books.sum || Number(lease.seq) !== books.entries.length) return false;
    // Its first entry is the wallet's transfer, every later one an order's charge.
    const [first, ...spent] = books.entries;
    if (!transfer || first?.kind !== 'lease_in' || Number(first.amount) !== -Number(transfer.amount)) return false;
    if (spent.some((entry) => entry.kind !== 'order_charge' || !(Number(entry.amount) < 0))) return false;
    charges += books.entries.filter((entry) => entry.kind === 'order_charge').length;
  }
  return charges === accepted;
}

// Balance leases (docs/wallet-concurrency.md, "Balance leases"): money a container holds back from its wallet, so
// that its orders are charged without writing the wallet item every other container of the wallet writes too.
//
// - Taking a lease moves money from the wallet's `balance` to its `held` in one arithmetic update conditioned on the
//   balance alone (no read, no sequence: takes never queue on the wallet's sequence), with the lease and its listing
//   on the wallet in the same transaction. The ledger sums to `balance` and `held`, so it does not move, and the
//   hold writes no entry: a customer's statement shows charges, not leases.
// - An order spends from the lease in one transaction with no read: the order (and its claims), the lease's money
//   and count of charges, conditioned on the count its holder last wrote, and the charge, kept under the lease.
// - Settling is a movement on the wallet (settleLeaseOnWallet): the lease's charges are numbered into the ledger as
//   `order_charge` entries, each with its own time, what it has left goes back to the balance and its amount out of
//   `held`. The lease is closed to spends first (a spend racing the settlement is either in it or refused, and its
//   holder places elsewhere), then settled and its listing removed in that transaction. A settler that stops between
//   the two leaves a closed lease, still counted in the balance, for the next settlement of it to finish.
//
// So the wallet's ledger stays one gapless sequence summing to the wallet's balance and held money, and every
// order's charge is in it once its lease settles. A lease's charges take their numbers after wallet entries written
// while it was open: an order of theirs is refunded only after its lease settles (settleLeaseOf), so no entry is
// numbered before one it follows from. The balance a customer has is the wallet's plus what its open leases have
// left (readVisibleBalance).
import { randomUUID } from 'node:crypto';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DomainError, isStoreBusy } from '../../shared/errors.js';
import { type Micros, micros, negate } from '../../shared/money.js';
import type { Order } from '../../orders/domain/orders.js';
import type { IdleLeases, OpenLease } from '../../wallets/ports.js';
import { keys } from './keys.js';
import { TABLE_DESIGN } from './table-design.js';
import { type TransactItem, settleLeaseOnWallet } from './wallet-transaction.js';

/**
 * At most this many charges a lease: its settlement writes them with the release, the wallet and the lease in one
 * transaction (at most 100 items).
 */
export const MAX_CHARGES_PER_LEASE = 90;
/** Settled leases and their charges are kept this long (the table's TTL), for audits of what a lease paid for. */
const SETTLED_KEPT_S = 90 * 24 * 3600;
const TIME_BUDGET_MS = 10_000;

/** A lease as its holder knows it: what it was given, and what its charges have left. */
export interface HeldLease {
  walletId: string;
  id: string;
  amount: Micros;
  remaining: Micros;
  /** Charges written so far: the condition of the next spend. */
  charges: number;
}

/** Whether the lease can pay for a charge of this much (its money, and room in its settlement). */
export const leaseCovers = (lease: HeldLease, charge: Micros): boolean => lease.remaining >= charge && lease.charges < MAX_CHARGES_PER_LEASE;

/**
 * Moves `amount` from the wallet's balance to a new lease, refused with insufficient_funds when the balance has less
 * (or the wallet does not exist). One transaction with no read and no sequence: the wallet update is an arithmetic one
 * conditioned on the balance alone, so takes never lose a race on the wallet's sequence; the ledger's sum (`balance`
 * and `held`) does not move, and no entry is written.
 */
export async function takeLease(db: DynamoDBDocumentClient, tableName: string, input: { walletId: string; amount: Micros; at: string }): Promise<HeldLease> {
  const { walletId, amount, at } = input;
  if (!(amount > 0)) throw new Error(`A lease holds money; asked for ${amount}`);
  const id = randomUUID();
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName,
                Key: keys.wallet(walletId),
                UpdateExpression: 'ADD balance :taken, held :amount, openLeases :one, leaseMoves :one',
                ConditionExpression: 'balance >= :amount',
                ExpressionAttributeValues: { ':taken': negate(amount), ':amount': amount, ':one': 1 },
              },
            },
            ...newLeaseItems(tableName, { walletId, id, amount, at }),
          ],
        }),
      );
      return { walletId, id, amount, remaining: amount, charges: 0 };
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const reasons = error.CancellationReasons ?? [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new DomainError('insufficient_funds', 'Not enough funds on balance');
        if (!reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) throw error;
      } else if (!isStoreBusy(error)) throw error;
      // Another transaction on the wallet, or throttling: nothing was written; again after a jittered pause.
      if (performance.now() - started > TIME_BUDGET_MS) throw busy();
      await sleep(Math.random() * Math.min(1_000, 10 * 2 ** Math.min(attempt, 7)));
    }
  }
}

/** A new lease and its listing on the wallet, written with the wallet's update. */
function newLeaseItems(tableName: string, lease: { walletId: string; id: string; amount: Micros; at: string }): TransactItem[] {
  const { walletId, id, amount, at } = lease;
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...keys.lease(walletId, id), entity: 'lease', walletId, leaseId: id, amount, remaining: amount, charges: 0, takenAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.walletLeaseListing(walletId, id),
          ...keys.openLeaseListing(at, walletId, id),
          entity: 'lease-listing',
          walletId,
          leaseId: id,
          takenAt: at,
        },
      },
    },
  ];
}

/**
 * Closes the lease to spends (its holder's last word on it, or a settlement's first step) and lists it with the closed
 * ones (the table's stream has it settled at once, the sweep first). A lease already closed, or settled, is left as it is.
 */
export async function closeLease(db: DynamoDBDocumentClient, tableName: string, input: { walletId: string; leaseId: string; at: string }): Promise<void> {
  const { walletId, leaseId, at } = input;
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: tableName,
              Key: keys.lease(walletId, leaseId),
              UpdateExpression: 'SET closedAt = :at',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(closedAt)',
              ExpressionAttributeValues: { ':at': at },
            },
          },
          {
            Update: {
              TableName: tableName,
              Key: keys.walletLeaseListing(walletId, leaseId),
              UpdateExpression: 'SET listPk = :closed',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':closed': keys.closedLeases },
            },
          },
        ],
      }),
    );
  } catch (error) {
    // Closed already (by its holder, a recall or a sweep), or settled: nothing to do.
    if (!(error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed'))) throw error;
  }
}

/**
 * Settles the lease: its hold back to the wallet, its charges numbered into the wallet's ledger, the lease closed.
 * Safe to call from anywhere at any time (its holder, a recall, a sweep): 'already_settled' when it was.
 */
export async function settleLease(
  db: DynamoDBDocumentClient,
  tableName: string,
  input: { walletId: string; leaseId: string; at: string },
): Promise<'settled' | 'already_settled'> {
  const { walletId, leaseId, at } = input;
  const started = performance.now();
  for (;;) {
    let lease = await readLease(db, tableName, walletId, leaseId);
    if (lease.settledAt !== undefined) return 'already_settled';
    if (lease.closedAt === undefined) {
      // Closed first, so that its holder's spends stop: a settlement that raced them would lose to each one.
      await closeLease(db, tableName, input);
      lease = await readLease(db, tableName, walletId, leaseId);
      if (lease.settledAt !== undefined) return 'already_settled';
    }
    const count = Number(lease.charges);
    const amount = micros(Number(lease.amount));
    // Closed, the lease takes no more charges, and every one it counts is committed (each was written with the count).
    const charges = await leaseCharges(db, tableName, walletId, leaseId);
    if (charges.length !== count) throw new Error(`Lease ${leaseId} lists ${charges.length} charges of ${count}`);
    const result = await settleLeaseOnWallet(db, tableName, {
      walletId,
      at,
      charges: charges.map((charge) => ({
        amount: micros(Number(charge.amount)),
        kind: 'order_charge' as const,
        reference: String(charge.reference),
        at: String(charge.at),
      })),
      released: micros(amount + charges.reduce((sum, charge) => sum + Number(charge.amount), 0)),
      companions: [
        {
          Update: {
            TableName: tableName,
            Key: keys.lease(walletId, leaseId),
            UpdateExpression: 'SET settledAt = :at, returned = remaining, remaining = :zero, expiresAt = :expires',
            ConditionExpression: 'attribute_not_exists(settledAt) AND charges = :count',
            ExpressionAttributeValues: { ':at': at, ':zero': 0, ':count': count, ':expires': Math.floor(Date.parse(at) / 1000) + SETTLED_KEPT_S },
          },
        },
        { Delete: { TableName: tableName, Key: keys.walletLeaseListing(walletId, leaseId) } },
      ],
    });
    if (result === 'applied') return 'settled';
    // Settled meanwhile by another (or by this one, its answer lost): read it again.
    if (performance.now() - started > TIME_BUDGET_MS) throw busy();
  }
}

/** Settles the lease that paid for the order, if one did and it is open: before a refund of it (see above). */
export async function settleLeaseOf(db: DynamoDBDocumentClient, tableName: string, order: Pick<Order, 'walletId' | 'leaseId'>, at: string): Promise<void> {
  if (order.leaseId) await settleLease(db, tableName, { walletId: order.walletId, leaseId: order.leaseId, at });
}

/** Settles every lease open on the wallet (a recall): their money is the wallet's again. Returns how many it settled. */
export async function recallLeases(db: DynamoDBDocumentClient, tableName: string, walletId: string, at: string): Promise<number> {
  const { listings } = await walletWithListings(db, tableName, walletId);
  let settled = 0;
  for (const listing of listings) if ((await settleLease(db, tableName, { walletId, leaseId: String(listing.leaseId), at })) === 'settled') settled++;
  return settled;
}

/**
 * A debit of the wallet, decided on the whole balance: refused for funds while leases hold money, it is tried again
 * once they are recalled.
 */
export async function withLeasesRecalled<T>(db: DynamoDBDocumentClient, tableName: string, walletId: string, at: string, debit: () => Promise<T>): Promise<T> {
  try {
    return await debit();
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'insufficient_funds')) throw error;
    if ((await recallLeases(db, tableName, walletId, at)) === 0) throw error;
    return debit();
  }
}

/** The balance a customer has: the wallet's and what its open leases have left, as of one instant. */
export async function readVisibleBalance(
  db: DynamoDBDocumentClient,
  tableName: string,
  walletId: string,
): Promise<{ wallet: Record<string, unknown>; balance: Micros; leased: Micros; openLeases: number } | undefined> {
  for (let attempt = 1; ; attempt++) {
    // The wallet counts its open leases in its own item: with none, its balance is all there is, in one read.
    const { Item: first } = await db.send(new GetCommand({ TableName: tableName, Key: keys.wallet(walletId), ConsistentRead: true }));
    if (!first) return undefined;
    if (!(Number(first.openLeases ?? 0) > 0)) return { wallet: first, balance: micros(Number(first.balance)), leased: micros(0), openLeases: 0 };
    const { wallet, listings } = await walletWithListings(db, tableName, walletId);
    if (!wallet) return undefined;
    let leased = 0;
    for (let i = 0; i < listings.length; i += 100) {
      const leaseKeys = listings.slice(i, i + 100).map((listing) => keys.lease(walletId, String(listing.leaseId)));
      for (const lease of await batchGet(db, tableName, leaseKeys)) leased += Number(lease.remaining);
    }
    // One Query is not a snapshot across items: a lease taken or settled between its reads of the wallet and of the
    // listings moves the wallet's count of lease moves (and a settlement with charges its sequence), so the same
    // counts read again after the leases mean none was.
    const { Item: again } = await db.send(
      new GetCommand({ TableName: tableName, Key: keys.wallet(walletId), ConsistentRead: true, ProjectionExpression: 'seq, leaseMoves' }),
    );
    if (Number(again?.seq) === Number(wallet.seq) && Number(again?.leaseMoves ?? 0) === Number(wallet.leaseMoves ?? 0)) {
      return { wallet, balance: micros(Number(wallet.balance) + leased), leased: micros(leased), openLeases: listings.length };
    }
    if (attempt >= 20) throw busy();
  }
}

/** The wallet item and its leases' listings, in one Query of its partition (`WALLET`, then `WALLET#LEASE#…`). */
async function walletWithListings(db: DynamoDBDocumentClient, tableName: string, walletId: string) {
  const items: Record<string, unknown>[] = [];
  const pages = paginateQuery(
    { client: db },
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :wallet)',
      ExpressionAttributeValues: { ':pk': keys.wallet(walletId).pk, ':wallet': keys.wallet(walletId).sk },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) items.push(...(page.Items ?? []));
  return { wallet: items.find((item) => item.sk === keys.wallet(walletId).sk), listings: items.filter((item) => item.entity === 'lease-listing') };
}

async function readLease(db: DynamoDBDocumentClient, tableName: string, walletId: string, leaseId: string): Promise<Record<string, unknown>> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.lease(walletId, leaseId), ConsistentRead: true }));
  if (!Item) throw new Error(`Lease ${leaseId} of wallet ${walletId} does not exist`);
  return Item;
}

async function leaseCharges(db: DynamoDBDocumentClient, tableName: string, walletId: string, leaseId: string) {
  const response = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.lease(walletId, leaseId).pk, ':prefix': keys.leaseChargePrefix },
      ConsistentRead: true,
    }),
  );
  // At most MAX_CHARGES_PER_LEASE small items: one page (1 MB) holds them.
  if (response.LastEvaluatedKey) throw new Error(`Lease ${leaseId} has more charges than one page`);
  return response.Items ?? [];
}

async function batchGet(db: DynamoDBDocumentClient, tableName: string, wanted: Record<string, string>[]): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let pending = wanted;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const response = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
    found.push(...(response.Responses?.[tableName] ?? []));
    pending = (response.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
    if (pending.length > 0) {
      if (attempt >= 10) throw busy();
      await sleep(Math.random() * 25 * 2 ** Math.min(attempt, 5));
    }
  }
  return found;
}

export function busy(): DomainError {
  return new DomainError('wallet_busy', 'Too many simultaneous requests on this balance; please retry');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** The leases of every wallet to settle (the listings on the admin-lists index): closed ones, then old ones. */
export class DynamoIdleLeases implements IdleLeases {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async toSettle(cutoff: string, limit: number): Promise<OpenLease[]> {
    const closed = await this.listed(keys.closedLeases, undefined, limit);
    return closed.length >= limit ? closed : [...closed, ...(await this.listed(keys.openLeases, cutoff, limit - closed.length))];
  }

  /** Listings of one kind, oldest first; open ones only when taken before the cutoff. */
  private async listed(listPk: string, cutoff: string | undefined, limit: number): Promise<OpenLease[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: TABLE_DESIGN.adminListsIndex.name,
        KeyConditionExpression: cutoff === undefined ? 'listPk = :pk' : 'listPk = :pk AND listSk < :cutoff',
        ExpressionAttributeValues: { ':pk': listPk, ...(cutoff === undefined ? {} : { ':cutoff': cutoff }) },
        Limit: limit,
      }),
    );
    // `<takenAt>#<walletId>#<leaseId>`: the time has no `#`, the lease id (a UUID) neither.
    return Items.map((item) => {
      const listSk = String(item.listSk);
      const first = listSk.indexOf('#');
      const last = listSk.lastIndexOf('#');
      return { takenAt: listSk.slice(0, first), walletId: listSk.slice(first + 1, last), leaseId: listSk.slice(last + 1) };
    });
  }

  settle(lease: OpenLease, at: string): Promise<'settled' | 'already_settled'> {
    return settleLease(this.db, this.tableName, { walletId: lease.walletId, leaseId: lease.leaseId, at });
  }
}

// Placing orders on one wallet from many containers at once (docs/wallet-concurrency.md, group commit). An order first
// writes its intent in the wallet's line of intents (a plain Put: nothing contends), then one container commits the
// pending intents in one TransactWriteItems conditioned on the wallet's sequence, as moveMoney's movements are: each
// intent is decided against the whole balance in intent order (one that does not fit is refused alone), its order,
// ledger entry (numbered in commit order) and companions written, and the intent deleted. The container whose intent
// is the oldest commits, and goes on committing while intents keep coming (a relay); the others look again about when
// their batch should be decided and read the outcome, and commit themselves only when the line seems stalled.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Order } from '../../orders/domain/orders.js';
import { DomainError, isStoreBusy } from '../../shared/errors.js';
import { type Micros, micros, negate } from '../../shared/money.js';
import { keys } from './keys.js';
import { activeOrdersRefusal } from './order-limits.js';
import { type TransactItem, ledgerPut } from './wallet-transaction.js';

const TIME_BUDGET_MS = 10_000;
const MAX_LOOKS = 2_000;
/**
 * A waiting container commits others' intents itself once the oldest intent has stayed the oldest this long (its
 * container gone): long enough for a slow commit of a full batch, or they would all cancel each other.
 */
const PATIENCE_MS = 2_000;
const PATIENCE_LOOKS = 200;
/**
 * A leader relays (commits after its own) while intents keep coming, but not once its request is this old, and not
 * more rounds than this: each round delays its own answer by a transaction. A long relay is what carries a busy
 * wallet (docs/wallet-concurrency.md): 32 containers on one wallet, relays of at most 2 rounds 268-302 orders/s, of
 * up to 1 s 331-367; with the read behind timed, up to 500 ms 310-354 against 367-375 for up to 1 s.
 */
const RELAY_ROUNDS = 50;
const RELAY_BEFORE_MS = 1_000;
/** A line read behind a commit older than this is not a relay's (its round starts as soon as the commit ends). */
const READ_BEHIND_FRESH_MS = 100;
/** After another container's intent was seen leading, a placer's first look is a cheap one for this long. */
const CONTENDED_FOR_MS = 1_000;
/** Pending intents read per round: a few more than one transaction holds (an intent may wait a round for a claim). */
const INTENTS_READ = 24;
const MAX_TRANSACT_ITEMS = 100;
/**
 * Intents per commit. A bigger transaction takes longer and holds every placer waiting; 20 (about 60 items) carries a
 * busy wallet's line of 32 containers in two commits.
 */
const MAX_BATCH = 20;
/** Intents a look reads (keys only): enough to tell whether this one is in the next commit or further back. */
const LOOK_LIMIT = 2 * MAX_BATCH + 1;
const REFUSAL_KEPT_S = 86_400;
/**
 * An intent older than this has no placer waiting (a placer answers busy after TIME_BUDGET_MS and takes its intent
 * back; API Gateway gives up at 29 s): a commit drops it, never charges it, so an order answered with an error or a
 * timeout is not charged minutes or days later, at the wallet's next order. Its TTL sweeps one no commit meets.
 */
const INTENT_EXPIRES_MS = 60_000;
/** TransactWriteItems takes 4 MB at most: a batch stops short of it, whatever the orders weigh (MAX_REQUEST_BYTES). */
const MAX_TRANSACT_BYTES = 3_500_000;

type Refusal = 'insufficient_funds' | 'active_orders_limit' | 'link_busy' | 'duplicate_request' | 'duplicate_order';
type Outcome = { placed: true } | { placed: false; refusal: Refusal | 'withdrawn' };

/**
 * The wallet as read: its balance, what its open leases hold (on the ledger, off the balance), its sequence, and how
 * many times leases were taken or settled (neither moves the sequence when no entry is written).
 */
interface WalletRead {
  balance: Micros;
  held: Micros;
  seq: number;
  leaseMoves: number;
}

interface Intent {
  sk: string;
  order: Order;
  maxActiveOrders?: number;
  /** Placed directly, never written: no intent item to delete or refusal to record. */
  direct?: true;
}

/** What this container knows of one wallet: its own waiting intents, the round under way, refusals found by a cancel. */
interface WalletLine {
  walletId: string;
  waiting: Set<string>;
  /** Outcomes of this container's intents decided here (a refusal of one is recorded nowhere else). */
  outcomes: Map<string, Outcome>;
  /** The commit under way here, if any. */
  round?: Promise<unknown>;
  forced: Map<string, Refusal>;
  /**
   * How long a commit takes here, its reads included when it makes them (a relay's round makes none) (moving average,
   * ms): how often a waiting container looks.
   */
  commitMs: number;
  /** The oldest pending intent last seen, since when and over how many looks: no progress means its container is gone. */
  oldest?: { sk: string; since: number; looks: number };
  /** How long an oldest intent stays the oldest here (moving average, ms): the pace of the wallet's commits. */
  progressMs: number;
  /** When another container's intent was last seen leading the line here (performance.now()). */
  contendedAt: number;
  /** How long a commit's transaction and a read of the line take here (moving averages, ms): when to read behind it. */
  transactMs: number;
  readMs: number;
  /**
   * How long after writing its intent a placer here finds its order placed, about four times in five (ms, tracked from
   * each first read after that wait): when to read the order rather than guess from the wallet's pace.
   */
  placedWithinMs: number;
  /**
   * What a relay's commit starts from: the pending intents read while the last commit here was in flight (those it
   * decided left out) and the wallet as that commit left it, when read (performance.now()). Used by the next relay
   * round only, and only while fresh: the commit's placer may have answered without relaying.
   */
  next?: { intents: Intent[]; more: boolean; wallet: WalletRead; readAt: number };
}

const lines = new WeakMap<DynamoDBDocumentClient, Map<string, WalletLine>>();

function lineOf(db: DynamoDBDocumentClient, tableName: string, walletId: string): WalletLine {
  let byWallet = lines.get(db);
  if (!byWallet) lines.set(db, (byWallet = new Map()));
  const key = `${tableName}/${walletId}`;
  let line = byWallet.get(key);
  if (!line)
    byWallet.set(
      key,
      (line = {
        walletId,
        waiting: new Set(),
        outcomes: new Map(),
        forced: new Map(),
        commitMs: 20,
        progressMs: 20,
        contendedAt: Number.NEGATIVE_INFINITY,
        transactMs: 15,
        readMs: 5,
        placedWithinMs: 30,
      }),
    );
  return line;
}

/** Whether this container saw another's orders on the wallet within the last `ms` (balance leases are for those). */
export function walletContendedWithin(db: DynamoDBDocumentClient, tableName: string, walletId: string, ms: number): boolean {
  const line = lines.get(db)?.get(`${tableName}/${walletId}`);
  return line !== undefined && performance.now() - line.contendedAt <= ms;
}

/** Places the order through its wallet's group commit; throws the order's refusal (a DomainError) when it was refused. */
export async function placeByGroupCommit(db: DynamoDBDocumentClient, tableName: string, order: Order, limit?: { maxActiveOrders: number }): Promise<void> {
  // Intent order is the order of writing, as near as a clock tells: the order's own createdAt was taken before its
  // reads and id, and two containers that each saw their own intent as the oldest would both commit (one canceled).
  const intentKey = keys.orderIntent(order.walletId, new Date().toISOString(), order.id);
  const intent: Intent = { sk: intentKey.sk, order, ...(limit ? { maxActiveOrders: limit.maxActiveOrders } : {}) };
  const line = lineOf(db, tableName, order.walletId);
  const started = performance.now();
  let outcome: Outcome | undefined;
  // A wallet nobody else was seen on lately: one transaction, as for any other movement, without an intent.
  if (!line.round && line.waiting.size === 0 && performance.now() - line.contendedAt > CONTENDED_FOR_MS)
    outcome = await placeDirectly(db, tableName, line, intent).catch((error) => {
      // Busy, or its answer lost (a 5xx or no answer left after the SDK's retries: the transaction may have been
      // applied): the line decides it, where an order already placed meets its own claim and is answered placed.
      if (isStoreBusy(error) || isOutcomeUnknown(error)) return undefined;
      throw error;
    });
  if (outcome) return answer(db, tableName, outcome, order, limit);
  let rewritten = false;
  try {
    rewritten = await writeIntent(db, tableName, intent, started);
    line.waiting.add(intent.sk);
    outcome = await awaitOutcome(db, tableName, line, intent, started, performance.now());
  } catch (error) {
    // Nothing may commit an order whose placer answered with an error (its Put too may have been written): take the
    // intent back, unless it was decided. A take-back that fails too leaves it for the next commit (see the docs).
    const failure = isStoreBusy(error) ? busy() : error;
    outcome =
      line.outcomes.get(intent.sk) ??
      (await withdraw(db, tableName, intent).catch(() => {
        throw failure;
      }));
    if (!outcome.placed && outcome.refusal === 'withdrawn') throw failure;
  } finally {
    line.waiting.delete(intent.sk);
    line.outcomes.delete(intent.sk);
    line.forced.delete(intent.sk);
  }
  // The Put sent again after a commit had taken the intent (the first answer lost) wrote it back: the order is
  // decided, so the copy goes now instead of waiting for the wallet's next commit to refuse it (no charge either way).
  if (rewritten) await dropIntent(db, tableName, intent).catch(() => undefined);
  return answer(db, tableName, outcome, order, limit);
}

async function dropIntent(db: DynamoDBDocumentClient, tableName: string, intent: Intent): Promise<void> {
  await db.send(new DeleteCommand({ TableName: tableName, Key: { pk: keys.walletIntents(intent.order.walletId), sk: intent.sk } }));
}

async function answer(db: DynamoDBDocumentClient, tableName: string, outcome: Outcome, order: Order, limit?: { maxActiveOrders: number }): Promise<void> {
  if (outcome.placed) return;
  // A refusal may be of a second copy of this intent (its Put's answer lost and the SDK's retry writing it again
  // after a commit had placed the order): the order found wins, as readOutcome rules for others' intents.
  if (await orderExists(db, tableName, order.id)) return;
  throw refusalError(outcome.refusal, order, limit);
}

/** A call whose effect is unknown: the service failed (5xx) or no answer came, after the SDK's own retries. */
function isOutcomeUnknown(error: unknown): boolean {
  const { name, $fault, $metadata } = error as { name?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'InternalServerError' || name === 'TimeoutError' || $fault === 'server' || ($metadata?.httpStatusCode ?? 0) >= 500;
}

/**
 * The order placed in one transaction on the wallet as read, when no intent waits in its line (undefined: the line
 * takes it, because intents wait or the wallet moved meanwhile). Refusals stand on the balance and counts read.
 */
async function placeDirectly(db: DynamoDBDocumentClient, tableName: string, line: WalletLine, intent: Intent): Promise<Outcome | undefined> {
  const walletId = line.walletId;
  const { pending, wallet } = await readLine(db, tableName, walletId, 1, true);
  if ((pending.Items ?? []).length > 0) {
    line.contendedAt = performance.now();
    return undefined;
  }
  const batch = await buildBatch(db, tableName, line, [{ ...intent, direct: true }], wallet, walletId);
  const outcome = batch.outcomes.get(intent.sk)!;
  if (!outcome.placed) return outcome;
  try {
    await db.send(new TransactWriteCommand({ TransactItems: batch.items.map((i) => i.item) }));
    return outcome;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = batch.items.filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed');
    // The wallet or a count moved on (another container): contended; the line takes this order and the next ones.
    if (failed.length === 0 || failed.some((entry) => entry.refuses === undefined)) {
      line.contendedAt = performance.now();
      return undefined;
    }
    return { placed: false, refusal: failed[0]!.refuses! };
  }
}

/** Writes the intent; true when the SDK sent the Put more than once and a later copy was written (see above). */
async function writeIntent(db: DynamoDBDocumentClient, tableName: string, intent: Intent, started: number): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      const written = await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: keys.walletIntents(intent.order.walletId),
            sk: intent.sk,
            entity: 'order-intent',
            orderId: intent.order.id,
            order: intent.order,
            expiresAt: Math.floor(Date.now() / 1000) + REFUSAL_KEPT_S,
            ...(intent.maxActiveOrders !== undefined ? { maxActiveOrders: intent.maxActiveOrders } : {}),
          },
          // An answer lost and the Put sent again finds its own intent: written all the same.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return (written.$metadata.attempts ?? 1) > 1;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      if (!isStoreBusy(error)) throw error;
      if (performance.now() - started > TIME_BUDGET_MS) throw busy();
      await sleep(backoff(attempt));
    }
  }
}

async function awaitOutcome(
  db: DynamoDBDocumentClient,
  tableName: string,
  line: WalletLine,
  intent: Intent,
  started: number,
  written: number,
): Promise<Outcome> {
  let busyLooks = 0;
  let waits = 0;
  let inBatch = false;
  let timed = false;
  for (let look = 1; ; look++) {
    const known = line.outcomes.get(intent.sk);
    if (known) {
      await relay(db, tableName, line, started);
      return known;
    }
    if (performance.now() - started > TIME_BUDGET_MS || look > MAX_LOOKS) throw busy();
    // One commit at a time per wallet in this container: it may decide this intent too.
    if (line.round) {
      await line.round.catch(() => undefined);
      continue;
    }
    let next: Next;
    try {
      // A first look commits at once if this intent leads (a lone container: no look before its commit); on a wallet
      // seen contended it is a cheap look, which also tells how far back in the line this intent is. After waiting
      // for the batch it was in, the order itself is read first: placed, that is the answer in one read.
      const leads = look === 1 && performance.now() - line.contendedAt > CONTENDED_FOR_MS;
      if (inBatch) {
        const placed = await readPlaced(db, tableName, line, intent, timed);
        inBatch = timed = false;
        if (placed) return { placed: true };
        // Decided by a commit of this container's meanwhile (another waiter's): its outcome is in the line.
        if (line.outcomes.has(intent.sk)) continue;
      }
      next = leads
        ? await runCommit(line, () => commitBatch(db, tableName, line, { leadFor: intent.sk }))
        : await lookAndCommit(db, tableName, line, intent.sk);
    } catch (error) {
      if (!isStoreBusy(error)) throw error;
      next = 'back_off';
    }
    if (next === 'again') continue;
    if (next === 'back_off') await sleep(backoff(++busyLooks));
    else if ('wait' in next) {
      // Commits take the line in order, MAX_BATCH at a time: an intent in the next batch looks again after about one
      // commit (its outcome, or it leads the next one); one further back, one commit for each batch before its own.
      // Every look is a read on the wallet's partition: a long wait (a stalled line) looks less often.
      // The first wait of an intent in the next batch lasts until this container's orders are usually placed.
      inBatch = next.wait < MAX_BATCH;
      timed = inBatch && waits === 0;
      const pace = Math.max(3, line.commitMs, line.progressMs / 2) * Math.min(4, 1 + waits++ / 8);
      if (timed) await sleep(written + line.placedWithinMs - performance.now());
      else await sleep(Math.min(250, pace * Math.max(1, Math.floor(next.wait / MAX_BATCH))) * (0.8 + Math.random() * 0.4));
    } else return next;
  }
}

/**
 * Whether the order is placed. After the timed first wait, read up to three times a few milliseconds apart before the
 * placer looks at the line again (its commit is most likely in flight: a look would find the intent still pending,
 * and its container might commit it a second time, canceled); that first read also moves the timing, a little
 * earlier when it found the order placed, four times as much later when not, so that about four reads in five find it.
 */
async function readPlaced(db: DynamoDBDocumentClient, tableName: string, line: WalletLine, intent: Intent, timed: boolean): Promise<boolean> {
  const reads = timed ? 3 : 1;
  for (let read = 0; read < reads; read++) {
    if (read > 0) {
      await sleep(Math.max(3, line.transactMs / 4));
      if (line.outcomes.has(intent.sk)) return false;
    }
    const placed = await orderPlaced(db, tableName, intent.order.id);
    if (timed && read === 0) line.placedWithinMs = placed ? Math.max(5, line.placedWithinMs - 0.4) : Math.min(250, line.placedWithinMs + 1.6);
    if (placed) return true;
  }
  return false;
}

/**
 * A container whose commit decided its own intent commits what was pending behind it, round after round while intents
 * keep coming (for a while), before it answers: the commits of a busy wallet follow each other without waiting for
 * the next intent's container to look (that container finds its intent decided). Each round is one transaction: the
 * line was read while the previous one was in flight, and the wallet is as that one left it. Costs this request a
 * few transactions; nothing fails for it.
 */
async function relay(db: DynamoDBDocumentClient, tableName: string, line: WalletLine, started: number): Promise<void> {
  for (let round = 0; round < RELAY_ROUNDS && relayGoesOn(line, started); round++) {
    // A failure is nobody's: this request has its answer, and the intents stay for their own containers.
    await runCommit(line, () => commitBatch(db, tableName, line, { relay: true })).catch(() => undefined);
  }
}

/** Intents were pending behind the last commit here, just read, and no other commit is under way here. */
function relayGoesOn(line: WalletLine, started: number): boolean {
  const now = performance.now();
  const next = line.next;
  return next !== undefined && next.intents.length > 0 && now - next.readAt <= READ_BEHIND_FRESH_MS && !line.round && now - started < RELAY_BEFORE_MS;
}

/**
 * An outcome, or what to do next: look again at once, wait for the commits ahead (`wait`: how many pending intents are
 * older than this one, as far as a look counts), or back off (busy).
 */
type Next = Outcome | 'again' | { wait: number } | 'back_off';

/**
 * A cheap look (one read, keys only: the pending intents no younger than this one, up to two batches' worth, which
 * tell whether it is decided and how far back it waits); only the container holding the oldest intent, or any once
 * that one stalls, reads the whole batch and commits it.
 */
async function lookAndCommit(db: DynamoDBDocumentClient, tableName: string, line: WalletLine, mySk: string): Promise<Next> {
  const { Items } = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :intent AND :mine',
      ExpressionAttributeValues: { ':pk': keys.walletIntents(line.walletId), ':intent': keys.intentPrefix, ':mine': mySk },
      ProjectionExpression: 'sk',
      ConsistentRead: true,
      Limit: LOOK_LIMIT,
    }),
  );
  const older = (Items ?? []).map((item) => String(item.sk));
  const rank = older.indexOf(mySk);
  if (rank < 0 && older.length < LOOK_LIMIT) {
    // Decided (commits take intents in order; one that waited a round for a claim may be passed): by a commit here
    // (its outcome is in the line once it ends) or elsewhere.
    if (line.round) await line.round.catch(() => undefined);
    return line.outcomes.get(mySk) ?? readOutcome(db, tableName, orderIdOf(mySk));
  }
  const oldest = older[0]!;
  const seen = noteOldest(line, oldest);
  // Patient for several of the commits seen so far as well: on a loaded store a full batch takes its time. The next
  // in line takes over a stalled batch (its container gone, or slow), each further one only after as many times the
  // patience as its place: one container takes over, not all at once (they would cancel each other, slowing the
  // store further).
  const patience = Math.min(2 * PATIENCE_MS, Math.max(PATIENCE_MS, 4 * line.progressMs));
  const stalled = rank > 0 && (performance.now() - seen.since > patience * rank || ++seen.looks > PATIENCE_LOOKS * rank);
  if (!line.waiting.has(oldest) && !stalled) return { wait: rank < 0 ? older.length : rank };
  if (line.round) return 'again';
  return runCommit(line, () => commitBatch(db, tableName, line, {}));
}

/** The oldest pending intent as seen now; when it changed, how long the last one stayed the oldest feeds progressMs. */
function noteOldest(line: WalletLine, sk: string): { sk: string; since: number; looks: number } {
  const now = performance.now();
  if (!line.waiting.has(sk)) line.contendedAt = now;
  if (line.oldest?.sk === sk) return line.oldest;
  if (line.oldest) line.progressMs = line.progressMs * 0.8 + (now - line.oldest.since) * 0.2;
  line.oldest = { sk, since: now, looks: 0 };
  return line.oldest;
}

/** Runs a commit as this container's one commit under way on the wallet. */
async function runCommit(line: WalletLine, commit: () => Promise<Next>): Promise<Next> {
  const round = commit();
  line.round = round;
  // Its failure is the waiter's that runs it; the others only wait for it to end.
  round.catch(() => undefined);
  try {
    return await round;
  } finally {
    line.round = undefined;
  }
}

/** The wallet and the oldest `limit` intents of its line (their keys only, when asked), read together. */
async function readLine(db: DynamoDBDocumentClient, tableName: string, walletId: string, limit: number, keysOnly = false) {
  const [pending, walletItem] = await Promise.all([
    readIntents(db, tableName, walletId, limit, keysOnly),
    db.send(new GetCommand({ TableName: tableName, Key: keys.wallet(walletId), ConsistentRead: true })),
  ]);
  if (!walletItem.Item) throw new DomainError('unknown_wallet', `Wallet ${walletId} does not exist`);
  const { balance, held, seq, leaseMoves } = walletItem.Item;
  return {
    pending,
    wallet: { balance: micros(Number(balance)), held: micros(Number(held ?? 0)), seq: Number(seq), leaseMoves: Number(leaseMoves ?? 0) },
  };
}

/** The oldest `limit` pending intents of the wallet's line (their keys only, when asked). */
function readIntents(db: DynamoDBDocumentClient, tableName: string, walletId: string, limit: number, keysOnly = false) {
  return db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :intent)',
      ExpressionAttributeValues: { ':pk': keys.walletIntents(walletId), ':intent': keys.intentPrefix },
      ...(keysOnly ? { ProjectionExpression: 'sk' } : {}),
      ConsistentRead: true,
      Limit: limit,
    }),
  );
}

/**
 * Reads the wallet and the pending intents, and commits them in one transaction. `leadFor`: a placer's first look,
 * which commits only if the oldest intent is this container's (a lone container commits without a cheap look first).
 * `relay`: a round of relay(), which starts from what the previous commit here read while it was in flight.
 */
async function commitBatch(db: DynamoDBDocumentClient, tableName: string, line: WalletLine, how: { leadFor?: string; relay?: true }): Promise<Next> {
  const { leadFor } = how;
  const walletId = line.walletId;
  const began = performance.now();
  const ahead = how.relay ? line.next : undefined;
  line.next = undefined;
  const { intents, more, wallet } = ahead ?? (await readPending(db, tableName, walletId));
  if (intents.length === 0) return 'again';
  if (leadFor !== undefined) {
    const lastRead = more ? intents[intents.length - 1]!.sk : undefined;
    if (!intents.some((i) => i.sk === leadFor) && !(lastRead !== undefined && leadFor > lastRead)) return 'again';
    const oldest = intents[0]!.sk;
    noteOldest(line, oldest);
    const rank = intents.findIndex((i) => i.sk === leadFor);
    if (!line.waiting.has(oldest)) return { wait: rank < 0 ? intents.length : rank };
  }
  const batch = await buildBatch(db, tableName, line, intents, wallet, walletId);
  // A commit deciding an intent of this container's (whose placer relays next, unless it answers otherwise or its
  // second is spent), or a relay's round: the line is read while the transaction is in flight, so that the next round
  // needs no read of the line or the wallet of its own.
  const relays = how.relay === true || [...batch.outcomes.keys()].some((sk) => line.waiting.has(sk));
  const sent = performance.now();
  const behind = relays ? readBehind(db, tableName, line, INTENTS_READ + batch.outcomes.size) : undefined;
  try {
    await db.send(new TransactWriteCommand({ TransactItems: batch.items.map((i) => i.item) }));
    line.transactMs = line.transactMs * 0.8 + (performance.now() - sent) * 0.2;
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    const failed = (i: number) => reasons[i]?.Code === 'ConditionalCheckFailed';
    // A stale read (the wallet, an intent or a count moved on): look again. Otherwise a companion refused its intent alone.
    if (batch.items.some((entry, i) => failed(i) && entry.refuses === undefined)) return 'again';
    const refused = batch.items.filter((entry, i) => failed(i) && entry.refuses !== undefined);
    for (const entry of refused) line.forced.set(entry.sk!, entry.refuses!);
    if (refused.length > 0) return 'again';
    if (reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded')) return 'back_off';
    throw error;
  }
  line.commitMs = line.commitMs * 0.8 + (performance.now() - began) * 0.2;
  for (const [sk, outcome] of batch.outcomes) if (line.waiting.has(sk)) line.outcomes.set(sk, outcome);
  const read = await behind;
  if (read)
    line.next = {
      // Read before or after this commit took its intents: those it decided are left out either way.
      intents: (read.Items ?? []).map(toIntent).filter((i) => !batch.outcomes.has(i.sk)),
      more: read.LastEvaluatedKey !== undefined,
      wallet: batch.wallet,
      readAt: performance.now(),
    };
  return 'again';
}

/**
 * The pending intents, read while a commit is in flight so as to end about when it ends: the later the read, the more
 * intents written meanwhile the next round takes (they would otherwise wait a round more). Measured A/B with the read
 * sent with the transaction: 32 containers on one wallet 343-344 -> 380-385 orders/s, 16 on one 193-208 -> 216-234.
 */
async function readBehind(db: DynamoDBDocumentClient, tableName: string, line: WalletLine, limit: number) {
  try {
    // A millisecond early rather than late: a read ending after the transaction holds the next round back.
    const lateBy = line.transactMs - line.readMs - 1;
    if (lateBy > 0) await sleep(lateBy);
    const sent = performance.now();
    const read = await readIntents(db, tableName, line.walletId, limit);
    line.readMs = line.readMs * 0.8 + (performance.now() - sent) * 0.2;
    return read;
  } catch {
    return undefined;
  }
}

/** The wallet and the oldest pending intents, read together for a commit. */
async function readPending(db: DynamoDBDocumentClient, tableName: string, walletId: string) {
  const { pending, wallet } = await readLine(db, tableName, walletId, INTENTS_READ);
  return { intents: (pending.Items ?? []).map(toIntent), more: pending.LastEvaluatedKey !== undefined, wallet };
}

export interface BatchItem {
  item: TransactItem;
  /** The intent this item belongs to, and the refusal its failed condition means (undefined: a stale read). */
  sk?: string;
  refuses?: Refusal;
}

async function buildBatch(
  db: DynamoDBDocumentClient,
  tableName: string,
  line: WalletLine,
  intents: Intent[],
  wallet: WalletRead,
  walletId: string,
): Promise<{ items: BatchItem[]; outcomes: Map<string, Outcome>; wallet: WalletRead }> {
  const counts = await activeCounts(db, tableName, intents);
  const items: BatchItem[] = [];
  const outcomes = new Map<string, Outcome>();
  const touched = new Set<string>();
  // Decided on the balance (what leases do not hold); each entry's balanceAfter is the ledger's sum, held money in.
  let balance = wallet.balance;
  let seq = wallet.seq;
  let latest = '';
  let refusedForFunds = false;
  // Wallet and counts come first in the transaction; each intent adds at most five items.
  const reserved = 1 + counts.size;
  const expiredBefore = new Date(Date.now() - INTENT_EXPIRES_MS).toISOString();
  let bytes = 0;
  for (const intent of intents) {
    if (reserved + items.length + 5 > MAX_TRANSACT_ITEMS || outcomes.size >= MAX_BATCH) break;
    const { order } = intent;
    // The order's item and a little for its ledger entry, claims and keys; the first intent always goes.
    const weight = JSON.stringify(order).length + 2_048;
    if (outcomes.size > 0 && bytes + weight > MAX_TRANSACT_BYTES) break;
    bytes += weight;
    if (writtenAtOf(intent.sk) < expiredBefore) {
      items.push({ item: deleteIntent(tableName, walletId, intent.sk) });
      outcomes.set(intent.sk, { placed: false, refusal: 'withdrawn' });
      continue;
    }
    const claims = [
      `order#${order.id}`,
      ...(order.requestId ? [`request#${order.ownerId}#${order.requestId}`] : []),
      ...(order.exclusiveLinkKey ? [`link#${order.exclusiveLinkKey}`] : []),
    ];
    // Two intents of one request or link cannot share a transaction (one item, two writes): the later waits a round.
    if (claims.some((c) => touched.has(c))) continue;
    const count = intent.maxActiveOrders !== undefined ? counts.get(order.ownerId) : undefined;
    const refusal: Refusal | undefined =
      line.forced.get(intent.sk) ??
      (count && intent.maxActiveOrders !== undefined && count.now >= intent.maxActiveOrders ? 'active_orders_limit' : undefined) ??
      (balance - order.charge < 0 ? 'insufficient_funds' : undefined);
    if (!intent.direct) items.push({ item: deleteIntent(tableName, walletId, intent.sk) });
    if (refusal === 'insufficient_funds') refusedForFunds = true;
    if (refusal) {
      // This container's own waiters learn the refusal from the round; others' read it from the record.
      if (!line.waiting.has(intent.sk)) items.push({ item: putRefusal(tableName, order, refusal) });
      outcomes.set(intent.sk, { placed: false, refusal });
      continue;
    }
    for (const c of claims) touched.add(c);
    balance = micros(balance - order.charge);
    seq += 1;
    if (count) count.now += 1;
    if (order.createdAt > latest) latest = order.createdAt;
    items.push(...placementItems(tableName, order, intent.sk));
    items.push({
      item: ledgerPut(
        tableName,
        { walletId, at: order.createdAt },
        seq,
        { amount: negate(order.charge), kind: 'order_charge', reference: `order:${order.id}` },
        micros(balance + wallet.held),
      ),
    });
    outcomes.set(intent.sk, { placed: true });
  }
  // A refusal for funds stands on the balance read: a lease settled since (which adds to the balance, and moves no
  // sequence when it had no charges; a relay's round may start from a read a second old) makes the commit read again.
  const unmoved = refusedForFunds ? ` AND ${wallet.leaseMoves > 0 ? 'leaseMoves = :moves' : 'attribute_not_exists(leaseMoves)'}` : '';
  const moves = refusedForFunds && wallet.leaseMoves > 0 ? { ':moves': wallet.leaseMoves } : {};
  const walletItem: TransactItem =
    seq > wallet.seq
      ? {
          Update: {
            TableName: tableName,
            Key: keys.wallet(walletId),
            // Added, not set, and covered by the balance as it is: a lease may be taken after the read (balance-lease.ts).
            UpdateExpression: 'SET seq = :next, updatedAt = :at ADD balance :spent',
            ConditionExpression: `seq = :seq AND balance >= :cost${unmoved}`,
            ExpressionAttributeValues: {
              ...moves,
              ':spent': micros(balance - wallet.balance),
              ':cost': micros(wallet.balance - balance),
              ':next': seq,
              ':seq': wallet.seq,
              ':at': latest,
            },
          },
        }
      : // Only refusals: they stand on the balance read, so the sequence must not have moved.
        {
          ConditionCheck: {
            TableName: tableName,
            Key: keys.wallet(walletId),
            ConditionExpression: `seq = :seq${unmoved}`,
            ExpressionAttributeValues: { ':seq': wallet.seq, ...moves },
          },
        };
  const countItems = [...counts].map(([ownerId, count]): BatchItem => ({ item: countItem(tableName, ownerId, count) }));
  return { items: [{ item: walletItem }, ...countItems, ...items], outcomes, wallet: { ...wallet, balance, seq } };
}

/** The active-orders counts of the owners whose intents are counted, as read now (the transaction checks them unchanged). */
async function activeCounts(db: DynamoDBDocumentClient, tableName: string, intents: Intent[]): Promise<Map<string, { read?: number; now: number }>> {
  const owners = [...new Set(intents.filter((i) => i.maxActiveOrders !== undefined).map((i) => i.order.ownerId))];
  const counts = new Map<string, { read?: number; now: number }>();
  await Promise.all(
    owners.map(async (ownerId) => {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.activeOrders(ownerId), ConsistentRead: true }));
      const read = Item?.count === undefined ? undefined : Number(Item.count);
      counts.set(ownerId, { ...(read !== undefined ? { read } : {}), now: read ?? 0 });
    }),
  );
  return counts;
}

function countItem(tableName: string, ownerId: string, count: { read?: number; now: number }): TransactItem {
  const unchanged = count.read === undefined ? 'attribute_not_exists(#count)' : '#count = :read';
  const values = count.read === undefined ? {} : { ':read': count.read };
  if (count.now === (count.read ?? 0))
    return {
      ConditionCheck: {
        TableName: tableName,
        Key: keys.activeOrders(ownerId),
        ConditionExpression: unchanged,
        ExpressionAttributeNames: { '#count': 'count' },
        ...(count.read === undefined ? {} : { ExpressionAttributeValues: values }),
      },
    };
  return {
    Update: {
      TableName: tableName,
      Key: keys.activeOrders(ownerId),
      UpdateExpression: 'SET entity = :entity, #count = :now',
      ConditionExpression: unchanged,
      ExpressionAttributeNames: { '#count': 'count' },
      ExpressionAttributeValues: { ...values, ':entity': 'active-orders', ':now': count.now },
    },
  };
}

/** The order's item as a placement writes it (refused if the order exists), with the keys of the lists it is in. */
function orderPlacementItem(tableName: string, order: Order): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.order(order.id),
        entity: 'order',
        ...order,
        openPk: keys.openOrders(order.providerId),
        openSk: order.id,
        ownerPk: keys.ownerOrders(order.ownerId),
        ownerSk: keys.ownerOrderSort(order.createdAt, order.id),
        // The admin API's order list (index admin-lists): orders by UTC day of creation.
        ...keys.adminListOrders(order.createdAt, order.id),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The order's own items: the order, and the claims of its request id and exclusive link, each refused if taken. */
export function placementItems(tableName: string, order: Order, sk: string): BatchItem[] {
  const items: BatchItem[] = [{ sk, refuses: 'duplicate_order', item: orderPlacementItem(tableName, order) }];
  if (order.requestId)
    items.push({
      sk,
      refuses: 'duplicate_request',
      item: {
        Put: {
          TableName: tableName,
          Item: { ...keys.idempotency('add', `${order.ownerId}#${order.requestId}`), entity: 'idempotency', orderId: order.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    });
  if (order.exclusiveLinkKey)
    items.push({
      sk,
      refuses: 'link_busy',
      item: {
        Put: {
          TableName: tableName,
          Item: { ...keys.exclusiveLink(order.exclusiveLinkKey), entity: 'exclusive-link', orderId: order.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    });
  return items;
}

function deleteIntent(tableName: string, walletId: string, sk: string): TransactItem {
  return { Delete: { TableName: tableName, Key: { pk: keys.walletIntents(walletId), sk }, ConditionExpression: 'attribute_exists(pk)' } };
}

function putRefusal(tableName: string, order: Order, refusal: Refusal): TransactItem {
  const expiresAt = Math.floor(Date.parse(order.createdAt) / 1000) + REFUSAL_KEPT_S;
  return { Put: { TableName: tableName, Item: { ...keys.orderRefusal(order.id), entity: 'order-refusal', orderId: order.id, refusal, expiresAt } } };
}

/** What became of an intent no longer pending: its order, its refusal, or neither (its placer took it back). */
async function readOutcome(db: DynamoDBDocumentClient, tableName: string, orderId: number): Promise<Outcome> {
  // The order first: most intents are placed, so one read answers. An order found wins over a refusal (an intent
  // written again after its commit, a retried Put, is refused as a duplicate); a refusal read after finding no order
  // is checked against the order once more by the placer (placeByGroupCommit).
  if (await orderPlaced(db, tableName, orderId)) return { placed: true };
  const refusal = await db.send(new GetCommand({ TableName: tableName, Key: keys.orderRefusal(orderId), ConsistentRead: true }));
  if (refusal.Item) return { placed: false, refusal: refusal.Item.refusal as Refusal };
  return { placed: false, refusal: 'withdrawn' };
}

async function orderPlaced(db: DynamoDBDocumentClient, tableName: string, orderId: number): Promise<boolean> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.order(orderId), ConsistentRead: true, ProjectionExpression: 'id' }));
  return Item !== undefined;
}

/** orderPlaced for the placer's last word: a store that cannot tell is the busy answer. */
function orderExists(db: DynamoDBDocumentClient, tableName: string, orderId: number): Promise<boolean> {
  return orderPlaced(db, tableName, orderId).catch((error) => {
    throw isStoreBusy(error) ? busy() : error;
  });
}

/** Takes the intent back, unless a commit decided it first: then that outcome. */
async function withdraw(db: DynamoDBDocumentClient, tableName: string, intent: Intent): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { pk: keys.walletIntents(intent.order.walletId), sk: intent.sk },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return { placed: false, refusal: 'withdrawn' };
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return readOutcome(db, tableName, intent.order.id);
      if (!isStoreBusy(error) || attempt >= 5) throw error;
      await sleep(backoff(attempt));
    }
  }
}

export function refusalError(refusal: Refusal | 'withdrawn', order: Order, limit?: { maxActiveOrders: number }): Error {
  switch (refusal) {
    case 'insufficient_funds':
      return new DomainError('insufficient_funds', 'Not enough funds on balance');
    case 'active_orders_limit':
      return activeOrdersRefusal(limit?.maxActiveOrders ?? 0);
    case 'link_busy':
      return new DomainError('link_busy', 'You have active order with this link. Please wait until order being completed.');
    case 'duplicate_request':
      return new DomainError('already_applied', `Request ${order.requestId} already placed an order`);
    case 'duplicate_order':
      return new DomainError('already_applied', `Order ${order.id} already exists`);
    case 'withdrawn':
      return busy();
  }
}

function toIntent(item: Record<string, unknown>): Intent {
  return {
    sk: String(item.sk),
    order: item.order as Order,
    ...(item.maxActiveOrders !== undefined ? { maxActiveOrders: Number(item.maxActiveOrders) } : {}),
  };
}

/** When the intent was written: its key is `INTENT#<ISO time>#<order id>`. */
function writtenAtOf(sk: string): string {
  return sk.slice(keys.intentPrefix.length, sk.lastIndexOf('#'));
}

function orderIdOf(sk: string): number {
  return Number(sk.slice(sk.lastIndexOf('#') + 1));
}

function busy(): DomainError {
  return new DomainError('wallet_busy', 'Too many simultaneous requests on this balance; please retry');
}

/** Full jitter, capped at 100 ms. */
function backoff(attempt: number): number {
  return Math.random() * Math.min(100, 5 * 2 ** Math.min(attempt, 5));
}

/** Waits `ms` (none when it is not positive: Node warns on a negative timeout). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

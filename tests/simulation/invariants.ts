// What must hold of the money flow whatever faults happened, read from the table's items after a run (simulation
// seeds, crash tests) and from what the outside world saw (the provider's book, the gateway, webhook receivers).
// Pure: the same input always gives the same violations, in the same order.
import { toOrder } from '../../lambdas/adapters/dynamodb/order-progress.js';
import { eventId } from '../../lambdas/events/from-stream.js';
import { wantsEvent } from '../../lambdas/notifications/domain/webhooks.js';
import { settle } from '../../lambdas/orders/domain/orders.js';
import { ZERO } from '../../lambdas/shared/money.js';

export interface InvariantInput {
  /** Every item of the table after the run (unmarshalled). */
  items: readonly Record<string, unknown>[];
  /** Every order the upstream provider(s) hold: the request id Codex sent (`codex-<orderId>`) when it sent one. */
  providerOrders: readonly { providerId: string; providerOrderId: string; requestId?: string }[];
  /** Codex top-up ids the payment gateway confirmed as paid (as the top-up items name them). */
  gatewayConfirmed: ReadonlySet<string>;
  /** Webhook deliveries that reached a reseller's receiver, with the event id (Standard Webhooks `webhook-id`) each carried. */
  webhookDeliveries: readonly { eventId: string; url?: string }[];
  /** Faults stopped and the world ran to quiet: every order must have ended or wait in the admin attention queue. */
  settled: boolean;
  /**
   * The events published on the bus, when the caller has them (duplicates allowed: consumers collapse them by id).
   * Without them, an order's events are the ones whose ids follow from its item (created, ended, the settlement's refund).
   */
  events?: readonly { id: string; type: string; data?: unknown }[];
  /**
   * Receivers (urls) that were down through the quiet phase. Only their dead-lettered events are excused; when absent,
   * every dead-lettered event is (the behaviour before this field).
   */
  receiversDownAtEnd?: ReadonlySet<string>;
  /** What the gateway confirmed each top-up paid (micros), when the caller knows: the credited deposit must match. */
  gatewayConfirmedAmounts?: ReadonlyMap<string, number>;
}

export interface Violation {
  invariant: string;
  subject: string;
  detail: string;
}

export const INVARIANTS = [
  'wallet.balance_is_ledger_sum',
  'wallet.never_negative',
  'wallet.ledger_sequence',
  'ledger.reference_exists',
  'order.charged_once',
  'order.refund_within_charge',
  'order.settlement_refund',
  'order.ended_when_settled',
  'order.intent_decided',
  'lease.accounted',
  'provider.order_at_most_once',
  'provider.holds_submitted_order',
  'provider.no_ghost_order',
  'topup.credited_at_most_once',
  'topup.credited_only_if_confirmed',
  'event.one_finalized_per_order',
  'webhook.delivered_per_event',
  'audit.admin_money_move',
] as const;
export type InvariantName = (typeof INVARIANTS)[number];

type Item = Record<string, unknown>;

interface Ledger {
  walletId: string;
  seq: number;
  kind: string;
  amount: number;
  balanceAfter: number;
  reference: string;
  at: string;
}

const ENDED_TYPES = ['order.completed', 'order.partial', 'order.canceled'] as const;
const endedType = (status: string) => `order.${status.toLowerCase()}`;

export function checkInvariants(input: InvariantInput): Violation[] {
  const out: Violation[] = [];
  const report = (invariant: InvariantName, subject: string, detail: string) => out.push({ invariant, subject, detail });
  const world = indexItems(input.items);
  checkWallets(world, report);
  checkLeases(world, report);
  checkOrders(world, input.settled, report);
  checkProvider(world, input, report);
  checkTopUps(world, input.gatewayConfirmed, input.gatewayConfirmedAmounts, report);
  checkEvents(world, input, report);
  checkAudit(world, report);
  return out;
}

type Report = (invariant: InvariantName, subject: string, detail: string) => void;

interface World {
  wallets: Map<string, Item>;
  ledgers: Map<string, Ledger[]>;
  orders: Map<number, Item>;
  topUps: Map<string, Item>;
  audits: Item[];
  /** Order ids waiting in the admin attention queue, with their reasons and since when. */
  attention: Map<number, { reason: string; since: string }[]>;
  /** Order ids with an ambiguous provider reading waiting for a later one (`READINGS#<providerId>`). */
  pendingReadings: Set<number>;
  webhooks: Map<string, Item>;
  deliveryRecords: Item[];
  /** The admin refunds' Idempotency-Key records (written in each refund's transaction), by order id. */
  adminRefunds: Map<number, { amount: number; at: string }[]>;
  /** Orders waiting in their wallet's group commit (order-intent items). */
  intents: Item[];
  /** Balance leases (balance-lease.ts), by `<walletId>/<leaseId>`, and the charges each keeps until it settles. */
  leases: Map<string, Item>;
  leaseCharges: Map<string, Ledger[]>;
}

function indexItems(items: readonly Item[]): World {
  const world: World = {
    wallets: new Map(),
    ledgers: new Map(),
    orders: new Map(),
    topUps: new Map(),
    audits: [],
    attention: new Map(),
    pendingReadings: new Set(),
    webhooks: new Map(),
    deliveryRecords: [],
    adminRefunds: new Map(),
    intents: [],
    leases: new Map(),
    leaseCharges: new Map(),
  };
  for (const item of items) {
    const sk = String(item.sk ?? '');
    switch (item.entity) {
      case 'wallet':
        world.wallets.set(String(item.id), item);
        break;
      case 'ledger': {
        const entry = toLedger(item);
        world.ledgers.set(entry.walletId, [...(world.ledgers.get(entry.walletId) ?? []), entry]);
        break;
      }
      case 'order':
        world.orders.set(Number(item.id), item);
        break;
      case 'top-up':
        world.topUps.set(String(item.id), item);
        break;
      case 'audit':
        world.audits.push(item);
        break;
      case 'idempotency':
        if (String(item.pk).startsWith('IDEMPOTENCY#admin-refund#')) {
          const id = Number(item.orderId);
          world.adminRefunds.set(id, [...(world.adminRefunds.get(id) ?? []), { amount: Number(item.amount), at: String(item.at) }]);
        }
        break;
      case 'attention':
        if (item.orderId !== undefined) {
          const id = Number(item.orderId);
          world.attention.set(id, [...(world.attention.get(id) ?? []), { reason: String(item.reason), since: String(item.since) }]);
        }
        break;
      case 'order-intent':
        world.intents.push(item);
        break;
      case 'lease':
        world.leases.set(`${String(item.walletId)}/${String(item.leaseId)}`, item);
        break;
      case 'lease-charge': {
        // `LEASE#<walletId>#<leaseId>`: the lease id is a UUID, so the last `#` ends the wallet id.
        const owner = String(item.pk).slice('LEASE#'.length);
        const cut = owner.lastIndexOf('#');
        const key = `${owner.slice(0, cut)}/${owner.slice(cut + 1)}`;
        world.leaseCharges.set(key, [
          ...(world.leaseCharges.get(key) ?? []),
          { ...toLedger({ ...item, walletId: owner.slice(0, cut) }), kind: 'order_charge' },
        ]);
        break;
      }
      case 'pending-reading':
        world.pendingReadings.add(Number(item.orderId));
        break;
      default:
        // Webhook items name themselves by `type`, not `entity`.
        if (sk === 'WEBHOOK') world.webhooks.set(String(item.userId), item);
        else if (sk.startsWith('WHDELIVERY#')) world.deliveryRecords.push(item);
    }
  }
  for (const entries of world.ledgers.values()) entries.sort((a, b) => a.seq - b.seq);
  return world;
}

function toLedger(item: Item): Ledger {
  return {
    walletId: String(item.walletId),
    seq: Number(item.seq),
    kind: String(item.kind),
    amount: Number(item.amount),
    balanceAfter: Number(item.balanceAfter),
    reference: String(item.reference),
    at: String(item.at),
  };
}

function checkWallets(world: World, report: Report): void {
  for (const [walletId, wallet] of world.wallets) {
    const entries = world.ledgers.get(walletId) ?? [];
    // The ledger sums to the balance and what the wallet's open balance leases hold (balance-lease.ts).
    const balance = Number(wallet.balance);
    const held = Number(wallet.held ?? 0);
    const sum = entries.reduce((total, e) => total + e.amount, 0);
    if (balance + held !== sum)
      report(
        'wallet.balance_is_ledger_sum',
        `wallet ${walletId}`,
        `balance ${balance} and held ${held} but its ${entries.length} ledger entries sum to ${sum}`,
      );
    if (balance < 0 || held < 0) report('wallet.never_negative', `wallet ${walletId}`, `balance ${balance}, held ${held}`);
    // The first break in the chain is reported; everything after it would repeat it.
    let running = 0;
    for (const [i, entry] of entries.entries()) {
      running += entry.amount;
      if (entry.balanceAfter < 0) report('wallet.never_negative', `wallet ${walletId}`, `entry ${entry.seq} left the balance at ${entry.balanceAfter}`);
      if (entry.seq !== i + 1) {
        report('wallet.ledger_sequence', `wallet ${walletId}`, `entry ${i + 1} carries seq ${entry.seq} (a gap or a repeat)`);
        break;
      }
      if (entry.balanceAfter !== running) {
        report(
          'wallet.ledger_sequence',
          `wallet ${walletId}`,
          `entry ${entry.seq} says balanceAfter ${entry.balanceAfter}, the entries up to it sum to ${running}`,
        );
        break;
      }
    }
    if (Number(wallet.seq) !== entries.length)
      report('wallet.ledger_sequence', `wallet ${walletId}`, `wallet seq ${Number(wallet.seq)} with ${entries.length} entries`);
  }
  for (const walletId of world.ledgers.keys()) {
    if (!world.wallets.has(walletId)) report('ledger.reference_exists', `wallet ${walletId}`, 'ledger entries of a wallet that does not exist');
  }
}

/**
 * Ledger entries by reference (`order:<id>`, `top-up:<id>`, ...), each with its wallet; with the charges of leases
 * not settled yet, which are the orders' charges until their lease numbers them into the ledger.
 */
function entriesByReference(world: World): Map<string, Ledger[]> {
  const byReference = new Map<string, Ledger[]>();
  const pending = [...world.leases].filter(([, lease]) => lease.settledAt === undefined).map(([key]) => world.leaseCharges.get(key) ?? []);
  for (const entries of [...world.ledgers.values(), ...pending]) {
    for (const entry of entries) byReference.set(entry.reference, [...(byReference.get(entry.reference) ?? []), entry]);
  }
  return byReference;
}

/**
 * Every lease holds money of its wallet's: an open one (closed to spends or not) has what it was given less its
 * charges, numbered 1..n, and counts in the wallet's `held` and `openLeases`; a settled one has nothing left and
 * returned what its charges did not spend, its charges numbered into the ledger (order.charged_once checks each
 * order's). A hold or a release is no ledger entry.
 */
function checkLeases(world: World, report: Report): void {
  const open = new Map<string, { held: number; count: number }>();
  for (const entries of world.ledgers.values())
    for (const entry of entries)
      if (entry.reference.startsWith('lease:')) report('lease.accounted', `wallet ${entry.walletId}`, `entry ${entry.seq} (${entry.kind}) names a lease`);
  for (const [key, lease] of world.leases) {
    const subject = `lease ${key}`;
    const amount = Number(lease.amount);
    const charges = (world.leaseCharges.get(key) ?? []).sort((a, b) => a.seq - b.seq);
    const spent = charges.reduce((sum, c) => sum + c.amount, 0);
    if (Number(lease.charges) !== charges.length || charges.some((c, i) => c.seq !== i + 1 || !(c.amount < 0)))
      report('lease.accounted', subject, `counts ${String(lease.charges)} charges, keeps ${charges.map((c) => c.seq).join(', ') || 'none'}`);
    if (lease.settledAt === undefined) {
      const walletId = String(lease.walletId);
      const sums = open.get(walletId) ?? { held: 0, count: 0 };
      open.set(walletId, { held: sums.held + amount, count: sums.count + 1 });
      if (Number(lease.remaining) !== amount + spent)
        report('lease.accounted', subject, `${String(lease.remaining)} left of ${amount} after charges of ${spent}`);
    } else if (Number(lease.remaining) !== 0 || Number(lease.returned) !== amount + spent) {
      report(
        'lease.accounted',
        subject,
        `settled with ${String(lease.returned)} returned of ${amount} after charges of ${spent}, ${String(lease.remaining)} left`,
      );
    }
  }
  for (const [walletId, wallet] of world.wallets) {
    const sums = open.get(walletId) ?? { held: 0, count: 0 };
    if (Number(wallet.held ?? 0) !== sums.held || Number(wallet.openLeases ?? 0) !== sums.count)
      report(
        'lease.accounted',
        `wallet ${walletId}`,
        `holds ${Number(wallet.held ?? 0)} in ${Number(wallet.openLeases ?? 0)} leases; its open leases hold ${sums.held} in ${sums.count}`,
      );
  }
}

function checkOrders(world: World, settled: boolean, report: Report): void {
  const byReference = entriesByReference(world);
  for (const [id, item] of world.orders) {
    const subject = `order ${id}`;
    const entries = byReference.get(`order:${id}`) ?? [];
    const charges = entries.filter((e) => e.kind === 'order_charge');
    const refunds = entries.filter((e) => e.kind === 'order_refund');
    const charge = Number(item.charge);
    if (charges.length !== 1) report('order.charged_once', subject, `${charges.length} charge entries in the ledger`);
    else if (charges[0]!.amount !== -charge || charges[0]!.walletId !== item.walletId)
      report(
        'order.charged_once',
        subject,
        `charge entry of ${charges[0]!.amount} on wallet ${charges[0]!.walletId}, the order says ${-charge} on ${String(item.walletId)}`,
      );
    const refunded = refunds.reduce((total, e) => total + e.amount, 0);
    if (refunded > charge || refunds.some((e) => e.amount <= 0))
      report('order.refund_within_charge', subject, `refunds ${refunds.map((e) => e.amount).join(' + ')} against a charge of ${charge}`);
    if (Number(item.refunded) !== refunded)
      report('order.refund_within_charge', subject, `order says ${Number(item.refunded)} refunded, the ledger ${refunded}`);

    const { atSettlement } = splitRefunds(world, id, refunds);
    if (item.phase === 'finalized') {
      const expected = expectedSettlementRefund(item);
      const got = atSettlement.reduce((total, e) => total + e.amount, 0);
      if (atSettlement.length > 1 || got !== expected)
        report('order.settlement_refund', subject, `settled ${String(item.status)} (remains ${String(item.remains)}): refund ${got}, expected ${expected}`);
    } else if (atSettlement.length > 0) {
      report('order.settlement_refund', subject, `refunded ${atSettlement.map((e) => e.amount).join(' + ')} while still ${String(item.phase)}`);
    }
    if (item.phase !== 'finalized' && settled && !waitsForAPerson(world, id, item)) {
      const reasons = (world.attention.get(id) ?? []).map((a) => a.reason);
      report(
        'order.ended_when_settled',
        subject,
        `still ${String(item.phase)} / ${String(item.status)} and ${reasons.length === 0 ? 'not in the attention queue' : `queued only for what no longer holds (${reasons.join(', ')})`}`,
      );
    }
  }
  // Every placement waits for its intent's outcome or takes it back: one still pending once all is quiet would be
  // charged whenever the wallet's next order comes.
  if (settled)
    for (const intent of world.intents)
      report('order.intent_decided', `order ${String(intent.orderId)}`, `its intent on wallet ${String(intent.pk).slice('WALLET#'.length)} is still pending`);
  for (const [reference, entries] of byReference) {
    const match = /^order:(\d+)$/.exec(reference);
    if (match && !world.orders.has(Number(match[1])))
      report('ledger.reference_exists', reference, `${entries.map((e) => `${e.kind} ${e.amount}`).join(', ')} for an order that does not exist`);
  }
}

const TERMINAL = new Set(['Completed', 'Partial', 'Canceled']);

/**
 * The open orders rightly left to a person, judged as order.ended_when_settled judges them: the simulation's quiet
 * phase must wait for every other open order (one queued for what no longer holds still has to end).
 */
export function ordersWaitingForAPerson(items: readonly Item[]): Set<number> {
  const world = indexItems(items);
  const waiting = new Set<number>();
  for (const [id, item] of world.orders) if (item.phase !== 'finalized' && waitsForAPerson(world, id, item)) waiting.add(id);
  return waiting;
}

/**
 * Whether an open order is rightly left to a person: an attention item whose reason still fits the order. A stale
 * item (an early transient mark) excuses nothing: an order at an ended status that was never finalized (its resume
 * lost, never swept) is a fault whatever was queued for it before.
 */
function waitsForAPerson(world: World, id: number, item: Item): boolean {
  const ended = TERMINAL.has(String(item.status));
  const progressAt = item.progressAt === undefined ? undefined : String(item.progressAt);
  return (world.attention.get(id) ?? []).some(({ reason, since }) => {
    switch (reason) {
      // An ambiguous reading no later one settled: its pending reading is still there.
      case 'ambiguous_status':
        return world.pendingReadings.has(id);
      // Sent, never confirmed, held for a person: still accepted and held (a resend or a cancel clears it).
      case 'unconfirmed_submission':
        return item.phase === 'accepted' && item.heldAt !== undefined;
      // Past its expected time and still going at the provider: time only adds to it.
      case 'overdue':
        return !ended;
      // An odd answer with no progress reported since it began.
      case 'unknown_status':
      case 'order_not_found':
        return !ended && (progressAt === undefined || progressAt <= since);
      default:
        return false;
    }
  });
}

/**
 * An order's refund entries told apart: those an admin made (each has its Idempotency-Key record, same amount and
 * time: the clock may not move between a settlement and a refund in a simulation) and the rest, the settlement's.
 */
function splitRefunds(world: World, orderId: number, refunds: Ledger[]): { byAdmin: Ledger[]; atSettlement: Ledger[] } {
  const rest = [...refunds];
  const byAdmin: Ledger[] = [];
  for (const marker of world.adminRefunds.get(orderId) ?? []) {
    const at = rest.findIndex((e) => e.amount === marker.amount && e.at === marker.at);
    if (at >= 0) byAdmin.push(...rest.splice(at, 1));
  }
  return { byAdmin, atSettlement: rest };
}

/** What the domain's settlement refunds for the order as it was settled (nothing refunded by hand before). */
function expectedSettlementRefund(item: Item): number {
  try {
    return settle({ ...toOrder(item), refunded: ZERO }).refund;
  } catch {
    return Number.NaN;
  }
}

function checkProvider(world: World, input: InvariantInput, report: Report): void {
  const held = new Set(input.providerOrders.map((o) => `${o.providerId}#${o.providerOrderId}`));
  const byRequest = new Map<string, typeof input.providerOrders>();
  for (const order of input.providerOrders) {
    if (order.requestId !== undefined) byRequest.set(order.requestId, [...(byRequest.get(order.requestId) ?? []), order]);
  }
  for (const [requestId, copies] of byRequest) {
    if (copies.length > 1)
      report('provider.order_at_most_once', requestId, `held ${copies.length} times: ${copies.map((o) => `${o.providerId}#${o.providerOrderId}`).join(', ')}`);
  }
  const named = new Set<string>();
  for (const [id, item] of world.orders) {
    if (item.externalOrderId === undefined) continue;
    const key = `${String(item.providerId)}#${String(item.externalOrderId)}`;
    named.add(key);
    if (!held.has(key)) report('provider.holds_submitted_order', `order ${id}`, `submitted as ${key}, which the provider does not hold`);
  }
  if (!input.settled) return;
  for (const order of input.providerOrders) {
    const key = `${order.providerId}#${order.providerOrderId}`;
    if (named.has(key)) continue;
    const codexId = order.requestId?.startsWith('codex-') ? Number(order.requestId.slice('codex-'.length)) : undefined;
    // An order whose submission nobody could confirm waits for a person, who finds it at the provider.
    if (codexId !== undefined && world.attention.get(codexId)?.some((a) => a.reason === 'unconfirmed_submission')) continue;
    const ours = codexId !== undefined ? world.orders.get(codexId) : undefined;
    const why = ours
      ? `order ${codexId} is ${String(ours.phase)} / ${String(ours.status)} with ${ours.externalOrderId === undefined ? 'no provider id' : `provider id ${String(ours.externalOrderId)}`}`
      : order.requestId === undefined
        ? 'no request id and no order names it'
        : 'no such order';
    report('provider.no_ghost_order', key, `the provider holds it (request ${order.requestId ?? 'none'}) but ${why}`);
  }
}

function checkTopUps(world: World, confirmed: ReadonlySet<string>, amounts: ReadonlyMap<string, number> | undefined, report: Report): void {
  const byReference = entriesByReference(world);
  const ids = new Set([...world.topUps.keys()]);
  for (const reference of byReference.keys()) {
    const match = /^top-up:(.+)$/.exec(reference);
    if (match) ids.add(match[1]!);
  }
  for (const id of ids) {
    const subject = `top-up ${id}`;
    const item = world.topUps.get(id);
    const deposits = byReference.get(`top-up:${id}`) ?? [];
    const bonuses = byReference.get(`bonus:top-up:${id}`) ?? [];
    if (!item) report('ledger.reference_exists', subject, `${deposits.length} deposit entries for a top-up that does not exist`);
    if (deposits.length > 1 || bonuses.length > 1) report('topup.credited_at_most_once', subject, `${deposits.length} deposits, ${bonuses.length} bonuses`);
    if (item && (item.creditedAt !== undefined) !== deposits.length > 0)
      report('topup.credited_at_most_once', subject, `creditedAt ${String(item.creditedAt)} with ${deposits.length} deposit entries`);
    if (item && deposits.length === 1 && Number(item.creditedAmount) !== deposits[0]!.amount)
      report('topup.credited_at_most_once', subject, `creditedAmount ${String(item.creditedAmount)}, deposit entry ${deposits[0]!.amount}`);
    if (bonuses.length > 0 && deposits.length === 0) report('topup.credited_at_most_once', subject, 'a bonus without its deposit');
    if (deposits.length > 0 && !confirmed.has(id))
      report('topup.credited_only_if_confirmed', subject, `credited ${deposits[0]!.amount} but the gateway never confirmed it`);
    else if (deposits.length > 0 && amounts?.has(id) && deposits[0]!.amount !== amounts.get(id))
      report('topup.credited_only_if_confirmed', subject, `credited ${deposits[0]!.amount} but the gateway confirmed ${amounts.get(id)}`);
  }
}

/** The orders' events: the published ones when given, else the ones whose ids follow from the items. */
function orderEvents(world: World, input: InvariantInput): { id: string; type: string; orderId: number; at: string }[] {
  if (input.events) {
    const seen = new Set<string>();
    const events: { id: string; type: string; orderId: number; at: string }[] = [];
    for (const event of input.events) {
      const orderId = (event.data as { orderId?: unknown } | undefined)?.orderId;
      if (typeof orderId !== 'number' || seen.has(event.id)) continue;
      seen.add(event.id);
      const at = (event as { at?: unknown }).at;
      events.push({ id: event.id, type: event.type, orderId, at: typeof at === 'string' ? at : '' });
    }
    return events;
  }
  const events: { id: string; type: string; orderId: number; at: string }[] = [];
  for (const [id, item] of world.orders) {
    events.push({ id: eventId(item, 'order.created'), type: 'order.created', orderId: id, at: String(item.createdAt) });
    if (item.phase !== 'finalized') continue;
    const at = String(item.finalizedAt);
    events.push({ id: eventId(item, `order.ended.${String(item.status)}`), type: endedType(String(item.status)), orderId: id, at });
    const refund = expectedSettlementRefund(item);
    if (refund > 0) events.push({ id: eventId(item, 'order.refunded', String(refund)), type: 'order.refunded', orderId: id, at });
  }
  return events;
}

function checkEvents(world: World, input: InvariantInput, report: Report): void {
  const events = orderEvents(world, input);
  // Every ended event any record shows (bus, delivery records, receivers), by order: two different ids are two endings.
  const endedIds = new Map<number, Set<string>>();
  const noteEnded = (orderId: number, id: string) => endedIds.set(orderId, (endedIds.get(orderId) ?? new Set()).add(id));
  for (const event of events) if ((ENDED_TYPES as readonly string[]).includes(event.type)) noteEnded(event.orderId, event.id);
  // The bus's own count, before delivery records and receivers add theirs: an ending they saw is not one published.
  const published = new Map([...endedIds].map(([orderId, ids]) => [orderId, ids.size]));
  for (const record of world.deliveryRecords) {
    if (!(ENDED_TYPES as readonly string[]).includes(String(record.eventType))) continue;
    const orderId = orderIdOfBody(record.body);
    if (orderId !== undefined) noteEnded(orderId, String(record.eventId));
  }
  const possibleEnded = new Map<string, number>();
  for (const id of world.orders.keys()) {
    const item = world.orders.get(id)!;
    for (const status of ['Completed', 'Partial', 'Canceled']) possibleEnded.set(eventId(item, `order.ended.${status}`), id);
  }
  for (const delivery of input.webhookDeliveries) {
    const orderId = possibleEnded.get(delivery.eventId);
    if (orderId !== undefined) noteEnded(orderId, delivery.eventId);
  }
  for (const [id, item] of world.orders) {
    const ids = endedIds.get(id) ?? new Set();
    if (ids.size > 1) report('event.one_finalized_per_order', `order ${id}`, `${ids.size} different ended events: ${[...ids].join(', ')}`);
    else if (item.phase === 'finalized' && input.settled && input.events && (published.get(id) ?? 0) === 0)
      report('event.one_finalized_per_order', `order ${id}`, `settled ${String(item.status)} but no ended event was published`);
    else if (item.phase !== 'finalized' && ids.size > 0)
      report('event.one_finalized_per_order', `order ${id}`, `an ended event for an order still ${String(item.phase)}`);
  }

  if (!input.settled) return;
  const delivered = new Set(input.webhookDeliveries.map((d) => d.eventId));
  // A dead-lettered event is excused only when its receiver was down to the end (when the caller says which were).
  const down = input.receiversDownAtEnd;
  const deadLettered = new Set(world.deliveryRecords.filter((r) => r.deadLettered === true).map((r) => String(r.eventId)));
  for (const event of events) {
    const order = world.orders.get(event.orderId);
    const webhook = order ? world.webhooks.get(String(order.ownerId)) : undefined;
    if (!order || !webhook || delivered.has(event.id)) continue;
    if (deadLettered.has(event.id) && (!down || down.has(String(webhook.url)))) continue;
    const events = Array.isArray(webhook.events) ? webhook.events.map(String) : undefined;
    if (!wantsEvent({ ...(events ? { events } : {}), disabled: webhook.disabled === true }, event.type)) continue;
    // Only events that happened while the endpoint was registered.
    if (event.at !== '' && String(webhook.createdAt) > event.at) continue;
    report('webhook.delivered_per_event', `order ${event.orderId}`, `${event.type} ${event.id} never reached ${String(webhook.url)}`);
  }
}

function orderIdOfBody(body: unknown): number | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const parsed = JSON.parse(body) as { data?: { order?: { id?: unknown }; orderId?: unknown; order_id?: unknown } };
    const id = parsed.data?.orderId ?? parsed.data?.order_id ?? parsed.data?.order?.id;
    return id === undefined ? undefined : Number(id);
  } catch {
    return undefined;
  }
}

function checkAudit(world: World, report: Report): void {
  // Admin refunds (splitRefunds) and adjustments, each matched to its audit entry by subject and time.
  const unmatched = new Map<string, number>();
  const take = (key: string) => unmatched.set(key, (unmatched.get(key) ?? 0) + 1);
  for (const audit of world.audits) {
    const after = (audit.after ?? {}) as Record<string, unknown>;
    if (audit.action === 'order.refunded') take(`order:${String(audit.subject)}@${String(audit.at)}`);
    if (audit.action === 'user.balance_adjusted') take(`adjustment:${String(after.idempotencyKey)}@${String(audit.at)}`);
  }
  const byReference = entriesByReference(world);
  const moves = [...byReference.values()].flat().filter((e) => e.kind === 'adjustment');
  for (const id of world.orders.keys()) {
    const refunds = (byReference.get(`order:${id}`) ?? []).filter((e) => e.kind === 'order_refund');
    moves.push(...splitRefunds(world, id, refunds).byAdmin);
  }
  for (const [id, markers] of world.adminRefunds) {
    const refunds = (byReference.get(`order:${id}`) ?? []).filter((e) => e.kind === 'order_refund');
    const missing = markers.length - splitRefunds(world, id, refunds).byAdmin.length;
    if (missing > 0) report('audit.admin_money_move', `order ${id}`, `${missing} admin refunds recorded without their ledger entry`);
  }
  for (const entry of moves) {
    const key = `${entry.reference}@${entry.at}`;
    const left = unmatched.get(key) ?? 0;
    if (left === 0)
      report('audit.admin_money_move', `wallet ${entry.walletId}`, `${entry.kind} ${entry.amount} (${entry.reference}, seq ${entry.seq}) has no audit entry`);
    else unmatched.set(key, left - 1);
  }
  for (const [key, left] of unmatched) {
    if (left > 0) report('audit.admin_money_move', key, `${left} audit entries of a money move the ledger does not have`);
  }
}

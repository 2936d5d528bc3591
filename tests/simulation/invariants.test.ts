// The invariants against a world the real stores and use cases wrote on DynamoDB Local (so the item shapes are the
// real ones), then against copies of it broken one way at a time: each break must be reported by its invariant.
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAdminOrders } from '../../lambdas/adapters/dynamodb/admin-orders.js';
import { DynamoAttentionMarks } from '../../lambdas/adapters/dynamodb/attention-marks.js';
import { DynamoAttentionQueue } from '../../lambdas/adapters/dynamodb/attention-queue.js';
import { type HeldLease, takeLease } from '../../lambdas/adapters/dynamodb/balance-lease.js';
import { spendFromLease } from '../../lambdas/adapters/dynamodb/lease-placement.js';
import { DynamoPendingReadings } from '../../lambdas/adapters/dynamodb/pending-readings.js';
import { DynamoTopUpStore } from '../../lambdas/adapters/dynamodb/top-up-store.js';
import { DynamoUsersAdminStore } from '../../lambdas/adapters/dynamodb/users-admin-store.js';
import { DynamoWebhookStore } from '../../lambdas/adapters/dynamodb/webhook-store.js';
import { adjustBalance } from '../../lambdas/admin/application/users-adjustments.js';
import { refundOrder } from '../../lambdas/admin/application/orders-admin.js';
import { eventsFromChange } from '../../lambdas/events/from-stream.js';
import { finalizeOrder } from '../../lambdas/orders/application/order-workflow-steps.js';
import { newOrder } from '../../lambdas/orders/domain/orders.js';
import { orderEventPayload } from '../../lambdas/notifications/domain/webhooks.js';
import { type Micros, parseMoney } from '../../lambdas/shared/money.js';
import type { PublishedEvent } from '../../lambdas/shared/ports.js';
import { createTestTable, orderServicesOn, TEST_SERVICE } from '../support/dynamo-table.js';
import { tableStream } from '../support/table-stream.js';
import { INVARIANTS, type InvariantInput, type InvariantName, checkInvariants, ordersWaitingForAPerson } from './invariants.js';

type Item = Record<string, unknown>;

let world: InvariantInput;
/** Order ids by what became of them. */
const ids = { completed: 0, partial: 0, canceled: 0, held: 0, ambiguous: 0 };
let topUpId = '';
let pendingTopUpId = '';

beforeAll(async () => {
  const table = await createTestTable();
  const stream = await tableStream(table.endpoint, table.tableName);
  const { services } = orderServicesOn(table);
  const now = () => new Date().toISOString();
  const owner = 'reseller-1';
  const walletId = 'wallet-1';
  await table.users.put({ id: owner, email: 'reseller@example.com', role: 'reseller', walletId, createdAt: now() });
  await table.wallets.openWallet({ id: walletId, ownerId: owner, currency: 'USD' }, now());
  const webhooks = new DynamoWebhookStore(table.db, table.tableName);
  await webhooks.put({
    userId: owner,
    url: 'https://receiver.example/hook',
    secret: 'v1.sealed',
    createdAt: now(),
    updatedAt: now(),
    health: { consecutiveFailures: 0 },
    disabled: false,
  });

  // Money in through a top-up the gateway confirmed; another left pending.
  const topUps = new DynamoTopUpStore(table.db, table.tableName);
  const topUp = (id: string) => ({
    id,
    ownerId: owner,
    walletId,
    amount: parseMoney('20'),
    currency: 'USD',
    method: 'demo' as const,
    status: 'pending' as const,
    createdAt: now(),
    updatedAt: now(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  topUpId = `tu_${Date.now().toString(16).padStart(12, '0')}0123456789abcdef`;
  pendingTopUpId = `tu_${Date.now().toString(16).padStart(12, '0')}fedcba9876543210`;
  await topUps.create(topUp(topUpId));
  await topUps.create(topUp(pendingTopUpId));
  await topUps.credit(topUp(topUpId), parseMoney('20'), 'paid', now());

  const place = async (quantity: number, lease?: HeldLease) => {
    const id = await table.allocator().next(owner);
    const order = newOrder(TEST_SERVICE, { ownerId: owner, walletId, link: `https://youtu.be/${id}`, quantity }, id, now());
    if (lease) expect(await spendFromLease(table.db, table.tableName, lease, order)).toBe('placed');
    else await table.orders.placeOrder(order);
    return order;
  };
  // Two balance leases: the partial order's, settled when the order is refunded; the ambiguous order's, still open.
  const leaseOf = (amount: string) => takeLease(table.db, table.tableName, { walletId, amount: parseMoney(amount), at: now() });
  const submit = async (id: number) => {
    await table.orders.beginSubmit(id, now());
    await table.orders.recordSubmitted({ id, providerId: 'demo' }, `ext-${id}`, now());
  };
  const completed = await place(1000);
  await submit(completed.id);
  await table.orders.recordProgress(completed.id, { status: 'Completed', remains: 0 }, now());
  await finalizeOrder(services, completed.id);
  const partial = await place(1000, await leaseOf('1.80'));
  await submit(partial.id);
  await table.orders.recordProgress(partial.id, { status: 'Partial', remains: 400 }, now());
  await finalizeOrder(services, partial.id);
  const canceled = await place(500);
  await table.orders.recordRejected(canceled.id, 'Incorrect service ID', now());
  await finalizeOrder(services, canceled.id);
  // Sent, never answered, left to a person: the provider holds it under its request id.
  const held = await place(200);
  await table.orders.beginSubmit(held.id, now());
  await table.orders.holdUnconfirmed(held.id, now());
  await new DynamoAttentionQueue(table.db, table.tableName).raise({ reason: 'unconfirmed_submission', orderId: held.id, since: now() });
  // In progress, then an ambiguous answer (Error) no later reading settled: marked for a person, its reading kept.
  const ambiguous = await place(300, await leaseOf('0.54'));
  await submit(ambiguous.id);
  await table.orders.recordProgress(ambiguous.id, { status: 'In progress', remains: 300 }, now());
  await new DynamoPendingReadings(table.db, table.tableName).hold({ orderId: ambiguous.id, providerId: 'demo', status: 'Canceled', firstSeenAt: now() });
  await new DynamoAttentionMarks(table.db, table.tableName).markAttention(ambiguous.id, 'ambiguous_status', now(), now());
  Object.assign(ids, { completed: completed.id, partial: partial.id, canceled: canceled.id, held: held.id, ambiguous: ambiguous.id });

  // Admin money moves: a refund by hand of the partial order, a balance adjustment.
  const admin = { caller: { userId: 'admin-sub', role: 'admin' as const, email: 'ops@example.com' }, sourceIp: '203.0.113.9' };
  const metrics = { record: () => undefined };
  await refundOrder({ admin: new DynamoAdminOrders(table.db, table.tableName), clock: { now: () => new Date() }, metrics }, admin, {
    orderId: partial.id,
    amount: '0.10',
    reason: 'goodwill',
    idempotencyKey: 'refund-1',
  });
  const users = new DynamoUsersAdminStore(table.db, table.tableName);
  await adjustBalance(
    { directory: users, adjustments: users, clock: { now: () => new Date() } },
    { userId: owner, amount: '-1.50', reason: 'chargeback', idempotencyKey: 'adjust-1' },
    { actor: 'admin-sub', actorRole: 'admin' },
  );

  // The events the stream gives, each delivered to the reseller's receiver and recorded as the consumer records it.
  const events: PublishedEvent[] = [];
  for (const record of await stream.next()) {
    const image = (value: unknown) => (value ? unmarshall(value as Record<string, AttributeValue>) : undefined);
    const oldImage = image(record.dynamodb?.OldImage);
    const newImage = image(record.dynamodb?.NewImage);
    events.push(...eventsFromChange({ ...(oldImage ? { oldImage } : {}), ...(newImage ? { newImage } : {}) }, { currency: 'USD' }));
  }
  stream.close();
  // order.needs_attention tells operators, not resellers.
  const orderEvents = events.filter((e) => e.type.startsWith('order.') && e.type !== 'order.needs_attention') as Parameters<typeof orderEventPayload>[0][];
  for (const [i, event] of orderEvents.entries()) {
    await webhooks.recordDelivery(owner, {
      id: `${Date.now().toString(36).padStart(9, '0')}${i.toString(16).padStart(10, '0')}`,
      eventId: event.id,
      type: event.type,
      at: now(),
      status: 200,
      latencyMs: 3,
      attempt: 1,
      body: JSON.stringify(orderEventPayload(event)),
    });
  }

  world = {
    items: await table.allItems(),
    providerOrders: [
      { providerId: 'demo', providerOrderId: `ext-${completed.id}`, requestId: `codex-${completed.id}` },
      { providerId: 'demo', providerOrderId: `ext-${partial.id}`, requestId: `codex-${partial.id}` },
      { providerId: 'demo', providerOrderId: `ext-${held.id}`, requestId: `codex-${held.id}` },
      { providerId: 'demo', providerOrderId: `ext-${ambiguous.id}`, requestId: `codex-${ambiguous.id}` },
    ],
    gatewayConfirmed: new Set([topUpId]),
    gatewayConfirmedAmounts: new Map([[topUpId, parseMoney('20')]]),
    webhookDeliveries: orderEvents.map((e) => ({ eventId: e.id, url: 'https://receiver.example/hook' })),
    settled: true,
    events,
  };
});

const orderKey = (id: number) => `ORDER#${String(id).padStart(12, '0')}`;
const isOrder = (id: number) => (item: Item) => item.entity === 'order' && item.sk === orderKey(id);
const isLedger = (kind: string, reference: string) => (item: Item) => item.entity === 'ledger' && item.kind === kind && item.reference === reference;

/** A copy of the world with its items changed. */
function withItems(change: (items: Item[]) => Item[], extra: Partial<InvariantInput> = {}): InvariantInput {
  return { ...world, items: change(world.items.map((item) => structuredClone(item))), ...extra };
}
const edit = (match: (item: Item) => boolean, fields: Item) => (items: Item[]) => items.map((item) => (match(item) ? { ...item, ...fields } : item));
const drop = (match: (item: Item) => boolean) => (items: Item[]) => items.filter((item) => !match(item));

describe('invariants', () => {
  it('finds nothing wrong in a world the real stores wrote', () => {
    expect(world.items.length).toBeGreaterThan(30);
    expect(checkInvariants(world)).toEqual([]);
  });

  it('finds nothing wrong either when it derives the events from the items instead of being given them', () => {
    const { events: _events, ...withoutEvents } = world;
    expect(checkInvariants(withoutEvents)).toEqual([]);
  });

  it('expects nothing of open orders, ghosts or webhooks while faults still run', () => {
    const running = withItems(
      drop((item) => item.entity === 'attention'),
      { settled: false, webhookDeliveries: [] },
    );
    expect(checkInvariants(running)).toEqual([]);
  });

  const breaks: [InvariantName, () => InvariantInput][] = [
    ['wallet.balance_is_ledger_sum', () => withItems(edit((item) => item.entity === 'wallet', { balance: Number(wallet().balance) + 1 }))],
    [
      'wallet.never_negative',
      () =>
        // A debit past zero, written consistently (balance, seq and entry agree): only the sign is wrong.
        withItems((items) => {
          const w = wallet();
          const amount = -(Number(w.balance) + 5);
          const seq = Number(w.seq) + 1;
          return [
            ...edit((item) => item.entity === 'wallet', { balance: -5, seq })(items),
            { ...ledgerEntry(1), sk: `LEDGER#${String(seq).padStart(12, '0')}`, seq, kind: 'adjustment', amount, balanceAfter: -5, reference: 'adjustment:x' },
          ];
        }),
    ],
    ['wallet.ledger_sequence', () => withItems(edit((item) => item.entity === 'ledger' && item.seq === 2, { seq: 9 }))],
    ['ledger.reference_exists', () => withItems(drop(isOrder(ids.canceled)))],
    [
      'order.charged_once',
      () =>
        withItems((items) => [
          ...items,
          { ...structuredClone(items.find(isLedger('order_charge', `order:${ids.completed}`))!), sk: 'LEDGER#000000000099', seq: 99 },
        ]),
    ],
    ['order.refund_within_charge', () => withItems(edit(isOrder(ids.partial), { refunded: 1 }))],
    // The partial order settled as if nothing had been delivered: refunded in full instead of for its remains.
    ['order.settlement_refund', () => withItems(edit(isOrder(ids.partial), { remains: 1000 }))],
    ['order.ended_when_settled', () => withItems(drop((item) => item.entity === 'attention'))],
    // An open lease with more left than its charges leave: money out of nowhere.
    ['lease.accounted', () => withItems(edit((item) => item.entity === 'lease' && item.settledAt === undefined, { remaining: 1 }))],
    // A wallet holding more than its open leases were given (its ledger sum still right): money set aside for nobody.
    [
      'lease.accounted',
      () => withItems(edit((item) => item.entity === 'wallet', { balance: Number(wallet().balance) - 1, held: Number(wallet().held ?? 0) + 1 })),
    ],
    // An order's intent left in its wallet's group commit, as a container that died before any commit leaves it.
    [
      'order.intent_decided',
      () =>
        withItems((items) => [
          ...items,
          { pk: `INTENTS#${String(wallet().id)}`, sk: 'INTENT#2026-01-05T09:00:00.000Z#000000000999', entity: 'order-intent', orderId: 999, order: {} },
        ]),
    ],
    [
      'provider.order_at_most_once',
      () => ({
        ...world,
        providerOrders: [...world.providerOrders, { providerId: 'demo', providerOrderId: 'ext-again', requestId: `codex-${ids.completed}` }],
      }),
    ],
    ['provider.holds_submitted_order', () => ({ ...world, providerOrders: world.providerOrders.filter((o) => o.requestId !== `codex-${ids.partial}`) })],
    // The refused order reached the provider after all: it delivers, and the customer got the money back.
    [
      'provider.no_ghost_order',
      () => ({ ...world, providerOrders: [...world.providerOrders, { providerId: 'demo', providerOrderId: 'ext-ghost', requestId: `codex-${ids.canceled}` }] }),
    ],
    [
      'topup.credited_at_most_once',
      () => withItems((items) => [...items, { ...structuredClone(items.find(isLedger('deposit', `top-up:${topUpId}`))!), sk: 'LEDGER#000000000098', seq: 98 }]),
    ],
    ['topup.credited_only_if_confirmed', () => ({ ...world, gatewayConfirmed: new Set([pendingTopUpId]) })],
    [
      'event.one_finalized_per_order',
      () => {
        const ended = world.events!.find((e) => e.type === 'order.completed')!;
        return { ...world, events: [...world.events!, { ...ended, id: 'evt_second_ending', type: 'order.canceled' }] };
      },
    ],
    ['webhook.delivered_per_event', () => ({ ...world, webhookDeliveries: world.webhookDeliveries.slice(1) })],
    ['audit.admin_money_move', () => withItems(drop((item) => item.entity === 'audit' && item.action === 'user.balance_adjusted'))],
  ];

  it.each(breaks)('reports %s', (name, broken) => {
    const violations = checkInvariants(broken());
    expect(violations.map((v) => v.invariant)).toContain(name);
    for (const violation of violations) expect(violation.subject.length * violation.detail.length).toBeGreaterThan(0);
  });

  it('tells an admin refund from the settlement even at the same instant (a simulation clock that did not move)', () => {
    const finalizedAt = world.items.find(isOrder(ids.partial))!.finalizedAt;
    const byHand = (item: Item) =>
      (item.entity === 'ledger' && item.kind === 'order_refund' && item.reference === `order:${ids.partial}` && item.amount === parseMoney('0.10')) ||
      (item.entity === 'audit' && item.action === 'order.refunded') ||
      String(item.pk).startsWith('IDEMPOTENCY#admin-refund#');
    expect(checkInvariants(withItems(edit(byHand, { at: finalizedAt })))).toEqual([]);
  });

  it('reports an admin refund without its audit entry', () => {
    const violations = checkInvariants(withItems(drop((item) => item.entity === 'audit' && item.action === 'order.refunded')));
    expect(violations.map((v) => v.invariant)).toEqual(['audit.admin_money_move']);
  });

  describe('an open order is excused only by an attention reason that still fits it', () => {
    const attentionOf = (id: number) => (item: Item) => item.entity === 'attention' && item.orderId === id;
    const ended = (violations: ReturnType<typeof checkInvariants>) =>
      violations.filter((v) => v.invariant === 'order.ended_when_settled').map((v) => v.subject);

    it('excuses the ambiguous order while its reading waits, and the held order while it is held', () => {
      expect(ended(checkInvariants(world))).toEqual([]);
    });

    it('does not excuse an order at an ended status its workflow never settled, whatever was queued before', () => {
      // The ambiguous order later read Completed, its resume lost and never swept: the early mark is stale.
      const stuck = withItems((items) =>
        drop((item) => String(item.pk).startsWith('READINGS#'))(edit(isOrder(ids.ambiguous), { status: 'Completed', remains: 0 })(items)),
      );
      expect(ended(checkInvariants(stuck))).toEqual([`order ${ids.ambiguous}`]);
      for (const reason of ['overdue', 'unknown_status', 'order_not_found']) {
        const marked = withItems((items) =>
          edit(attentionOf(ids.ambiguous), { reason })(edit(isOrder(ids.ambiguous), { status: 'Partial', remains: 10 })(items)),
        );
        expect(ended(checkInvariants(marked)), reason).toEqual([`order ${ids.ambiguous}`]);
      }
    });

    it('does not excuse an ambiguous_status mark once no reading waits', () => {
      expect(ended(checkInvariants(withItems(drop((item) => String(item.pk).startsWith('READINGS#')))))).toEqual([`order ${ids.ambiguous}`]);
    });

    it('does not excuse an unknown_status mark older than the progress reported since', () => {
      const order = world.items.find(isOrder(ids.ambiguous))!;
      const before = new Date(Date.parse(String(order.progressAt)) - 60_000).toISOString();
      const mark = (since: string) => withItems(edit(attentionOf(ids.ambiguous), { reason: 'unknown_status', since }));
      expect(ended(checkInvariants(mark(before)))).toEqual([`order ${ids.ambiguous}`]);
      expect(ended(checkInvariants(mark(String(order.progressAt))))).toEqual([]);
    });

    it('tells the simulation to keep waiting for an order queued for what no longer holds (seed 29)', () => {
      // The quiet phase ends once every open order is left to a person; a stale mark must not end it early.
      expect(ordersWaitingForAPerson(world.items)).toEqual(new Set([ids.ambiguous, ids.held]));
      const contradicted = withItems(drop((item) => String(item.pk).startsWith('READINGS#')));
      expect(ordersWaitingForAPerson(contradicted.items)).toEqual(new Set([ids.held]));
    });

    it('does not excuse an unconfirmed_submission mark once the order is no longer held', () => {
      const resent = withItems((items) => items.map((item) => (isOrder(ids.held)(item) ? (({ heldAt: _h, ...rest }) => rest)(item) : item)));
      expect(ended(checkInvariants(resent))).toEqual([`order ${ids.held}`]);
    });
  });

  it('reports a finalized order whose ended event was never published, though a receiver recorded it', () => {
    const ended = world.events!.find((e) => e.type === 'order.completed')!;
    const violations = checkInvariants({ ...world, events: world.events!.filter((e) => e.id !== ended.id) });
    expect(violations.map((v) => `${v.invariant} ${v.subject}`)).toContain(`event.one_finalized_per_order order ${ids.completed}`);
  });

  it('reports a top-up credited with another amount than the gateway confirmed', () => {
    const violations = checkInvariants({ ...world, gatewayConfirmedAmounts: new Map([[topUpId, parseMoney('2')]]) });
    expect(violations.map((v) => v.invariant)).toEqual(['topup.credited_only_if_confirmed']);
  });

  it('excuses a dead-lettered event only when its receiver was down to the end', () => {
    const missing = world.webhookDeliveries[0]!.eventId;
    const deadLettered = withItems(
      (items) => items.map((item) => (String(item.sk).startsWith('WHDELIVERY#') && item.eventId === missing ? { ...item, deadLettered: true } : item)),
      { webhookDeliveries: world.webhookDeliveries.slice(1) },
    );
    expect(checkInvariants({ ...deadLettered, receiversDownAtEnd: new Set(['https://receiver.example/hook']) })).toEqual([]);
    expect(checkInvariants({ ...deadLettered, receiversDownAtEnd: new Set() }).map((v) => v.invariant)).toEqual(['webhook.delivered_per_event']);
  });

  it('has a break for every invariant it checks', () => {
    expect([...new Set(breaks.map(([name]) => name))].sort()).toEqual([...INVARIANTS].sort());
  });

  it('refunds the undelivered part of the partial order, as the world wrote it', () => {
    const refunds = world.items.filter(isLedger('order_refund', `order:${ids.partial}`)).map((item) => item.amount as Micros);
    // 400 of 1,000 at 0.90 per 1,000 undelivered, then 0.10 by hand.
    expect(refunds.sort()).toEqual([parseMoney('0.10'), parseMoney('0.36')].sort());
  });
});

function wallet(): Item {
  return world.items.find((item) => item.entity === 'wallet')!;
}
function ledgerEntry(seq: number): Item {
  return structuredClone(world.items.find((item) => item.entity === 'ledger' && item.seq === seq)!);
}

// A seed's scenario: who acts (customers on /api/v1, resellers on /api/v2 with a webhook, an admin on /admin/v1) and
// what each does when, in virtual milliseconds from the start. Pure: the same seed always gives the same scenario.
// Actions at the same instant run at once (a burst). Orders are named by their actor and rank ("c1's 2nd order"),
// so a cancel still reads when the shrinker has dropped other actions (it is skipped when its order never existed).
import { type SimRandom, seededRandom } from './world/rng.js';

export type Api = 'v1' | 'v2';

export interface Actor {
  /** c1, c2, ... customers; r1, r2, ... resellers. */
  name: string;
  api: Api;
}

/** An order placed by `actor`, the `rank`-th (0-based) of those it placed that were accepted. */
export interface OrderRef {
  actor: string;
  rank: number;
}

export type Action =
  | { kind: 'topUp'; actor: string; amount: string }
  | { kind: 'order'; actor: string; serviceId: number; fields: Record<string, string>; idempotencyKey?: string }
  | { kind: 'cancel'; actor: string; order: OrderRef }
  | { kind: 'refill'; actor: string; order: OrderRef }
  | { kind: 'status'; actor: string; order: OrderRef }
  | { kind: 'adjust'; actor: string; amount: string; idempotencyKey: string }
  | { kind: 'refund'; order: OrderRef; amount: string; idempotencyKey: string }
  // A reseller's panel forwarding its customers' orders from several workers at once: each worker a Lambda container
  // of its own on the one wallet (the group commit's paths between containers), placing its share one at a time.
  | { kind: 'panel'; actor: string; workers: number; orders: { serviceId: number; fields: Record<string, string> }[] };

export interface TimedAction {
  /** Virtual milliseconds after the start. */
  at: number;
  action: Action;
}

export interface Scenario {
  seed: number;
  actors: Actor[];
  /** In time order; the index is the action's number in traces and shrinking. */
  actions: TimedAction[];
}

const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`).join('\n');

/** The simulation's catalogue (local/seed.ts DEMO_SERVICES): every service type, with the fields each needs. */
const ORDER_SHAPES: { serviceId: number; fields: (random: SimRandom, tag: string) => Record<string, string> }[] = [
  { serviceId: 1, fields: (r, t) => ({ link: `https://youtube.com/watch?v=${t}`, quantity: String(r.int(50, 400)) }) },
  { serviceId: 2, fields: (r, t) => ({ link: `https://instagram.com/${t}`, quantity: String(r.int(10, 300)) }) },
  { serviceId: 3, fields: (r, t) => ({ link: `https://tiktok.com/@${t}/video/1`, quantity: String(r.int(10, 500)) }) },
  { serviceId: 4, fields: (r, t) => ({ link: `https://t.me/${t}`, quantity: String(r.int(100, 400)) }) },
  { serviceId: 5, fields: (r, t) => ({ link: `https://instagram.com/p/${t}`, quantity: String(r.int(20, 100)), runs: String(r.int(2, 4)), interval: '5' }) },
  { serviceId: 6, fields: (_r, t) => ({ link: `https://instagram.com/stories/${t}` }) },
  { serviceId: 7, fields: (r, t) => ({ link: `https://instagram.com/p/${t}`, comments: lines('nice ', r.int(5, 8)) }) },
  { serviceId: 8, fields: (r, t) => ({ link: `https://instagram.com/p/${t}`, comments: lines('wow ', r.int(1, 4)) }) },
  { serviceId: 9, fields: (r, t) => ({ link: `https://instagram.com/p/${t}`, quantity: '100', usernames: lines('user', r.int(1, 3)) }) },
  { serviceId: 10, fields: (_r, t) => ({ link: `https://instagram.com/p/${t}`, quantity: '100', usernames: lines('user', 2), hashtags: '#one\n#two' }) },
  { serviceId: 11, fields: (r, t) => ({ link: `https://instagram.com/p/${t}`, usernames: lines('user', r.int(10, 15)) }) },
  { serviceId: 12, fields: (_r, t) => ({ link: `https://instagram.com/p/${t}`, quantity: '100', hashtag: '#travel' }) },
  { serviceId: 13, fields: (_r, t) => ({ link: `https://instagram.com/p/${t}`, quantity: '100', username: 'someone' }) },
  { serviceId: 14, fields: (_r, t) => ({ link: `https://instagram.com/p/${t}`, quantity: '100', media: `https://instagram.com/p/m${t}` }) },
  { serviceId: 15, fields: (r, t) => ({ link: `https://instagram.com/p/${t}`, quantity: String(r.int(20, 60)), username: 'commenter' }) },
  { serviceId: 16, fields: (r, t) => ({ link: `https://instagram.com/p/${t}`, username: 'commenter', comments: lines('reply ', r.int(5, 7)) }) },
  { serviceId: 17, fields: (r, t) => ({ link: `https://t.me/${t}/17`, quantity: String(r.int(50, 200)), answer_number: String(r.int(1, 4)) }) },
  { serviceId: 18, fields: (_r, t) => ({ link: `https://example.com/${t}`, quantity: '100', keywords: 'buy shoes\ncheap shoes' }) },
  { serviceId: 19, fields: (_r, t) => ({ link: `https://t.me/${t}`, quantity: '100', groups: 'https://t.me/a\nhttps://t.me/b' }) },
  { serviceId: 20, fields: (_r, t) => ({ username: `${t}.sub`, min: '50', max: '100', posts: '2', delay: '0' }) },
  { serviceId: 21, fields: (r, t) => ({ link: `https://youtube.com/live/${t}`, quantity: String(r.int(50, 100)) }) },
];

/** How long customers act (15 virtual minutes: the poller runs every minute of them, half a seed's time); then the quiet phase (the runner's) lets every order run its course. */
export const ACTIVE_MS = 15 * 60_000;
/** Actions fall on this grid, so that several often share an instant (a burst). */
const STEP_MS = 15_000;

const MAX_CUSTOMERS = 3;
const MAX_RESELLERS = 2;
const customer = (i: number): Actor => ({ name: `c${i + 1}`, api: 'v1' });
const reseller = (i: number): Actor => ({ name: `r${i + 1}`, api: 'v2' });

/** Every actor a scenario can name: the runner sets their accounts up once per process, and each seed uses its own. */
export const EVERY_ACTOR: readonly Actor[] = [
  ...Array.from({ length: MAX_CUSTOMERS }, (_, i) => customer(i)),
  ...Array.from({ length: MAX_RESELLERS }, (_, i) => reseller(i)),
];

export function scenarioFor(seed: number): Scenario {
  const random = seededRandom(seed).fork('scenario');
  const customers = random.int(1, MAX_CUSTOMERS);
  const resellers = random.int(1, MAX_RESELLERS);
  const actors: Actor[] = [...Array.from({ length: customers }, (_, i) => customer(i)), ...Array.from({ length: resellers }, (_, i) => reseller(i))];
  const actions: TimedAction[] = [];
  const at = (min: number, max: number) => random.int(Math.ceil(min / STEP_MS), Math.floor(max / STEP_MS)) * STEP_MS;
  let tag = 0;
  const orderAction = (actor: Actor): Action => {
    const shape = random.pick(ORDER_SHAPES);
    return {
      kind: 'order',
      actor: actor.name,
      serviceId: shape.serviceId,
      fields: shape.fields(random, `s${seed}o${++tag}`),
      ...(random.chance(0.15) ? { idempotencyKey: `idem-${actor.name}-${tag % 3}` } : {}),
    };
  };
  const ordersPlaced = new Map<string, number>();

  for (const actor of actors) {
    // Money first: an admin's credit, and often a top-up through the gateway (its callbacks come minutes later).
    actions.push({
      at: 0,
      action: { kind: 'adjust', actor: actor.name, amount: random.pick(['1.00', '4.00', '15.00', '40.00']), idempotencyKey: `fund-${actor.name}` },
    });
    if (random.chance(0.6)) actions.push({ at: 0, action: { kind: 'topUp', actor: actor.name, amount: random.pick(['3.00', '8.00', '25.00']) } });

    const count = random.int(1, 4);
    for (let i = 0; i < count; i++) {
      actions.push({ at: at(STEP_MS, (ACTIVE_MS * 5) / 6), action: orderAction(actor) });
      ordersPlaced.set(actor.name, (ordersPlaced.get(actor.name) ?? 0) + 1);
    }
    // A burst: several orders at one instant on a wallet that may pay for only some of them.
    if (random.chance(0.35)) {
      const when = at(ACTIVE_MS / 6, (ACTIVE_MS * 5) / 6);
      const burst = random.int(3, 8);
      for (let i = 0; i < burst; i++) actions.push({ at: when, action: orderAction(actor) });
      ordersPlaced.set(actor.name, (ordersPlaced.get(actor.name) ?? 0) + burst);
    }
    if (random.chance(0.3)) {
      actions.push({ at: at(STEP_MS, ACTIVE_MS), action: { kind: 'topUp', actor: actor.name, amount: random.pick(['2.00', '10.00']) } });
    }
    const placed = ordersPlaced.get(actor.name) ?? 0;
    const later = (): OrderRef => ({ actor: actor.name, rank: random.int(0, Math.max(0, placed - 1)) });
    if (random.chance(0.4)) actions.push({ at: at(ACTIVE_MS / 4, ACTIVE_MS), action: { kind: 'cancel', actor: actor.name, order: later() } });
    if (random.chance(0.3)) actions.push({ at: at(ACTIVE_MS / 2, ACTIVE_MS), action: { kind: 'refill', actor: actor.name, order: later() } });
    if (actor.api === 'v2' && random.chance(0.5)) actions.push({ at: at(STEP_MS, ACTIVE_MS), action: { kind: 'status', actor: actor.name, order: later() } });
    if (random.chance(0.25)) {
      const credit = random.chance(0.6);
      actions.push({
        at: at(STEP_MS, ACTIVE_MS),
        action: { kind: 'adjust', actor: actor.name, amount: credit ? '5.00' : '-2.50', idempotencyKey: `adj-${actor.name}-${random.int(1, 2)}` },
      });
    }
    if (random.chance(0.3)) {
      actions.push({
        at: at(ACTIVE_MS / 2, ACTIVE_MS),
        action: { kind: 'refund', order: later(), amount: random.pick(['0.01', '0.05', '1.00']), idempotencyKey: `refund-${actor.name}-${random.int(1, 2)}` },
      });
    }
    if (actor.api === 'v2' && random.chance(0.4)) {
      const orders = Array.from({ length: random.int(3, 10) }, () => {
        const shape = ORDER_SHAPES[random.int(0, 3)]!; // the default services: a link and a quantity
        return { serviceId: shape.serviceId, fields: shape.fields(random, `s${seed}o${++tag}`) };
      });
      actions.push({ at: at(STEP_MS, (ACTIVE_MS * 5) / 6), action: { kind: 'panel', actor: actor.name, workers: random.int(2, 4), orders } });
    }
  }
  // Stable order: by time, then as generated (the sort is stable).
  actions.sort((a, b) => a.at - b.at);
  return { seed, actors, actions };
}

/** One line naming an action, for traces. */
export function describeAction(action: Action): string {
  const ref = (o: OrderRef) => `${o.actor}#${o.rank}`;
  switch (action.kind) {
    case 'topUp':
      return `${action.actor} top-up ${action.amount}`;
    case 'order':
      return `${action.actor} order service ${action.serviceId} ${JSON.stringify(action.fields)}${action.idempotencyKey ? ` key ${action.idempotencyKey}` : ''}`;
    case 'cancel':
    case 'refill':
    case 'status':
      return `${action.actor} ${action.kind} ${ref(action.order)}`;
    case 'adjust':
      return `admin adjusts ${action.actor} by ${action.amount} (key ${action.idempotencyKey})`;
    case 'refund':
      return `admin refunds ${action.amount} of ${ref(action.order)} (key ${action.idempotencyKey})`;
    case 'panel':
      return `${action.actor}'s panel, ${action.workers} workers, places ${action.orders.map((o) => `service ${o.serviceId} ${JSON.stringify(o.fields)}`).join(', ')}`;
  }
}

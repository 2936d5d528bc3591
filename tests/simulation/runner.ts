// Runs seeds: one world per seed on one stack per process. Each seed resets the store, the workflow runner and the
// queues, seeds the catalogue and accounts again, fakes Date at a fixed start, then plays the scenario in virtual time
// (actions, the poller and sweeper as their schedules would run them, streams and queues drained each tick), turns
// faults off and runs the world quiet, and checks the invariants. Everything reaches Codex through the gateway's
// request handling (in process) or the schedules, as on AWS.
import './process-env.js';
import FakeTimers from '@sinonjs/fake-timers';
import { DEFAULT_TIER } from '../../lambdas/access/domain/tiers.js';
import { accountStore } from '../../lambdas/customers/wiring.js';
import { hashPassword } from '../../lambdas/customers/domain/password.js';
import { hashToken, newSecretToken } from '../../lambdas/customers/domain/tokens.js';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { usePlatform } from '../../lambdas/shared/platform.js';
import { invocations, loadFunction } from '../../local/functions.js';
import type { GatewayResponse } from '../../local/gateway.js';
import { DEMO_SERVICES, DEMO_PROVIDER_ID, DEMO_PROVIDER_SECRET_ID, DEMO_PROVIDER_CALLBACK_SECRET_ID } from '../../local/seed.js';
import { localServices, type LocalServices } from '../../local/services.js';
import { DEMO_PROVIDER_KEY, LOCAL_DEMO_GATEWAY_SECRET, type LocalStack, LOCAL_TABLE_NAME, REPO_ROOT, startLocalStack } from '../../local/stack.js';
import { pendingQuickTimers, reseedRandomness } from './determinism.js';
import { INVARIANTS, checkInvariants, ordersWaitingForAPerson, type Violation } from './invariants.js';
import { ACTIVE_MS, EVERY_ACTOR, type Action, type Actor, type OrderRef, type Scenario, describeAction, scenarioFor } from './scenario.js';
import { type GatewayCallback, type SimWorld, createWorld } from './world/index.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MemoryDynamo } from '../../local/dynamodb-memory/index.js';
import { ensureTableWith } from '../../local/dynamodb-local.js';
import { createDocumentClient } from '../../lambdas/adapters/dynamodb/client.js';
import { placeFromLeaseOrLine } from '../../lambdas/adapters/dynamodb/lease-placement.js';
import { BlockOrderIdAllocator } from '../../lambdas/adapters/dynamodb/order-id-allocator.js';
import { DynamoOrderStore } from '../../lambdas/adapters/dynamodb/order-store.js';
import { type PlaceOrderServices, placeOrder } from '../../lambdas/orders/application/place-order.js';
import { customerOrderServices } from '../../lambdas/orders/wiring.js';
import { isDomainError } from '../../lambdas/shared/errors.js';

/** The virtual clock's start: a fixed instant, so dates in items and answers replay alike. */
export const SIM_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);
const TICK_MS = 15_000;
const POLL_EVERY_MS = 60_000;
const SWEEP_EVERY_MS = 5 * 60_000;
/** The items that say whether an order is open or waits for a person (ordersWaitingForAPerson reads no others). */
const OPEN_ORDER_ENTITIES = new Set(['order', 'attention', 'pending-reading']);
/** The poller's and the sweeper's runs in the quiet phase, while an order is open. */
const QUIET_POLL_EVERY_MS = 2 * 3_600_000;
/** The quiet phase gives up here: an order still open then is a violation (order.ended_when_settled). */
const QUIET_LIMIT_MS = 36 * 3_600_000;
const PASSWORD = 'sim-password-2026';
/** The engine's fault for each DynamoDB fault kind of the world. */
const DB_FAULTS = { 'db.conflict': 'conflict', 'db.throttle': 'throttle', 'db.unprocessed': 'unprocessed', 'db.lost-answer': 'lost-answer' } as const;

export interface SeedResult {
  seed: number;
  violations: Violation[];
  trace: string[];
  faults: Record<string, number>;
  /** Invariants checked, by name (each once per seed). */
  checked: Record<string, number>;
  counts: { actions: number; orders: number; topUps: number; webhooks: number; settledByAdmin: number; leases: number; leasedOrders: number };
  /** How many of the scenario's actions ran (all, unless the shrinker kept fewer). */
  actions: number;
}

export interface RunOptions {
  /** Only these action indexes run (the shrinker's subsets); all when absent. */
  keep?: ReadonlySet<number>;
  /** A deliberate bug, to prove the harness catches one: credits every finalized order's refund a second time. */
  plantBug?: 'double-refund';
}

interface ActorState extends Actor {
  userId: string;
  walletId: string;
  email: string;
  token?: string;
  refreshToken?: string;
  /** When the access token was issued (virtual ms). */
  tokenAt: number;
  apiKey?: string;
  orders: number[];
}

/** What a seed's world holds while it runs; the stack's hooks delegate to it. */
interface World {
  seed: number;
  sim: SimWorld;
  /** The payment gateway's callbacks not yet delivered, by time. */
  callbacks: GatewayCallback[];
  /** How many of the fault log's entries the trace has shown. */
  faultsShown: number;
  trace: string[];
  actors: Map<string, ActorState>;
  adminToken: string;
  topUps: number;
  stepTurns: Map<string, number>;
  options: RunOptions;
  /** Orders the admin settled on the provider's word in the quiet phase (once each). */
  settledByPerson: Set<number>;
}

export class Simulation {
  private world: World | undefined;
  /** The store with the catalogue and every actor set up, and the actors' sessions and keys (setUp). */
  private base: { snapshot: ReturnType<MemoryDynamo['snapshot']>; actors: ReadonlyMap<string, ActorState> } | undefined;
  private passwordHash = '';
  /** Where this seed's events start on the local bus (it keeps every seed's). */
  private eventsFrom = 0;

  private constructor(
    readonly stack: LocalStack,
    private deps: LocalServices,
  ) {}

  static async start(): Promise<Simulation> {
    reseedRandomness(0);
    let current: Simulation | undefined;
    const stack = await startLocalStack({
      port: 0,
      store: 'memory',
      manualStreams: true,
      schedules: false,
      queuePolling: false,
      retryDelayMs: 0,
      waitDelayMs: 0,
      logLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'CRITICAL',
      fetch: (input, init) => current!.worldOf().sim.internet.fetch(input, init),
      wrapStep: (name, invoke, payload) => current!.wrapStep(name, invoke, payload),
      dropResume: () => current!.dropResume(),
    });
    // Every handler loaded now: a first import mid-seed would let the file system reorder the event loop.
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) await loadFunction(name, REPO_ROOT);
    current = new Simulation(stack, stack.deps);
    // Cheap to check at sign-in (the cost is in the stored hash); made once per process.
    current.passwordHash = await hashPassword(PASSWORD, { N: 2 ** 10, r: 8, p: 1 });
    // A short warm-up world: first uses (clients, keys, handlers' lazies) happen here, not in the first real seed.
    await current.run(0, { keep: new Set([0, 1, 2]) });
    return current;
  }

  async stop(): Promise<void> {
    await this.stack.stop();
  }

  private get store(): MemoryDynamo {
    return this.stack.memoryStore!;
  }

  private worldOf(): World {
    if (!this.world) throw new Error('No seed is running');
    return this.world;
  }

  private async wrapStep(name: FunctionName, invoke: () => Promise<unknown>, payload: unknown): Promise<unknown> {
    const world = this.worldOf();
    const orderId = (payload as { orderId?: number }).orderId;
    if (world.sim.faults.inject('workflow.crash-before-write', this.stepRandom(world, `before:${name}:${orderId}`), `${name} order ${orderId}`)) {
      throw Object.assign(new Error(`Simulated crash of ${name} before its write`), { name: 'SimulatedCrash' });
    }
    const result = await invoke();
    if (world.options.plantBug === 'double-refund' && name === 'finalizeOrder' && orderId !== undefined) await this.plantedDoubleRefund(orderId);
    if (world.sim.faults.inject('workflow.crash-after-write', this.stepRandom(world, `after:${name}:${orderId}`), `${name} order ${orderId}`)) {
      throw Object.assign(new Error(`Simulated crash of ${name} after its write`), { name: 'SimulatedCrash' });
    }
    return result;
  }

  private dropResume(): boolean {
    const world = this.worldOf();
    return world.sim.faults.inject('workflow.lost-resume', this.stepRandom(world, 'resume'));
  }

  /** A stream per step and order, numbered by its turn: the draws do not depend on how steps of other orders interleave. */
  private stepRandom(world: World, label: string) {
    const turn = (world.stepTurns.get(label) ?? 0) + 1;
    world.stepTurns.set(label, turn);
    return world.sim.random.fork(`${label}#${turn}`);
  }

  /** The planted bug: a second refund ledger entry for every order that settled with a refund (an adapter gone wrong). */
  private async plantedDoubleRefund(orderId: number): Promise<void> {
    const order = await this.deps.orders.getOrder(orderId);
    if (order?.phase !== 'finalized' || !order.refunded || order.refunded <= 0) return;
    await this.deps.wallets.credit({
      walletId: order.walletId,
      amount: order.refunded,
      kind: 'order_refund',
      reference: `order:${orderId}`,
      idempotencyKey: `planted-bug:${orderId}`,
      at: new Date().toISOString(),
    });
  }

  /** Runs one seed start to end and checks the invariants. */
  async run(seed: number, options: RunOptions = {}): Promise<SeedResult> {
    const scenario = scenarioFor(seed);
    // performance.now too: the group commit's patience and budgets count in it, and must replay alike (a seed's
    // virtual instant does not move while its actions run; looks are counted instead).
    const clock = FakeTimers.install({ toFake: ['Date', 'performance'], now: SIM_EPOCH });
    reseedRandomness(seed);
    try {
      const world = await this.openWorld(scenario, options);
      const kept = scenario.actions.map((timed, index) => ({ ...timed, index })).filter(({ index }) => !options.keep || options.keep.has(index));
      // The accounts exist before the story starts: faults begin with the first action.
      world.sim.faults.off();
      await this.setUp(world, scenario);
      world.sim.faults.on();

      // The active phase: every tick runs the actions and gateway callbacks due; every minute the poller runs (when
      // an order is open) and queued messages due are handed over; every five minutes the sweeper.
      let next = 0;
      for (let t = 0; t <= ACTIVE_MS; t += TICK_MS) {
        const due: typeof kept = [];
        while (next < kept.length && kept[next]!.at <= t) due.push(kept[next++]!);
        const minute = t % POLL_EVERY_MS === 0;
        if (due.length === 0 && !minute && (world.callbacks[0]?.deliverAt ?? Number.POSITIVE_INFINITY) > SIM_EPOCH + t) continue;
        this.advance(clock, t, world);
        if (due.length > 0) await this.refreshTokens(world);
        if (due.length > 0) await Promise.all(due.map((timed) => this.perform(world, timed.index, timed.action)));
        await this.deliverCallbacks(world);
        await this.settle();
        if (minute && this.openOrders().length > 0) await this.schedule('pollProviders', world);
        if (t % SWEEP_EVERY_MS === 0) await this.schedule('sweepOrders', world);
        this.showFaults(world);
      }

      // The quiet phase: faults off; time runs on until every order has ended (or waits for a person) and every
      // queued message and gateway callback is delivered. While orders are open the poller and the sweeper run every
      // two hours (a provider's orders take up to six; on AWS they run every minute, of which any is a fair sample
      // once nothing fails, and each run costs a seed time); otherwise time jumps to the next message or callback.
      world.sim.faults.off();
      this.store.injectFaults(undefined);
      world.trace.push(`${stamp()} faults off`);
      let settled = false;
      while (Date.now() <= SIM_EPOCH + QUIET_LIMIT_MS) {
        await this.personSettles(world);
        const open = this.openOrders().length > 0;
        const nextMessage = this.stack.queues.nextVisibleAt();
        const nextCallback = world.callbacks[0]?.deliverAt;
        if (!open && nextMessage === undefined && nextCallback === undefined) {
          settled = true;
          break;
        }
        const candidates = [open ? Date.now() + QUIET_POLL_EVERY_MS : undefined, nextMessage, nextCallback].filter((x): x is number => x !== undefined);
        this.advance(clock, Math.max(Date.now() + 1_000, Math.min(...candidates)) - SIM_EPOCH, world, false);
        await this.deliverCallbacks(world);
        await this.settle();
        if (this.openOrders().length > 0) {
          await this.schedule('pollProviders', world);
          await this.schedule('sweepOrders', world);
        }
        this.showFaults(world);
      }
      world.trace.push(`${stamp()} ${settled ? 'quiet' : `never quiet: ${await this.whyNotQuiet()}`}`);

      const items = await this.items();
      const violations = checkInvariants({
        items,
        providerOrders: world.sim.providerOrders(),
        gatewayConfirmed: world.sim.gateway.confirmed,
        webhookDeliveries: world.sim.receivers.deliveries(),
        settled: true,
        // The events this seed published; no receiver is down in the quiet phase, so no dead letter is excused.
        events: this.stack.events.events.slice(this.eventsFrom),
        receiversDownAtEnd: new Set(),
      });
      for (const v of violations) world.trace.push(`VIOLATION ${v.invariant} ${v.subject}: ${v.detail}`);
      const orders = items.filter((item) => item.entity === 'order').length;
      return {
        seed,
        violations,
        trace: world.trace,
        faults: world.sim.log.counts(),
        checked: Object.fromEntries(INVARIANTS.map((name) => [name, 1])),
        counts: {
          actions: kept.length,
          orders,
          topUps: world.topUps,
          webhooks: world.sim.receivers.deliveries().length,
          settledByAdmin: world.settledByPerson.size,
          // Balance leases taken, and the orders they paid for: how much of the money flow went through them.
          leases: items.filter((item) => item.entity === 'lease').length,
          leasedOrders: items.filter((item) => item.entity === 'order' && item.leaseId !== undefined).length,
        },
        actions: kept.length,
      };
    } finally {
      this.world = undefined;
      this.stack.workflow.reset();
      this.stack.queues.reset();
      clock.uninstall();
    }
  }

  private advance(clock: ReturnType<typeof FakeTimers.install>, t: number, world: World, quietTrace = true): void {
    clock.setSystemTime(SIM_EPOCH + t);
    // Ids drawn from here on depend on this seed and instant only, not on what ran before (a first seed in a process
    // warms caches the next ones find warm, and draws differently while it does).
    reseedRandomness(world.seed * 1_000_003 + t);
    if (quietTrace && t % 60_000 !== 0) return;
    world.trace.push(`${stamp()} clock`);
  }

  private async openWorld(scenario: Scenario, options: RunOptions): Promise<World> {
    if (this.base) this.store.restore(this.base.snapshot);
    else await this.resetStore();
    this.stack.workflow.reset();
    this.stack.queues.reset();
    const sim = createWorld({
      seed: scenario.seed,
      providers: [{ id: DEMO_PROVIDER_ID, apiKey: DEMO_PROVIDER_KEY, honoursRequestId: true }],
      gatewaySecret: LOCAL_DEMO_GATEWAY_SECRET,
    });
    sim.internet.register(new URL(this.stack.apiBase).host, (request) => this.viaGateway(request));
    usePlatform({ ...this.stack.platform, fetch: sim.internet.fetch, webhooks: sim.receivers });
    this.deps = localServices();
    this.eventsFrom = this.stack.events.events.length;
    const dbRandom = sim.random.fork('db');
    this.store.injectFaults(({ itemCount }) => {
      const kind = sim.faults.injectOne(['db.conflict', 'db.throttle', 'db.unprocessed', 'db.lost-answer'], dbRandom);
      // Which transaction item (or first batch entry left unprocessed) carries the fault.
      return kind === undefined ? undefined : { kind: DB_FAULTS[kind as keyof typeof DB_FAULTS], itemIndex: dbRandom.int(0, Math.max(0, itemCount - 1)) };
    });
    const adminToken = await this.stack.cognito.mintIdToken({ role: 'admin', email: 'sim-admin@codex.local', expiresInSeconds: 3 * 86_400 });
    this.world = {
      seed: scenario.seed,
      sim,
      callbacks: [],
      faultsShown: 0,
      trace: [`seed ${scenario.seed}`],
      actors: new Map(),
      adminToken,
      topUps: 0,
      stepTurns: new Map(),
      options,
      settledByPerson: new Set(),
    };
    return this.world;
  }

  /**
   * The seed's actors, as the process's base world has them: the catalogue and every actor a scenario can name
   * (EVERY_ACTOR) are set up once, at the first seed, and the store is restored to that state for each seed
   * (openWorld); an actor the seed does not name stays idle. The base's accounts, sessions and keys are made at the
   * same virtual instant as every seed's start, so each seed begins from the same state whichever ran before it.
   */
  private async setUp(world: World, scenario: Scenario): Promise<void> {
    if (!this.base) {
      await this.setUpEveryone(world);
      this.base = { snapshot: this.store.snapshot(), actors: new Map(world.actors) };
    }
    world.actors = new Map(scenario.actors.map((actor) => [actor.name, { ...this.base!.actors.get(actor.name)!, orders: [], tokenAt: Date.now() }]));
  }

  /** The catalogue, and each actor's verified account signed in (resellers with an API key and a webhook). */
  private async setUpEveryone(world: World): Promise<void> {
    const deps = this.deps;
    await deps.catalog.putProvider({
      id: DEMO_PROVIDER_ID,
      name: 'Simulated provider',
      apiUrl: world.sim.providerUrls.get(DEMO_PROVIDER_ID)!,
      keySecretId: DEMO_PROVIDER_SECRET_ID,
      callbackSecretId: DEMO_PROVIDER_CALLBACK_SECRET_ID,
      timeoutMs: 5_000,
      acceptsRequestId: true,
      enabled: true,
    });
    for (const service of DEMO_SERVICES) await deps.catalog.putService({ ...service, providerId: DEMO_PROVIDER_ID });
    const accounts = accountStore();
    const now = new Date();
    for (const actor of EVERY_ACTOR) {
      const state: ActorState = {
        ...actor,
        userId: `sim-${actor.name}`,
        walletId: `wallet-sim-${actor.name}`,
        email: `${actor.name}@sim.codex.local`,
        orders: [],
        tokenAt: Date.now(),
      };
      await accounts.create({
        id: state.userId,
        email: state.email,
        walletId: state.walletId,
        currency: deps.config.CURRENCY,
        name: actor.name,
        passwordHash: this.passwordHash,
        createdAt: now.toISOString(),
      });
      const verify = newSecretToken();
      await accounts.issueToken('verify-email', hashToken(verify), state.userId, new Date(now.getTime() + 3_600_000));
      await accounts.redeemToken('verify-email', hashToken(verify), { kind: 'verify-email' }, now);
      const login = await this.call('POST', '/api/v1/auth/login', { body: { email: state.email, password: PASSWORD } });
      if (login.status !== 200) throw new Error(`Setting up ${actor.name}: sign-in answered ${login.status} ${JSON.stringify(login.body)}`);
      state.token = login.body.accessToken;
      state.refreshToken = login.body.refreshToken;
      if (actor.api === 'v2') {
        const key = await this.call('POST', '/api/v1/api-keys', { token: state.token, body: { label: 'sim' } });
        if (key.status !== 201) throw new Error(`Setting up ${actor.name}: a key answered ${key.status} ${JSON.stringify(key.body)}`);
        state.apiKey = key.body.key;
        const hook = await this.call('PUT', '/api/v1/webhook', { token: state.token, body: { url: `https://hooks.${actor.name}.sim/codex` } });
        if (hook.status !== 201) throw new Error(`Setting up ${actor.name}: the webhook answered ${hook.status} ${JSON.stringify(hook.body)}`);
      }
      world.actors.set(actor.name, state);
    }
    void DEFAULT_TIER;
    await this.settle();
  }

  /**
   * A person works the attention queue in the quiet phase: an order its provider's answers cannot settle (a Partial
   * without remains, `ambiguous_status`) is settled with the admin API on what the provider's support would say, its
   * true status and remains; the invariants then check its settlement as any other.
   */
  private async personSettles(world: World): Promise<void> {
    const items = this.store.items(LOCAL_TABLE_NAME, OPEN_ORDER_ENTITIES);
    const waiting = [...ordersWaitingForAPerson(items)].filter((id) => !world.settledByPerson.has(id));
    if (waiting.length === 0) return;
    const queue = await this.call('GET', '/admin/v1/orders/attention?limit=100', { token: world.adminToken });
    if (queue.status !== 200) return;
    const held = new Map(world.sim.providers.flatMap((p) => p.heldOrders()).map((o) => [`${o.providerId}/${o.providerOrderId}`, o]));
    let settled = 0;
    for (const entry of queue.body.items as { reason: string; orderId?: number }[]) {
      if (entry.reason !== 'ambiguous_status' || entry.orderId === undefined || world.settledByPerson.has(entry.orderId)) continue;
      const order = items.find((item) => item.entity === 'order' && item.id === entry.orderId);
      const truth = order && held.get(`${order.providerId}/${order.externalOrderId}`);
      if (!truth || !['Completed', 'Partial', 'Canceled'].includes(truth.status)) continue;
      world.settledByPerson.add(entry.orderId);
      const body = { status: truth.status, ...(truth.status === 'Partial' ? { remains: truth.remains } : {}), reason: "provider's support" };
      const answer = await this.call('POST', `/admin/v1/orders/${entry.orderId}/settle`, { token: world.adminToken, body });
      world.trace.push(`${stamp()} admin settles order ${entry.orderId} ${JSON.stringify(body)} → ${brief(answer)}`);
      settled++;
    }
    if (settled > 0) await this.settle();
  }

  /** Access tokens last 15 minutes: each actor refreshes its session, one at a time, before it runs out. */
  private async refreshTokens(world: World): Promise<void> {
    for (const actor of world.actors.values()) {
      if (Date.now() - actor.tokenAt < 10 * 60_000) continue;
      const answer = await this.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: actor.refreshToken } });
      world.trace.push(`${stamp()} ${actor.name} refreshes its session → ${answer.status}`);
      if (answer.status !== 200) continue;
      actor.token = answer.body.accessToken;
      actor.refreshToken = answer.body.refreshToken;
      actor.tokenAt = Date.now();
    }
  }

  private async perform(world: World, index: number, action: Action): Promise<void> {
    const line = `${stamp()} #${index} ${describeAction(action)}`;
    const note = (answer: string): void => {
      world.trace.push(`${line} → ${answer}`);
    };
    const actor = 'actor' in action ? world.actors.get(action.actor)! : undefined;
    const orderOf = (ref: OrderRef) => world.actors.get(ref.actor)?.orders[ref.rank];
    switch (action.kind) {
      case 'topUp': {
        const created = await this.call('POST', '/api/v1/top-ups', { token: actor!.token!, body: { amount: action.amount, method: 'demo' } });
        if (created.status !== 201) return note(brief(created));
        world.topUps++;
        const topUp = created.body as { id: string; amount: string; currency: string; expiresAt: string };
        const { outcome, callbacks } = world.sim.gateway.checkout(topUp);
        world.callbacks.push(...callbacks);
        world.callbacks.sort((a, b) => a.deliverAt - b.deliverAt);
        return note(`201 ${topUp.id}; the payer ${outcome}; callbacks: ${callbacks.map((c) => `${c.kind} ${c.status}`).join(', ') || 'none'}`);
      }
      case 'order': {
        if (actor!.api === 'v1') {
          const answer = await this.call('POST', '/api/v1/orders', {
            token: actor!.token!,
            body: { service: action.serviceId, ...action.fields },
            ...(action.idempotencyKey ? { headers: { 'idempotency-key': action.idempotencyKey } } : {}),
          });
          if (answer.status === 201 && !actor!.orders.includes(answer.body.id)) actor!.orders.push(answer.body.id);
          return note(answer.status === 201 ? `201 order ${answer.body.id}` : brief(answer));
        }
        const answer = await this.v2(actor!, {
          action: 'add',
          service: String(action.serviceId),
          ...action.fields,
          ...(action.idempotencyKey ? { request_id: action.idempotencyKey } : {}),
        });
        if (typeof answer.body?.order === 'number' && !actor!.orders.includes(answer.body.order)) actor!.orders.push(answer.body.order);
        return note(brief(answer));
      }
      case 'cancel':
      case 'refill':
      case 'status': {
        const id = orderOf(action.order);
        if (id === undefined) return note('skipped: no such order');
        if (actor!.api === 'v1') {
          if (action.kind === 'status') return note(brief(await this.call('GET', `/api/v1/orders/${id}`, { token: actor!.token! })));
          return note(brief(await this.call('POST', `/api/v1/orders/${id}/${action.kind}`, { token: actor!.token! })));
        }
        const params: Record<string, string> = action.kind === 'cancel' ? { action: 'cancel', orders: String(id) } : { action: action.kind, order: String(id) };
        return note(brief(await this.v2(actor!, params)));
      }
      case 'adjust':
        return note(
          brief(
            await this.call('POST', `/admin/v1/users/${actor!.userId}/adjustments`, {
              token: world.adminToken,
              body: { amount: action.amount, reason: 'simulation adjustment' },
              headers: { 'idempotency-key': action.idempotencyKey },
            }),
          ),
        );
      case 'panel': {
        const workers = Array.from({ length: action.workers }, () => this.panelWorker());
        const answers: string[] = [];
        await Promise.all(
          workers.map(async (services, k) => {
            for (let i = k; i < action.orders.length; i += workers.length) {
              const { serviceId, fields } = action.orders[i]!;
              const input = { ownerId: actor!.userId, walletId: actor!.walletId, serviceId, link: fields.link!, quantity: Number(fields.quantity) };
              answers[i] = await placeOrder(services, input).then(
                ({ order }) => {
                  if (!actor!.orders.includes(order.id)) actor!.orders.push(order.id);
                  return `order ${order.id}`;
                },
                (error: Error) => (isDomainError(error) ? error.code : `${error.name}: ${error.message}`),
              );
            }
          }),
        );
        return note(answers.join(', '));
      }
      case 'refund': {
        const id = orderOf(action.order);
        if (id === undefined) return note('skipped: no such order');
        return note(
          brief(
            await this.call('POST', `/admin/v1/orders/${id}/refund`, {
              token: world.adminToken,
              body: { amount: action.amount, reason: 'simulation refund' },
              headers: { 'idempotency-key': action.idempotencyKey },
            }),
          ),
        );
      }
    }
  }

  /** A panel's worker: a container of its own, with its own DynamoDB client (its own wallet line) and id block. */
  private panelWorker(): PlaceOrderServices {
    const db = createDocumentClient({ region: 'us-east-1', requestHandler: this.store.requestHandler, retryDelayMs: 0 });
    return {
      ...customerOrderServices(),
      orders: new DynamoOrderStore(db, LOCAL_TABLE_NAME, placeFromLeaseOrLine),
      orderIds: new BlockOrderIdAllocator(db, LOCAL_TABLE_NAME, 10),
    };
  }

  private v2(actor: ActorState, params: Record<string, string>): Promise<Answer> {
    return this.call('POST', '/api/v2', { form: new URLSearchParams({ key: actor.apiKey!, ...params }).toString() });
  }

  /** One request through the gateway's handling, in process. */
  private async call(
    method: string,
    path: string,
    options: { body?: unknown; form?: string; raw?: string; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const text = options.raw ?? options.form ?? (options.body !== undefined ? JSON.stringify(options.body) : '');
    const headers: Record<string, string> = {
      host: new URL(this.stack.apiBase).host,
      ...(options.form !== undefined
        ? { 'content-type': 'application/x-www-form-urlencoded' }
        : options.body !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    };
    if (text) headers['content-length'] = String(Buffer.byteLength(text));
    const response = await this.stack.dispatch({ method, url: path, headers, body: async () => Buffer.from(text), sourceIp: '198.51.100.7' });
    return answerOf(response);
  }

  /** POSTs the payment gateway's callbacks that are due, one at a time, in time order. */
  private async deliverCallbacks(world: World): Promise<void> {
    while (world.callbacks.length > 0 && world.callbacks[0]!.deliverAt <= Date.now()) {
      const callback = world.callbacks.shift()!;
      const { request } = callback;
      const answer = await this.call(request.method, request.path, { raw: request.body, headers: request.headers });
      world.trace.push(`${stamp()} gateway callback ${callback.kind} ${callback.status} ${callback.topUpId} → ${brief(answer)}`);
    }
  }

  /** The faults injected since the last look, as trace lines. */
  private showFaults(world: World): void {
    const entries = world.sim.log.entries();
    for (; world.faultsShown < entries.length; world.faultsShown++) {
      const fault = entries[world.faultsShown]!;
      world.trace.push(`${stamp(fault.at)} fault ${fault.kind}${fault.detail ? ` ${fault.detail}` : ''}`);
    }
  }

  /** The simulated internet's way to Codex's own API (the demo gateway's callbacks). */
  private async viaGateway(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const body = Buffer.from(await request.arrayBuffer());
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    headers.host = url.host;
    const response = await this.stack.dispatch({
      method: request.method,
      url: `${url.pathname}${url.search}`,
      headers,
      body: async () => body,
      sourceIp: '203.0.113.9',
    });
    if (!response) throw new TypeError('fetch failed');
    return new Response(new Uint8Array(response.body), { status: response.status, headers: flatHeaders(response.headers) });
  }

  /** Runs a schedule's function once, as its rule would, then lets the world settle. */
  private async schedule(name: 'pollProviders' | 'sweepOrders', world: World): Promise<void> {
    PROFILE[name]++;
    await this.stack.runSchedule(name).catch((error: Error) => world.trace.push(`${stamp()} ${name} failed: ${error.message}`));
    await this.settle();
  }

  /** Orders neither settled nor waiting for a person. */
  private openOrders(): Record<string, unknown>[] {
    // Asked several times per tick; the table only changes with the store's version (reset on a new world).
    const cached = this.openCache;
    if (cached && cached.store === this.store && cached.version === this.store.version && cached.world === this.world) return cached.orders;
    const items = this.store.items(LOCAL_TABLE_NAME, OPEN_ORDER_ENTITIES);
    // Waiting for a person only while the attention item's reason still fits, as the invariants judge it: an order
    // queued early (a passing ambiguous reading, since contradicted) and still going must be waited for.
    const waiting = ordersWaitingForAPerson(items);
    const orders = items.filter((item) => item.entity === 'order' && item.phase !== 'finalized' && !waiting.has(item.id as number));
    this.openCache = { store: this.store, version: this.store.version, world: this.world, orders };
    return orders;
  }

  private openCache: { store: MemoryDynamo; version: number; world: World | undefined; orders: Record<string, unknown>[] } | undefined;

  /**
   * Delivers stream records and queued messages and lets workflow steps run, until a round moves nothing: no records,
   * no batches, no step in flight and no function invoked.
   */
  async settle(): Promise<void> {
    const t0 = performance.now();
    try {
      await this.settleInner();
    } finally {
      PROFILE.settleMs += performance.now() - t0;
      PROFILE.settles++;
    }
  }

  private async settleInner(): Promise<void> {
    let idleRounds = 0;
    let calls = invocationCount();
    for (let round = 0; round < 10_000 && idleRounds < 2; round++) {
      PROFILE.rounds++;
      const moved = (await this.pumpStreams()) + (await this.stack.queues.deliverDue());
      await turn();
      const now = invocationCount();
      if (moved === 0 && now === calls && this.stack.workflow.stepsInFlight() === 0 && pendingQuickTimers() === 0) idleRounds++;
      else idleRounds = 0;
      calls = now;
    }
  }

  private async whyNotQuiet(): Promise<string> {
    const open = this.openOrders().map((item) => `order ${item.id} ${item.phase}/${item.status}`);
    const queues = (['deliverWebhooks', 'sendNotificationEmails', 'recordNotifications', 'alertOperators'] as const)
      .map((name) => `${name} ${this.stack.queues.depth(name)}`)
      .join(', ');
    return `${open.join(', ') || 'no open order'}; queued: ${queues}; dead letters ${this.stack.queues.deadLetters.length}`;
  }

  private pumpStreams(): Promise<number> {
    return this.stack.pumpStreams();
  }

  private async items(): Promise<Record<string, unknown>[]> {
    return this.store.items(LOCAL_TABLE_NAME);
  }

  /** An empty table again, as the stack made it at its start. */
  private async resetStore(): Promise<void> {
    this.store.reset();
    const client = new DynamoDBClient({
      region: 'us-east-1',
      requestHandler: this.store.requestHandler as never,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      await ensureTableWith(client, LOCAL_TABLE_NAME);
    } finally {
      client.destroy();
    }
  }
}

interface Answer {
  status: number;
  body: any;
}

function answerOf(response: GatewayResponse | undefined): Answer {
  if (!response) return { status: 0, body: 'no answer' };
  const text = response.body.toString('utf8');
  const type = String(response.headers['content-type'] ?? '');
  if (type.includes('json') && text) {
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  }
  return { status: response.status, body: text };
}

/** The answer in a trace line: status and JSON body, cut short. */
function brief(answer: Answer): string {
  const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  return `${answer.status} ${body.length > 160 ? `${body.slice(0, 160)}…` : body}`;
}

function flatHeaders(headers: Record<string, string | string[]>): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
  return out;
}

function invocationCount(): number {
  let total = 0;
  for (const { calls } of invocations.values()) total += calls;
  return total;
}

/** Where a process's time went (settle calls and rounds, schedule runs), for tuning the simulation's speed. */
export const PROFILE = { settleMs: 0, settles: 0, rounds: 0, pollProviders: 0, sweepOrders: 0 };

/**
 * One turn of the event loop: a timer turn (≥ 1 ms) while a backoff timer is pending, so it fires first as it did
 * before; otherwise a check-phase turn, which lets I/O and immediates run without sleeping.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Virtual time since the seed's start, for trace lines. */
function stamp(at = Date.now()): string {
  const ms = at - SIM_EPOCH;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = ((ms % 60_000) / 1000).toFixed(3).padStart(6, '0');
  return `[${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${s}]`;
}

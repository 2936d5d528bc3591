import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PendingReading, ambiguousFor, isAmbiguous, judgeReading } from '../../lambdas/orders/domain/ambiguous-readings.js';
import { type StatusMapping, isTerminal, readProviderWord, statusMappingOf } from '../../lambdas/orders/domain/order-status.js';
import { readStatusAnswer } from '../../lambdas/catalog/domain/status-answer.js';
import type { Order, ProviderProgress } from '../../lambdas/orders/domain/orders.js';
import { type ReportServices, applyStatusReport, dropOverruledReadings } from '../../lambdas/orders/application/status-reports.js';

const order = { id: 7, providerId: 'demo' };
const settings = { confirmAfterMs: 30_000 };
const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds));
const read = (answer: Record<string, unknown>) => readStatusAnswer(answer);

describe('ambiguous provider readings', () => {
  it('takes Error, Fail and Failed as doubtful cancels, and Canceled, Refunded or Rejected at their word', () => {
    for (const word of ['Error', 'fail', 'FAILED', 'error ']) expect(readProviderWord(word), word).toEqual({ status: 'Canceled', doubtful: true });
    for (const word of ['Canceled', 'Cancelled', 'Refunded', 'Rejected', 4])
      expect(readProviderWord(word), String(word)).toEqual({ status: 'Canceled', doubtful: false });
    expect(read({ status: 'Error' })).toEqual({ status: 'Canceled', doubtful: true });
    expect(read({ status: 'Canceled', remains: '100' })).toEqual({ status: 'Canceled', remains: 100 });
  });

  it('counts a Partial as ambiguous only without a usable remains', () => {
    expect(isAmbiguous(read({ status: 'Partial' }))).toBe(true);
    expect(isAmbiguous(read({ status: 'Partial', remains: '' }))).toBe(true);
    expect(isAmbiguous(read({ status: 'Partial', remains: 'none' }))).toBe(true);
    expect(isAmbiguous(read({ status: 'Partial', remains: '-5' }))).toBe(true);
    expect(isAmbiguous(read({ status: 'Partial', remains: '0' }))).toBe(false);
    expect(isAmbiguous(read({ status: 'Partial', remains: 120 }))).toBe(false);
    expect(isAmbiguous(read({ status: 'Completed' }))).toBe(false);
    expect(isAmbiguous(read({ status: 'In progress' }))).toBe(false);
  });

  it('keeps the first ambiguous reading and settles nothing on it', () => {
    const verdict = judgeReading(order, undefined, read({ status: 'Fail' }), at(0), settings);
    expect(verdict).toEqual({ kind: 'hold', pending: { orderId: 7, providerId: 'demo', status: 'Canceled', firstSeenAt: at(0).toISOString() } });
  });

  it('confirms on a later reading that says the same, but not within the confirmation interval', () => {
    const pending: PendingReading = { orderId: 7, providerId: 'demo', status: 'Canceled', firstSeenAt: at(0).toISOString() };
    expect(judgeReading(order, pending, read({ status: 'Error' }), at(5), settings)).toEqual({ kind: 'wait' });
    expect(judgeReading(order, pending, read({ status: 'Fail' }), at(30), settings)).toEqual({ kind: 'confirm', pending });
  });

  it('lets a different reading replace or clear the pending one', () => {
    const pending: PendingReading = { orderId: 7, providerId: 'demo', status: 'Canceled', firstSeenAt: at(0).toISOString() };
    expect(judgeReading(order, pending, read({ status: 'In progress', remains: '40' }), at(60), settings)).toEqual({ kind: 'apply', drop: pending });
    expect(judgeReading(order, pending, read({ status: 'Completed' }), at(60), settings)).toEqual({ kind: 'apply', drop: pending });
    // A definite cancel settles at once: it is not the doubtful word.
    expect(judgeReading(order, pending, read({ status: 'Canceled' }), at(1), settings)).toEqual({ kind: 'apply', drop: pending });
    const partial = judgeReading(order, pending, read({ status: 'Partial' }), at(60), settings);
    expect(partial).toEqual({
      kind: 'hold',
      replacing: pending,
      pending: { orderId: 7, providerId: 'demo', status: 'Partial', firstSeenAt: at(60).toISOString(), since: at(0).toISOString() },
    });
  });

  it('keeps the alert clock of the first ambiguous reading when another replaces it, and restarts only the confirmation', () => {
    let pending: PendingReading | undefined;
    for (const [seconds, status] of [
      [0, 'Error'],
      [1200, 'Partial'],
      [2400, 'Fail'],
      [3600, 'Partial'],
    ] as const) {
      const verdict = judgeReading(order, pending, read({ status }), at(seconds), settings);
      expect(verdict.kind).toBe('hold');
      pending = (verdict as { pending: PendingReading }).pending;
      expect(pending.firstSeenAt).toBe(at(seconds).toISOString());
    }
    expect(ambiguousFor(pending!, at(3600), 3600_000)).toBe(true);
    // A definite reading between ends the spell: the next ambiguous one starts its own clock.
    expect(judgeReading(order, pending, read({ status: 'In progress', remains: '5' }), at(3700), settings).kind).toBe('apply');
    const afresh = judgeReading(order, undefined, read({ status: 'Error' }), at(3800), settings) as { pending: PendingReading };
    expect(ambiguousFor(afresh.pending, at(3800 + 3599), 3600_000)).toBe(false);
  });

  it('never settles a Partial without remains: confirmed, it waits for remains or a person', () => {
    const pending: PendingReading = { orderId: 7, providerId: 'demo', status: 'Partial', firstSeenAt: at(0).toISOString() };
    const stuck = judgeReading(order, pending, read({ status: 'Partial' }), at(60), settings);
    expect(stuck).toEqual({ kind: 'stuck', replacing: pending, pending: { ...pending, confirmedAt: at(60).toISOString() } });
    const confirmed = { ...pending, confirmedAt: at(60).toISOString() };
    expect(judgeReading(order, confirmed, read({ status: 'Partial' }), at(120), settings)).toEqual({ kind: 'wait' });
    // Once the provider says how much was not delivered, the order settles on it.
    expect(judgeReading(order, confirmed, read({ status: 'Partial', remains: '300' }), at(180), settings)).toEqual({ kind: 'apply', drop: confirmed });
  });

  it('tells when a pending reading has lasted long enough to need a person', () => {
    const pending: PendingReading = { orderId: 7, providerId: 'demo', status: 'Canceled', firstSeenAt: at(0).toISOString() };
    expect(ambiguousFor(pending, at(59), 60_000)).toBe(false);
    expect(ambiguousFor(pending, new Date(at(0).getTime() + 60_000), 60_000)).toBe(true);
  });
});

describe("a provider's own status words", () => {
  it('are read before the common spellings, in any case and spacing', () => {
    const { mapping } = statusMappingOf({ Fail: 'Canceled', On_Hold: 'In progress', Refunding: 'ambiguous', '7': 'Completed' }) as { mapping: StatusMapping };
    expect(mapping).toEqual({ fail: 'Canceled', 'on hold': 'In progress', refunding: 'ambiguous', '7': 'Completed' });
    expect(readProviderWord('FAIL', mapping)).toEqual({ status: 'Canceled', doubtful: false });
    expect(readProviderWord('on-hold', mapping)).toEqual({ status: 'In progress', doubtful: false });
    expect(readProviderWord('Refunding', mapping)).toEqual({ status: 'Canceled', doubtful: true });
    expect(readProviderWord(7, mapping)).toEqual({ status: 'Completed', doubtful: false });
    // Words the mapping does not name keep their common reading.
    expect(readProviderWord('Error', mapping)).toEqual({ status: 'Canceled', doubtful: true });
    expect(readStatusAnswer({ status: 'On hold' }, mapping)).toEqual({ status: 'In progress' });
  });

  it('are refused when a target is unknown, a word is named twice, or there are too many', () => {
    expect(statusMappingOf({ Fail: 'Refunded' })).toEqual({ problem: expect.stringContaining('use one of') });
    expect(statusMappingOf({ 'On hold': 'Pending', on_hold: 'Pending' })).toEqual({ problem: expect.stringContaining('named twice') });
    expect(statusMappingOf({ '  ': 'Pending' })).toEqual({ problem: expect.stringContaining('1 to 50') });
    expect(statusMappingOf(Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`w${i}`, 'Pending'])))).toEqual({
      problem: expect.stringContaining('At most 30'),
    });
  });

  it('keep `__proto__` and `constructor` as plain words, never reading an object property', () => {
    const { mapping } = statusMappingOf(JSON.parse('{"__proto__": "Completed"}')) as { mapping: StatusMapping };
    expect(readProviderWord('__proto__', mapping)).toEqual({ status: 'Completed', doubtful: false });
    expect(readProviderWord('constructor')).toBeUndefined();
    expect(readProviderWord('toString', mapping)).toBeUndefined();
  });
});

describe('any sequence of readings (property)', () => {
  const READINGS = [
    { status: 'Error' },
    { status: 'Fail' },
    { status: 'Partial' },
    { status: 'Partial', remains: '250' },
    { status: 'In progress', remains: '500' },
    { status: 'Completed', remains: '0' },
    { status: 'Canceled' },
  ] as const;

  it('settles only on a definite reading, or on a doubtful cancel said again at least the interval later with nothing definite between', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ reading: fc.constantFrom(...READINGS), afterSeconds: fc.integer({ min: 0, max: 90 }) }), { maxLength: 25 }), (steps) => {
        let pending: PendingReading | undefined;
        let clock = 0;
        // The model: the doubtful cancels read since the last other reading, with their times.
        let streakStart: number | undefined;
        for (const { reading, afterSeconds } of steps) {
          clock += afterSeconds;
          const progress = read(reading);
          const verdict = judgeReading(order, pending, progress, at(clock), settings);
          const doubtfulCancel = progress.doubtful === true;
          const partialWithout = progress.status === 'Partial' && progress.remains === undefined;
          if (verdict.kind === 'confirm') {
            // Only a doubtful cancel confirms, and only one said before, unbroken, the interval ago or more.
            expect(doubtfulCancel).toBe(true);
            expect(streakStart).toBeDefined();
            expect(clock - streakStart!).toBeGreaterThanOrEqual(30);
            return true; // settled: the order takes no more readings
          }
          if (verdict.kind === 'apply') {
            expect(doubtfulCancel || partialWithout).toBe(false);
            if (isTerminal(progress.status)) return true;
            pending = undefined;
            streakStart = undefined;
            continue;
          }
          expect(doubtfulCancel || partialWithout).toBe(true);
          if (verdict.kind === 'hold' || verdict.kind === 'stuck') pending = verdict.pending;
          if (doubtfulCancel && (streakStart === undefined || verdict.kind === 'hold')) streakStart = clock;
          if (!doubtfulCancel) streakStart = undefined;
          // A Partial without remains is never settled, however often it is read.
          if (partialWithout) expect(['hold', 'stuck', 'wait']).toContain(verdict.kind);
        }
        return true;
      }),
      { numRuns: 2000 },
    );
  });
});

describe('readings from a poll run and from callbacks, interleaved (property)', () => {
  /** The pending reading item with the adapter's conditions (DynamoPendingReadings; the integration test runs that). */
  class PendingItem {
    item: PendingReading | undefined;
    async ofProvider() {
      return new Map(this.item ? [[this.item.orderId, { ...this.item }]] : []);
    }
    async get() {
      return this.item && { ...this.item };
    }
    async hold(pending: PendingReading, replacing?: PendingReading) {
      const same =
        replacing === undefined
          ? this.item === undefined
          : this.item !== undefined &&
            (['firstSeenAt', 'status', 'confirmedAt', 'alertedAt'] as const).every((field) => this.item![field] === replacing[field]);
      if (same) this.item = { ...pending };
      return same;
    }
    async drop(pending: PendingReading) {
      if (this.item?.firstSeenAt === pending.firstSeenAt) this.item = undefined;
    }
    async clear() {
      this.item = undefined;
    }
    async confirm(pending: PendingReading, progress: ProviderProgress, now: string) {
      if (this.item?.firstSeenAt !== pending.firstSeenAt) return undefined;
      this.item = undefined;
      return state.record(progress, now);
    }
  }
  const state = {
    order: undefined as unknown as Order,
    record(progress: ProviderProgress, now: string) {
      if (isTerminal(state.order.status)) return undefined;
      state.order = { ...state.order, status: progress.status, ...(progress.remains !== undefined ? { remains: progress.remains } : {}), progressAt: now };
      return state.order;
    },
  };
  const READINGS = [{ status: 'Error' }, { status: 'Fail' }, { status: 'In progress', remains: '500' }, { status: 'In progress', remains: '400' }] as const;

  it('never settles on a doubtful cancel unless one was read, after the last definite reading from any source, the interval before', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            via: fc.constantFrom('poll' as const, 'callback' as const),
            /** The poll's run starts anew (reads its provider's pending readings) before this reading. */
            newRun: fc.boolean(),
            reading: fc.constantFrom(...READINGS),
            afterSeconds: fc.integer({ min: 0, max: 40 }),
          }),
          { maxLength: 20 },
        ),
        async (steps) => {
          const readings = new PendingItem();
          const resumed: unknown[] = [];
          state.order = {
            id: 7,
            providerId: 'demo',
            phase: 'submitted',
            status: 'Pending',
            externalOrderId: 'x',
            createdAt: at(0).toISOString(),
          } as unknown as Order;
          const services = {
            readings,
            settings: { ambiguousConfirmMs: 30_000, progressMinIntervalMs: 0 },
            tokens: { getTaskToken: async () => 'token' },
            workflow: { resume: async (_token: string, output: unknown) => void resumed.push(output) },
            orders: { recordProgress: async (_id: number, progress: ProviderProgress, now: string) => state.record(progress, now) },
          } as unknown as ReportServices;
          let clock = 0;
          let runCopy: Map<number, PendingReading> = new Map();
          // The model: the times of the doubtful cancels read since the last definite reading.
          let doubtfulSince: number[] = [];
          for (const { via, newRun, reading, afterSeconds } of steps) {
            clock += afterSeconds;
            if (newRun) runCopy = await readings.ofProvider();
            const progress = read(reading);
            const known = via === 'poll' ? { pending: runCopy.get(7) } : undefined;
            const outcome = await applyStatusReport(services, state.order, progress, at(clock), { via, providerId: 'demo' }, known);
            // The poller, after its batch: readings kept before a definite answer (a callback's, after its run began).
            if (via === 'poll' && !progress.doubtful) await dropOverruledReadings(services, 'demo', [7], at(clock));
            if (progress.doubtful) {
              if (outcome === 'resumed') {
                // Settled on a doubtful cancel: one read after the last definite reading, the interval before.
                expect(doubtfulSince.some((seen) => clock - seen >= 30)).toBe(true);
                return;
              }
              doubtfulSince.push(clock);
            } else doubtfulSince = [];
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

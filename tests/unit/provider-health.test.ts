// The poller's judgement of a provider (failure rate over a window) and of its orders' odd answers, without I/O.
import { describe, expect, it } from 'vitest';
import { type Image, eventsFromChange } from '../../lambdas/events/from-stream.js';
import { orderImage } from '../support/stream-images.js';
import { overdueAt } from '../../lambdas/orders/domain/overdue.js';
import {
  type CallTally,
  type HealthSettings,
  type ProviderHealthState,
  MAX_TRACKED_ANOMALIES,
  emptyHealth,
  judgeHealth,
  trackAnomalies,
  unhealthyEventId,
} from '../../lambdas/orders/domain/provider-health.js';

const SETTINGS: HealthSettings = { failureRate: 0.5, minCalls: 5, windowMinutes: 10, anomalyAlertAfterMs: 3_600_000 };
const T0 = Date.parse('2026-12-01T10:00:00.000Z') / 60_000;

const ok = (minute: number, calls = 1): CallTally => ({ minute, calls, failures: 0, kinds: {} });
const failed = (minute: number, calls = 1): CallTally => ({ minute, calls, failures: calls, kinds: { timeout_or_bad_answer: calls } });

/** Runs the poller's minutes through the judgement, as consecutive runs would. */
function run(runs: CallTally[], start: ProviderHealthState = emptyHealth('p')) {
  let state = start;
  const alerts: { since: string; failureRate: number; reason: string }[] = [];
  let recoveries = 0;
  for (const tally of runs) {
    const verdict = judgeHealth(state, tally, SETTINGS);
    state = verdict.state;
    if (verdict.alert) {
      alerts.push(verdict.alert);
      state = { ...state, alerted: true };
    }
    if (verdict.recovered) recoveries++;
  }
  return { state, alerts, recoveries };
}

describe("a provider's health", () => {
  it('stays healthy, and keeps nothing to write, while its calls succeed', () => {
    const { state, alerts } = run([ok(T0), ok(T0 + 1, 30), ok(T0 + 2)]);
    expect(alerts).toEqual([]);
    expect(state).toEqual(emptyHealth('p'));
  });

  it('decides nothing on fewer calls than the minimum, however many of them failed', () => {
    const { state, alerts } = run([failed(T0), failed(T0 + 1), failed(T0 + 2), failed(T0 + 3)]);
    expect(alerts).toEqual([]);
    expect(state.unhealthySince).toBeUndefined();
    expect(state.minutes).toHaveLength(4);
  });

  it('turns unhealthy once the failed share of enough calls reaches the threshold, dated from the first failure', () => {
    const { state, alerts } = run([ok(T0), failed(T0 + 1), ok(T0 + 2), failed(T0 + 3), failed(T0 + 4), failed(T0 + 5)]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ since: new Date((T0 + 1) * 60_000).toISOString(), failureRate: 0.8 });
    expect(alerts[0]!.reason).toBe('4 of 5 status calls failed in the last 10 minutes: 4 timed out, or answered an HTTP error or something that is not JSON');
    expect(state.unhealthySince).toBe(alerts[0]!.since);
  });

  it('stays under the threshold when failures are a small share of many calls', () => {
    const { alerts } = run([failed(T0, 3), ok(T0 + 1, 50)]);
    expect(alerts).toEqual([]);
  });

  it('alerts once per spell, again after a failed publication, and counts failures by kind', () => {
    const spell = [failed(T0, 5)];
    const first = judgeHealth(emptyHealth('p'), spell[0]!, SETTINGS);
    expect(first.alert).toBeDefined();
    // The publication failed: the state is stored with alerted false, so the next run alerts again, same spell.
    const again = judgeHealth(first.state, failed(T0 + 1), SETTINGS);
    expect(again.alert?.since).toBe(first.alert!.since);
    const told = judgeHealth({ ...again.state, alerted: true }, { minute: T0 + 2, calls: 2, failures: 2, kinds: { unreachable: 1, refused: 1 } }, SETTINGS);
    expect(told.alert).toBeUndefined();
    expect(told.state.unhealthySince).toBe(first.alert!.since);
  });

  it('recovers when calls succeed again, and a new spell gets a new start (so a new event id)', () => {
    const bad = run([failed(T0, 5)]);
    expect(bad.alerts).toHaveLength(1);
    // Failures still inside the window keep the rate up: not recovered on one good minute.
    const stillBad = run([ok(T0 + 1)], bad.state);
    expect(stillBad.recoveries).toBe(0);
    // The failing minute leaves the window: only successes remain.
    const healed = run([ok(T0 + 10)], stillBad.state);
    expect(healed.recoveries).toBe(1);
    expect(healed.state).toEqual(emptyHealth('p'));
    const second = run([failed(T0 + 20, 5)], healed.state);
    expect(second.alerts).toHaveLength(1);
    expect(second.alerts[0]!.since).not.toBe(bad.alerts[0]!.since);
    expect(unhealthyEventId('p', second.alerts[0]!.since)).not.toBe(unhealthyEventId('p', bad.alerts[0]!.since));
    expect(unhealthyEventId('p', bad.alerts[0]!.since)).toBe(unhealthyEventId('p', bad.alerts[0]!.since));
  });

  it('does not flap: recovery needs the failed share under half the threshold', () => {
    const bad = run([failed(T0, 6)]);
    const hovering = run([ok(T0 + 1, 6)], bad.state);
    expect(hovering.recoveries).toBe(0);
    const better = run([ok(T0 + 2, 20)], hovering.state);
    expect(better.recoveries).toBe(1);
  });

  it('keeps at most the window in minutes, merging runs of the same minute', () => {
    const { state } = run([failed(T0), failed(T0), ok(T0 + 1), failed(T0 + 2)]);
    expect(state.minutes.map((m) => [m.minute - T0, m.calls, m.failures])).toEqual([
      [0, 2, 2],
      [1, 1, 0],
      [2, 1, 1],
    ]);
    const later = run([failed(T0 + 11)], state);
    expect(later.state.minutes.map((m) => m.minute - T0)).toEqual([2, 11]);
  });
});

describe("an order's odd answers", () => {
  const at = (minutes: number) => new Date((T0 + minutes) * 60_000);

  it('is due after an hour of the same answer, from its first one', () => {
    let anomalies = trackAnomalies({}, new Map([[7, 'order_not_found' as const]]), new Set([7]), at(0), SETTINGS);
    expect(anomalies.due).toEqual([]);
    anomalies = trackAnomalies(anomalies.anomalies, new Map([[7, 'order_not_found' as const]]), new Set([7]), at(59), SETTINGS);
    expect(anomalies.due).toEqual([]);
    anomalies = trackAnomalies(anomalies.anomalies, new Map([[7, 'order_not_found' as const]]), new Set([7]), at(60), SETTINGS);
    expect(anomalies.due).toEqual([{ orderId: 7, reason: 'order_not_found', since: at(0).toISOString() }]);
  });

  it('starts again after a real status, or when the answer changes; keeps its start when the call failed', () => {
    const first = trackAnomalies({}, new Map([[7, 'unknown_status' as const]]), new Set([7]), at(0), SETTINGS);
    const noAnswer = trackAnomalies(first.anomalies, new Map(), new Set([7]), at(30), SETTINGS);
    expect(noAnswer.anomalies['7']?.since).toBe(at(0).toISOString());
    const good = trackAnomalies(noAnswer.anomalies, new Map([[7, 'status' as const]]), new Set([7]), at(40), SETTINGS);
    expect(good.anomalies).toEqual({});
    const other = trackAnomalies(first.anomalies, new Map([[7, 'order_not_found' as const]]), new Set([7]), at(50), SETTINGS);
    expect(other.anomalies['7']).toEqual({ reason: 'order_not_found', since: at(50).toISOString() });
  });

  it('forgets orders that left the open list, and is not due again once told', () => {
    const told = {
      '7': { reason: 'unknown_status' as const, since: at(0).toISOString(), alerted: true },
      '8': { reason: 'unknown_status' as const, since: at(0).toISOString() },
    };
    const verdict = trackAnomalies(told, new Map([[7, 'unknown_status' as const]]), new Set([7]), at(120), SETTINGS);
    expect(verdict.anomalies).toEqual({ '7': told['7'] });
    expect(verdict.due).toEqual([]);
  });

  it('tracks a bounded number of orders, so the state stays one small item', () => {
    const answers = new Map(Array.from({ length: MAX_TRACKED_ANOMALIES + 50 }, (_, i) => [i, 'order_not_found' as const]));
    const verdict = trackAnomalies({}, answers, new Set(answers.keys()), at(0), SETTINGS);
    expect(Object.keys(verdict.anomalies)).toHaveLength(MAX_TRACKED_ANOMALIES);
  });
});

describe('when an order is overdue', () => {
  it("is its service's expected time after placement, or the default, plus a drip-feed's later runs", () => {
    const createdAt = '2026-12-01T10:00:00.000Z';
    expect(overdueAt({ createdAt }, 90, 1440).toISOString()).toBe('2026-12-01T11:30:00.000Z');
    expect(overdueAt({ createdAt }, undefined, 1440).toISOString()).toBe('2026-12-02T10:00:00.000Z');
    expect(overdueAt({ createdAt, runs: 5, interval: 30 }, 60, 1440).toISOString()).toBe('2026-12-01T13:00:00.000Z');
  });
});

describe('an order marked for attention, read from the stream', () => {
  const order = (changes: Image = {}): Image =>
    orderImage({ status: 'In progress', phase: 'submitted', submitAttempts: 1, updatedAt: '2026-12-01T09:30:00.000Z', ...changes });
  const USD = { currency: 'USD' };

  it('gives one order.needs_attention per newly marked reason, with the same id however often the record is read', () => {
    const marked = order({ attention: { overdue: '2026-12-02T09:00:00.000Z' }, updatedAt: '2026-12-02T09:05:00.000Z' });
    const [event, ...rest] = eventsFromChange({ oldImage: order(), newImage: marked }, USD);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'order.needs_attention',
      at: '2026-12-02T09:05:00.000Z',
      data: { reason: 'overdue', since: '2026-12-02T09:00:00.000Z', order: { orderId: 1234, status: 'In progress', charge: '0.90000' } },
    });
    expect(eventsFromChange({ oldImage: order(), newImage: marked }, USD)[0]!.id).toBe(event!.id);

    const both = order({ attention: { overdue: '2026-12-02T09:00:00.000Z', order_not_found: '2026-12-02T10:00:00.000Z' } });
    const second = eventsFromChange({ oldImage: marked, newImage: both }, USD);
    expect(second.map((e) => e.type === 'order.needs_attention' && e.data.reason)).toEqual(['order_not_found']);
    expect(second[0]!.id).not.toBe(event!.id);
  });

  it('gives nothing for an order whose marks did not change', () => {
    const marked = order({ attention: { unknown_status: '2026-12-02T09:00:00.000Z' } });
    expect(eventsFromChange({ oldImage: marked, newImage: { ...marked, remains: 10 } }, USD)).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, FaultLog, FaultPlan } from './faults.js';
import { type SimRandom, seededRandom } from './rng.js';

const draws = (random: SimRandom, n = 20) => Array.from({ length: n }, () => random.next());

describe('the seeded random stream', () => {
  it('draws the same numbers for the same seed and other numbers for another seed', () => {
    expect(draws(seededRandom(42))).toEqual(draws(seededRandom(42)));
    expect(draws(seededRandom(42))).not.toEqual(draws(seededRandom(43)));
  });

  it('stays in its ranges: next in [0, 1), int within its bounds, pick among the items', () => {
    const random = seededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const x = random.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const n = random.int(-2, 3);
      expect(Number.isInteger(n) && n >= -2 && n <= 3).toBe(true);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2, 3]);
    expect(['a', 'b']).toContain(random.pick(['a', 'b']));
    expect(() => random.int(3, 2)).toThrow(RangeError);
  });

  it('gives each fork a stream of its own: the parent drawing more does not shift it, other labels differ', () => {
    const quiet = seededRandom(9);
    const busy = seededRandom(9);
    draws(busy, 1000);
    expect(draws(busy.fork('provider/p1'))).toEqual(draws(quiet.fork('provider/p1')));
    expect(draws(quiet.fork('provider/p1'))).not.toEqual(draws(quiet.fork('provider/p2')));
    expect(draws(quiet.fork('a').fork('b'))).not.toEqual(draws(quiet.fork('a/b').fork('x')));
    expect(draws(seededRandom(9).fork('x'))).not.toEqual(draws(seededRandom(10).fork('x')));
  });
});

describe('the fault plan', () => {
  it('injects nothing while off, and draws exactly as much on or off so later draws do not shift', () => {
    const log = new FaultLog();
    const plan = new FaultPlan(log, { 'provider.timeout': 1 });
    const a = seededRandom(1);
    const b = seededRandom(1);
    plan.off();
    expect(plan.inject('provider.timeout', a)).toBe(false);
    expect(plan.injectOne(['provider.html', 'provider.timeout'], a)).toBeUndefined();
    plan.on();
    expect(plan.inject('provider.timeout', b)).toBe(true);
    expect(plan.injectOne(['provider.html', 'provider.timeout'], b)).toBe('provider.timeout');
    expect(a.next()).toBe(b.next());
    expect(log.counts()).toEqual({ 'provider.timeout': 2 });
  });

  it('counts injected faults by kind, with probabilities near those asked', () => {
    const log = new FaultLog();
    const plan = new FaultPlan(log, { 'db.conflict': 0.25, 'db.throttle': 0 });
    const random = seededRandom(3);
    for (let i = 0; i < 4000; i++) {
      plan.inject('db.conflict', random);
      plan.inject('db.throttle', random);
    }
    const counts = log.counts();
    expect(counts['db.throttle']).toBeUndefined();
    expect(counts['db.conflict']).toBeGreaterThan(850);
    expect(counts['db.conflict']).toBeLessThan(1150);
    expect(log.total).toBe(counts['db.conflict']);
  });

  it('names every kind the issue lists', () => {
    for (const kind of [
      'provider.timeout',
      'provider.http-5xx',
      'provider.html',
      'provider.dropped',
      'provider.answer-lost',
      'provider.status-flip',
      'provider.unknown-status',
      'provider.partial-no-remains',
      'provider.incorrect-order-id',
      'workflow.crash-before-write',
      'workflow.crash-after-write',
      'workflow.lost-resume',
      'db.conflict',
      'db.throttle',
      'payment.duplicate',
      'payment.reordered',
      'payment.forged-signature',
      'payment.late',
    ])
      expect(FAULT_KINDS).toContain(kind);
  });
});

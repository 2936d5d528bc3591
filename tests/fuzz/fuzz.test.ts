// The request fuzzer's fixed subset for `npm test`: 2,000 requests of one seed over every route, v2 action and kind
// of caller. `npm run fuzz -- --count N` runs more, with a new seed each time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, runFuzz } from './run.js';
import { fuzzTargets, V2_ACTIONS } from './targets.js';
import { type FuzzWorld, startFuzzWorld } from './world.js';

const SEED = 13;
const COUNT = 2_000;

let world: FuzzWorld;

beforeAll(async () => {
  world = await startFuzzWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('the request fuzzer', () => {
  it('finds no 5xx, no answer outside its family’s error shape and no write by a refused request in 2,000 requests', { timeout: 600_000 }, async () => {
    const report = await runFuzz(world, { count: COUNT, seed: SEED });
    console.log(formatReport(report));
    expect(report.failure, report.failure ? `${report.failure.problems.join('; ')}\n${report.failure.counterexample}` : '').toBeUndefined();
    expect(report.requests).toBe(COUNT);
    // Every method the gateway serves and every v2 action was aimed at, and many requests got past the door.
    const aimed = [
      ...fuzzTargets()
        .filter((t) => t.family !== 'v2')
        .map((t) => `${t.method} ${t.path}`),
      ...V2_ACTIONS.map((action) => `POST /api/v2 ${action}`),
    ];
    expect(aimed.filter((label) => !report.byTarget[label])).toEqual([]);
    expect(report.byStatus['200'] ?? 0).toBeGreaterThan(100);
    expect(report.refused).toBeGreaterThan(COUNT / 2);
  });
});

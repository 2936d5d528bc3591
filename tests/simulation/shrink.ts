// The shortest trace that still fails: delta debugging (Zeller's ddmin) over the scenario's actions, with a bounded
// number of re-runs. A subset "still fails" when it breaks one of the invariants the full run broke.
import type { RunOptions, SeedResult, Simulation } from './runner.js';
import { scenarioFor } from './scenario.js';

export interface Shrunk {
  seed: number;
  /** Actions kept, by their index in the scenario. */
  kept: number[];
  actions: number;
  trace: string[];
  runs: number;
}

export async function shrink(simulation: Simulation, seed: number, failed: SeedResult, options: RunOptions & { maxRuns?: number } = {}): Promise<Shrunk> {
  const broken = new Set(failed.violations.map((v) => v.invariant));
  const maxRuns = options.maxRuns ?? 40;
  let runs = 0;
  let best = { kept: scenarioFor(seed).actions.map((_, i) => i), trace: failed.trace };

  const fails = async (kept: number[]): Promise<string[] | undefined> => {
    runs++;
    const result = await simulation.run(seed, { ...options, keep: new Set(kept) }).catch(() => undefined);
    return result?.violations.some((v) => broken.has(v.invariant)) ? result.trace : undefined;
  };

  let granularity = 2;
  while (best.kept.length >= 2 && runs < maxRuns) {
    const chunk = Math.ceil(best.kept.length / granularity);
    const parts = Array.from({ length: Math.ceil(best.kept.length / chunk) }, (_, i) => best.kept.slice(i * chunk, (i + 1) * chunk));
    let reduced = false;
    // Each part alone, then each complement.
    for (const candidate of [...parts, ...parts.map((_, i) => parts.filter((_, j) => j !== i).flat())]) {
      if (runs >= maxRuns) break;
      if (candidate.length === 0 || candidate.length >= best.kept.length) continue;
      const trace = await fails(candidate);
      if (trace) {
        best = { kept: candidate, trace };
        granularity = Math.max(2, candidate.length < chunk ? 2 : granularity - 1);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (granularity >= best.kept.length) break;
      granularity = Math.min(best.kept.length, granularity * 2);
    }
  }
  if (best.kept.length === 1 && runs < maxRuns) {
    const trace = await fails([]);
    if (trace) best = { kept: [], trace };
  }
  return { seed, kept: best.kept, actions: best.kept.length, trace: best.trace, runs };
}

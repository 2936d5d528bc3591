// `npm run simulate -- --seeds N [--from S0] [--workers K]` runs seeds S0..S0+N-1 in K worker processes and prints
// seeds per second, the faults injected by kind, the invariants checked and what was simulated; `--seed S --trace`
// replays one seed and prints its trace. Exit 1 on any violation, after printing its seed and shortest trace.
import '../../local/lambda-aliases.js';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Simulation, type SeedResult } from './runner.js';
import { shrink } from './shrink.js';

interface Args {
  seeds: number;
  from: number;
  seed?: number;
  trace: boolean;
  workers: number;
  worker: boolean;
  stride: number;
  shrink: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seeds: 200, from: 1, trace: false, workers: 2, worker: false, stride: 1, shrink: true };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!;
    const value = () => {
      const text = argv[++i];
      if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${name} takes a whole number`);
      return Number(text);
    };
    if (name === '--seeds') args.seeds = value();
    else if (name === '--from') args.from = value();
    else if (name === '--seed') args.seed = value();
    else if (name === '--workers') args.workers = Math.max(1, value());
    else if (name === '--stride') args.stride = value();
    else if (name === '--trace') args.trace = true;
    else if (name === '--no-shrink') args.shrink = false;
    else if (name === '--worker') args.worker = true;
    else throw new Error(`Unknown option ${name}. Use --seeds N, --from S0, --seed S, --trace, --workers K`);
  }
  return args;
}

/** What a worker sends back per seed (the trace only when the seed failed). */
interface SeedReport {
  seed: number;
  violations: SeedResult['violations'];
  faults: Record<string, number>;
  checked: Record<string, number>;
  counts: SeedResult['counts'];
  trace?: string[];
  shortest?: string[];
}

async function runWorker(args: Args, send: (report: SeedReport) => void): Promise<void> {
  const simulation = await Simulation.start();
  try {
    for (let seed = args.from; seed < args.from + args.seeds; seed += args.stride) {
      let result: SeedResult;
      try {
        result = await simulation.run(seed);
      } catch (error) {
        result = crashed(seed, error as Error);
      }
      const report: SeedReport = { seed, violations: result.violations, faults: result.faults, checked: result.checked, counts: result.counts };
      if (result.violations.length > 0) {
        report.trace = result.trace;
        if (args.shrink) report.shortest = (await shrink(simulation, seed, result)).trace;
      }
      send(report);
    }
  } finally {
    await simulation.stop();
  }
}

function crashed(seed: number, error: Error): SeedResult {
  return {
    seed,
    violations: [{ invariant: 'simulation.ran', subject: `seed ${seed}`, detail: `${error.name}: ${error.message}` }],
    trace: [`seed ${seed}`, `harness failed: ${error.stack ?? error.message}`],
    faults: {},
    checked: {},
    counts: { actions: 0, orders: 0, topUps: 0, webhooks: 0, settledByAdmin: 0, leases: 0, leasedOrders: 0 },
    actions: 0,
  };
}

async function main(): Promise<number> {
  // The harness's synchronous WebCrypto (determinism.ts) reads keys through KeyObject.from, which Node warns about.
  process.noDeprecation = true;
  const args = parseArgs(process.argv.slice(2));
  if (args.worker) {
    await runWorker(args, (report) => process.send!(report));
    return 0;
  }
  if (args.seed !== undefined) {
    const simulation = await Simulation.start();
    try {
      const result = await simulation.run(args.seed);
      if (args.trace) console.log(result.trace.join('\n'));
      printSummary([toReport(result)], 0);
      if (result.violations.length === 0) return 0;
      if (!args.shrink) return 1;
      const shortest = await shrink(simulation, args.seed, result);
      console.log(`\nseed ${args.seed}: ${result.violations.length} violation(s); shortest trace (${shortest.actions} actions):\n${shortest.trace.join('\n')}`);
      return 1;
    } finally {
      await simulation.stop();
    }
  }

  const started = performance.now();
  const reports: SeedReport[] = [];
  const workers = Math.min(args.workers, args.seeds);
  const self = fileURLToPath(import.meta.url);
  await Promise.all(
    Array.from({ length: workers }, (_, k) => {
      const child = fork(self, ['--worker', '--from', String(args.from + k), '--seeds', String(args.seeds - k), '--stride', String(workers)], {
        // A seed allocates briskly and keeps little: a larger young generation halves the collector's scavenges (about
        // a tenth of a seed's time on this machine).
        execArgv: [...process.execArgv, '--max-semi-space-size=64'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.on('message', (report: SeedReport) => {
        reports.push(report);
        if (reports.length % 100 === 0) {
          const seconds = (performance.now() - started) / 1000;
          console.error(`${reports.length}/${args.seeds} seeds, ${(reports.length / seconds).toFixed(1)} seeds/s`);
        }
      });
      return new Promise<void>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${k} exited with ${code}`)))),
      );
    }),
  );
  const failed = reports.filter((r) => r.violations.length > 0).sort((a, b) => a.seed - b.seed);
  printSummary(reports, performance.now() - started);
  for (const report of failed.slice(0, 3)) {
    console.log(`\nseed ${report.seed} failed: ${report.violations.map((v) => `${v.invariant} (${v.subject}): ${v.detail}`).join('; ')}`);
    console.log(`replay: npm run simulate -- --seed ${report.seed} --trace\nshortest trace:\n${(report.shortest ?? report.trace ?? []).join('\n')}`);
  }
  return failed.length > 0 ? 1 : 0;
}

function toReport(result: SeedResult): SeedReport {
  return { seed: result.seed, violations: result.violations, faults: result.faults, checked: result.checked, counts: result.counts };
}

function sum(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
}

function printSummary(reports: SeedReport[], ms: number): void {
  const faults: Record<string, number> = {};
  const checked: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const report of reports) {
    sum(faults, report.faults);
    sum(checked, report.checked);
    sum(counts, report.counts);
  }
  const failed = reports.filter((r) => r.violations.length > 0).length;
  console.log(
    `${reports.length} seeds${ms > 0 ? ` in ${(ms / 1000).toFixed(1)} s: ${(reports.length / (ms / 1000)).toFixed(2)} seeds/s` : ''}, ${failed} with violations`,
  );
  console.log(
    `simulated: ${counts.actions ?? 0} actions, ${counts.orders ?? 0} orders, ${counts.topUps ?? 0} top-ups, ${counts.webhooks ?? 0} webhook deliveries, ${counts.settledByAdmin ?? 0} orders settled by an admin, ${counts.leases ?? 0} balance leases paying for ${counts.leasedOrders ?? 0} orders`,
  );
  const total = Object.values(faults).reduce((a, b) => a + b, 0);
  console.log(`faults injected: ${total}`);
  for (const [kind, count] of Object.entries(faults).sort()) console.log(`  ${kind.padEnd(30)} ${count}`);
  console.log('invariants checked:');
  for (const [name, count] of Object.entries(checked).sort()) console.log(`  ${name.padEnd(34)} ${count}`);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exit(2);
  },
);

// One fuzzing run: fast-check draws requests for every target, each is sent to the local stack, and its answer and
// the store's change are held to the properties. Used by `npm run fuzz` and by the test's fixed subset.
import fc from 'fast-check';
import { checkAnswer, refusalMayWrite } from './properties.js';
import { type FuzzRequest, requestArbitrary } from './requests.js';
import { fuzzTargets, requestFunctions, type Target } from './targets.js';
import type { FuzzWorld } from './world.js';
import { itemKind } from './write-journal.js';

export interface FuzzReport {
  seed: number;
  requests: number;
  seconds: number;
  byStatus: Record<string, number>;
  byKind: Record<string, number>;
  byTarget: Record<string, number>;
  propertiesChecked: number;
  refused: number;
  writesCompared: number;
  /** Counter writes of refused requests, by item kind (allowed: REFUSAL_COUNTERS). */
  counterWrites: Record<string, number>;
  /** Time spent sending and answering, and comparing the store. */
  sendMs: number;
  scanMs: number;
  /** Milliseconds spent answering, by target: where the time goes. */
  msByTarget: Record<string, number>;
  /** Snapshots of the table taken (the others were skipped: the store's version had not moved). */
  scans: number;
  failure?: { seed: number; path: string; counterexample: string; problems: string[] };
}

export interface FuzzOptions {
  count: number;
  seed?: number;
  path?: string;
  /** Called every `every` requests with the report so far. */
  progress?: (report: FuzzReport) => void;
}

interface Drawn {
  request: FuzzRequest;
  /** Loopback address to send from: its own most times, a shared one sometimes (abuse counters are per source). */
  source: string;
}

export async function runFuzz(world: FuzzWorld, options: FuzzOptions): Promise<FuzzReport> {
  const targets = fuzzTargets();
  const byLabel = new Map(targets.map((t) => [`${t.method} ${t.path}`, t]));
  const targetOf = (request: FuzzRequest): Target => byLabel.get(request.target) ?? byLabel.get(`${request.method} /api/v2`)!;
  const requestFns = requestFunctions(targets);
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const report: FuzzReport = {
    seed,
    requests: 0,
    seconds: 0,
    byStatus: {},
    byKind: {},
    byTarget: {},
    propertiesChecked: 0,
    refused: 0,
    writesCompared: 0,
    counterWrites: {},
    sendMs: 0,
    scanMs: 0,
    scans: 0,
    msByTarget: {},
  };
  const tally = (table: Record<string, number>, key: string) => {
    table[key] = (table[key] ?? 0) + 1;
  };
  const started = performance.now();
  // A window of the journal runs from before the snapshot before a request to after the snapshot after it. A
  // background write during the closing snapshot may be missed by it and seen by the next one: the previous
  // window's background writes are excused too.
  world.journal.take();
  let before = world.snapshot();
  let previousBackground = new Set<string>();
  let lastProblems: string[] = [];

  const drawn: fc.Arbitrary<Drawn> = fc.record({
    request: requestArbitrary(targets),
    source: fc.oneof(
      {
        weight: 9,
        arbitrary: fc
          .tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
          .map(([a, b, c]) => `127.${a}.${b}.${c}`),
      },
      { weight: 1, arbitrary: fc.constant('127.0.0.2') },
    ),
  });

  const property = fc.asyncProperty(drawn, async ({ request, source }) => {
    const target = targetOf(request);
    const sendStarted = performance.now();
    const response = await world.send(request, source).catch((error: Error) => ({ status: 0, headers: {}, body: Buffer.from(error.message) }));
    const scanStarted = performance.now();
    // The store's version did not move: nothing was written, and the snapshot is the one before.
    const quiet = world.storeVersion() === before.version;
    const after = quiet ? before : world.snapshot();
    if (!quiet) report.scans++;
    report.sendMs += scanStarted - sendStarted;
    report.msByTarget[request.target] = (report.msByTarget[request.target] ?? 0) + (scanStarted - sendStarted);
    report.scanMs += performance.now() - scanStarted;
    const entries = world.journal.take();
    const verdict =
      response.status === 0
        ? { refused: false, kind: 'no answer', problems: [`no answer: ${response.body.toString()}`], checked: 1 }
        : checkAnswer(target, request, response);
    report.requests++;
    report.propertiesChecked += verdict.checked;
    tally(report.byStatus, String(response.status));
    tally(report.byKind, `${target.family} ${verdict.kind}`);
    tally(report.byTarget, request.target);
    const problems = [...verdict.problems];
    const changed = quiet ? [] : changedKeys(before.items, after.items);
    if (verdict.refused) {
      report.refused++;
      report.writesCompared++;
      report.propertiesChecked++;
      // The store is the judge: what changed between the snapshots. The journal says who changed it; a write of the
      // request that changed nothing (deleting what is not there) is no write.
      const own = new Set(entries.filter((e) => requestFns.has(e.fn)).flatMap((e) => e.keys));
      const background = new Set([...previousBackground, ...entries.filter((e) => !requestFns.has(e.fn)).flatMap((e) => e.keys)]);
      // A write is journaled a few ticks after it commits (the SDK's middleware returns first): a background write
      // that committed just before the snapshot may not be named yet. Wait for it before calling a change unexplained.
      if (changed.some((key) => !own.has(key) && !background.has(key))) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        for (const entry of world.journal.entries) if (!requestFns.has(entry.fn)) for (const key of entry.keys) background.add(key);
      }
      for (const key of changed) {
        const kind = itemKind(key);
        if (own.has(key)) {
          if (refusalMayWrite(kind, before.items.get(key), after.items.get(key))) tally(report.counterWrites, kind);
          else problems.push(`refused, yet changed ${kind} (${key})`);
        } else if (!background.has(key)) problems.push(`refused, and ${key} changed with no write of the request or the background`);
      }
    }
    previousBackground = new Set(entries.filter((e) => !requestFns.has(e.fn)).flatMap((e) => e.keys));
    if (await world.repair(request, response.status, changed)) {
      // The repair's own writes are nobody's: a fresh window.
      for (const entry of world.journal.take()) if (!requestFns.has(entry.fn)) for (const key of entry.keys) previousBackground.add(key);
      before = world.snapshot();
    } else before = after;
    if (report.requests % 100 === 0) {
      report.seconds = (performance.now() - started) / 1000;
      options.progress?.(report);
    }
    if (problems.length > 0) lastProblems = problems;
    return problems.length === 0;
  });

  const result = await fc.check(property, {
    numRuns: options.count,
    seed,
    ...(options.path ? { path: options.path } : {}),
    endOnFailure: false,
    maxSkipsPerRun: 1000,
  });
  report.seconds = (performance.now() - started) / 1000;
  if (result.failed) {
    // The last failing run is the shrunk counterexample's.
    const [shrunk] = result.counterexample ?? [];
    report.failure = {
      seed: result.seed,
      path: result.counterexamplePath ?? '',
      counterexample: describeRequest(shrunk?.request),
      problems: lastProblems,
    };
  }
  return report;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys: string[] = [];
  for (const [key, value] of after) if (before.get(key) !== value) keys.push(key);
  for (const key of before.keys()) if (!after.has(key)) keys.push(key);
  return keys;
}

export function describeRequest(request: FuzzRequest | undefined): string {
  if (!request) return '(none)';
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? request.body
        : `<${request.body.length} bytes: ${request.body.subarray(0, 60).toString('hex')}>`;
  const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);
  return [
    `${request.method} ${clip(request.url)}   [${request.target}; auth ${request.auth}; ${request.mutations.join('; ')}]`,
    ...request.headers.map(([name, value]) => `${name}: ${clip(value)}`),
    '',
    clip(body),
  ].join('\n');
}

export function formatReport(report: FuzzReport): string {
  const rate = report.requests / Math.max(report.seconds, 0.001);
  const table = (entries: Record<string, number>) =>
    Object.entries(entries)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `    ${String(n).padStart(6)}  ${key}`)
      .join('\n');
  return [
    `fuzz: ${report.requests} requests in ${report.seconds.toFixed(1)} s (${rate.toFixed(1)} requests/s), seed ${report.seed}`,
    `  properties checked: ${report.propertiesChecked}; requests refused: ${report.refused}; refused requests' writes compared: ${report.writesCompared}`,
    `  targets hit: ${Object.keys(report.byTarget).length}; time answering ${(report.sendMs / 1000).toFixed(1)} s, snapshotting the store ${(report.scanMs / 1000).toFixed(1)} s (${report.scans} snapshots)`,
    '  answers by status:',
    table(report.byStatus),
    '  answers by family and kind:',
    table(report.byKind),
    '  slowest targets (ms answering in all):',
    table(Object.fromEntries(Object.entries(report.msByTarget).map(([k, v]) => [k, Math.round(v)])))
      .split('\n')
      .slice(0, 6)
      .join('\n'),
    '  refusal counters written (allowed, docs/proof.md):',
    table(report.counterWrites) || '    (none)',
  ].join('\n');
}

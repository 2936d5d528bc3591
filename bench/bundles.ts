// `npm run bench:bundles` (and the first part of `npm run bench`): each function's bundle as deployed, its size, the
// time a cold Lambda spends importing it, and what takes the room in it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FUNCTIONS, type FunctionName } from '../lambdas/functions.js';
import { BUNDLE_TARGET_BYTES, bundleFunction, kb, largestParts } from '../lib/bundling.js';

const IMPORT_TARGET_MS = 150;
const IMPORT_RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? 7);
const TOP_INPUTS = Number(process.env.BENCH_TOP_INPUTS ?? 10);

/**
 * Milliseconds a fresh `node --enable-source-maps` spends in `import()` of the bundle, as Lambda's runtime loads
 * it (source map beside it); node's own start is left out. Median of `runs` processes: the wall time, which the
 * target is about, and the CPU time, which moves far less when other work shares the machine.
 */
export function coldImport(file: string, runs = IMPORT_RUNS): { ms: number; cpuMs: number } {
  const script = `const c0 = process.cpuUsage(); const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); const c = process.cpuUsage(c0); process.stdout.write(JSON.stringify([performance.now() - t0, (c.user + c.system) / 1000])); process.exit(0);`;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '--eval', script], {
      cwd: dirname(file),
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_SERVICE_NAME: 'codex', POWERTOOLS_LOG_LEVEL: 'ERROR' },
      encoding: 'utf8',
    });
    const [ms, cpuMs] = child.status === 0 ? (JSON.parse(child.stdout) as number[]) : [];
    if (!Number.isFinite(ms) || !Number.isFinite(cpuMs)) throw new Error(`importing ${file} failed: ${child.stderr}`);
    times.push(ms!);
    cpuTimes.push(cpuMs!);
  }
  const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  return { ms: median(times), cpuMs: median(cpuTimes) };
}

/** Builds each distinct entry once (several workflow steps share a file) and prints the table, then the contributors. */
export async function benchBundles(print: (line: string) => void = console.log): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'codex-bundles-'));
  try {
    const entries = [...new Set(Object.values(FUNCTIONS).map((f) => f.entry))];
    const bundles = new Map(await Promise.all(entries.map(async (entry, i) => [entry, await bundleFunction(entry, join(workDir, String(i)))] as const)));
    const imports = new Map(entries.map((entry) => [entry, coldImport(bundles.get(entry)!.file)]));
    const verdict = (ok: boolean) => (ok ? 'meets target' : 'MISSES TARGET');

    print(
      `Lambda bundles (minified as deployed; cold import in a fresh node ${process.version} --enable-source-maps, median of ${IMPORT_RUNS}; CPU time beside it):`,
    );
    for (const [name, spec] of Object.entries(FUNCTIONS) as [FunctionName, (typeof FUNCTIONS)[FunctionName]][]) {
      const bytes = bundles.get(spec.entry)!.bytes;
      const { ms, cpuMs } = imports.get(spec.entry)!;
      print(
        `  ${name.padEnd(22)} ${kb(bytes).padStart(9)}  ${`${ms.toFixed(0)} ms`.padStart(7)} (CPU ${`${cpuMs.toFixed(0)} ms`.padStart(6)})  ` +
          `[<= ${kb(BUNDLE_TARGET_BYTES)}: ${verdict(bytes <= BUNDLE_TARGET_BYTES)}; <= ${IMPORT_TARGET_MS} ms: ${verdict(ms <= IMPORT_TARGET_MS)}]`,
      );
    }
    print('');
    print(`Largest parts of each bundle (bytes in the minified output, top ${TOP_INPUTS}):`);
    for (const entry of entries) {
      const names = Object.entries(FUNCTIONS)
        .filter(([, f]) => f.entry === entry)
        .map(([name]) => name);
      print(`  ${relative('lambdas', entry)} (${names.join(', ')}):`);
      for (const { name, bytes } of largestParts(bundles.get(entry)!).slice(0, TOP_INPUTS)) print(`    ${kb(bytes).padStart(9)}  ${name}`);
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await benchBundles();

// `npm run fuzz -- --count N [--seed S [--path P]]`: the request fuzzer against a local stack in this process.
// Prints requests per second, answers by status and kind, the properties checked, and on failure the seed, the
// replay command and the shrunk request.
import '../../local/lambda-aliases.js';
import { parseArgs } from 'node:util';
import { formatReport, runFuzz } from './run.js';
import { startFuzzWorld } from './world.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000' }, seed: { type: 'string' }, path: { type: 'string' }, quiet: { type: 'boolean', default: false } },
});
const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) {
  console.error('--count takes a whole number of requests');
  process.exit(2);
}
const world = await startFuzzWorld();
let exitCode = 0;
try {
  const report = await runFuzz(world, {
    count,
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    ...(values.path !== undefined ? { path: values.path } : {}),
    progress: (so) => {
      if (!values.quiet && so.requests % 1000 === 0) console.log(`  ${so.requests} requests, ${(so.requests / so.seconds).toFixed(1)}/s`);
    },
  });
  console.log(formatReport(report));
  if (report.failure) {
    exitCode = 1;
    console.log(`\nFAILED (seed ${report.failure.seed}): ${report.failure.problems.join('; ')}`);
    console.log(`replay: npm run fuzz -- --seed ${report.failure.seed} --path ${report.failure.path} --count 1`);
    console.log(`shrunk request:\n${report.failure.counterexample}`);
  } else console.log('\nall properties held');
} finally {
  await world.stop();
}
process.exit(exitCode);

import { bundleFunction, largestParts } from '../lib/bundling.ts';
for (const entry of process.argv.slice(2)) {
  const b = await bundleFunction(entry, '/tmp/probe-out-' + Math.random().toString(16).slice(2));
  const total = Object.values(b.output.inputs).reduce((s, i) => s + i.bytesInOutput, 0);
  console.log(entry, Math.round(total / 1024), 'KB');
  for (const p of largestParts(b).slice(0, 40)) console.log('  ', p.name, Math.round(p.bytes / 1024));
}

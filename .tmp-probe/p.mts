import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '/work/main/lib/bundling.ts';
const ext = process.argv.slice(3);
const r = await build({ absWorkingDir: '/work/main', entryPoints: [process.argv[2]], outfile: '/tmp/p2/index.mjs', bundle: true, platform: 'node', target: FUNCTION_BUNDLING.target, format: FUNCTION_BUNDLING.format, minify: true, mainFields: [...FUNCTION_BUNDLING.mainFields], external: [...FUNCTION_BUNDLING.externalModules, ...ext], metafile: true, logLevel: 'error' });
console.log(Math.round(Object.values(r.metafile.outputs)[0].bytes/1024), 'KB');

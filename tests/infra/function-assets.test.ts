// Files a function reads at run time (Swagger UI for the docs page) are deployed beside its bundle, not inside it:
// the CDK bundling hooks that copy them, and the docs bundle serving them from there as it would on Lambda.
import { execFile, execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName } from '../../lambdas/functions.js';
import { assetCopyHooks, BUNDLE_TARGET_BYTES, bundleFunction, REPO_ROOT } from '../../lib/bundling.js';
import { CodexFunction, functionBundlingExtras } from '../../lib/codex-function.js';

const workDir = mkdtempSync(join(tmpdir(), 'codex-function-assets-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the bundling of a function with assets', () => {
  it('copies each listed file beside the bundle after esbuild has run', () => {
    const hooks = assetCopyHooks(['node_modules/pkg/a.js', 'docs/b.css'])!;
    expect(hooks.beforeBundling()).toEqual([]);
    expect(hooks.beforeInstall()).toEqual([]);
    expect(hooks.afterBundling('/asset-input', '/asset-output')).toEqual([
      'cp "/asset-input/node_modules/pkg/a.js" "/asset-output/"',
      'cp "/asset-input/docs/b.css" "/asset-output/"',
    ]);
  });

  it('refuses paths that leave the repository or would need quoting', () => {
    for (const path of ['../secret', '/etc/passwd', 'a/../../b', 'a b', 'a";rm -rf /;"', 'a/'])
      expect(() => assetCopyHooks([path]), path).toThrow(/plain relative path/);
  });

  it('adds hooks to the functions that list assets (the docs function) and to no other', () => {
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const extras = functionBundlingExtras(FUNCTIONS[name]);
      if (name === 'apiDocs') expect(extras.commandHooks?.afterBundling('/in', '/out')).toHaveLength(FUNCTIONS.apiDocs.assets.length);
      else expect(extras, name).toEqual({});
    }
  });
});

describe('the docs function as deployed', () => {
  it('is packaged by CDK with the Swagger UI files beside its bundle', () => {
    // Bundling on (unlike codex-stack.test.ts), for this one function: CDK runs esbuild locally, then the hooks.
    const outdir = join(workDir, 'cdk.out');
    const app = new App({ outdir });
    new CodexFunction(new Stack(app, 'Docs'), 'ApiDocs', { spec: FUNCTIONS.apiDocs });
    app.synth();
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    expect(readdirSync(join(outdir, assets[0]!)).sort()).toEqual([
      'index.mjs',
      'index.mjs.map',
      'swagger-ui-bundle.js',
      'swagger-ui-standalone-preset.js',
      'swagger-ui.css',
    ]);
  });

  it('serves Swagger UI from the files copied beside its bundle, which carries neither them nor more than its budget', async () => {
    const outdir = join(workDir, 'apiDocs');
    const bundle = await bundleFunction(FUNCTIONS.apiDocs.entry, outdir);
    const inputs = Object.keys(bundle.output.inputs);
    expect(inputs.filter((path) => path.includes('swagger-ui-dist'))).toEqual([]);
    expect(bundle.bytes).toBeLessThanOrEqual(BUNDLE_TARGET_BYTES);
    for (const command of functionBundlingExtras(FUNCTIONS.apiDocs).commandHooks!.afterBundling(REPO_ROOT.replace(/\/$/, ''), outdir)) execSync(command);

    // Run from a folder with no node_modules above it, as on Lambda.
    const script = `
      const { handler } = await import(${JSON.stringify(bundle.file)});
      const get = async (path, resource, pathParameters) => {
        const res = await handler({ httpMethod: 'GET', resource, path, headers: { host: 'abc.execute-api.us-east-1.amazonaws.com' },
          pathParameters, requestContext: { path: '/dev' + path, stage: 'dev', requestId: 'r' } });
        return { status: res.statusCode, type: res.headers['content-type'], length: res.body.length, body: res.body };
      };
      const page = await get('/api/v1/docs', '/api/v1/docs');
      const css = await get('/api/v1/docs/swagger-ui.css', '/api/v1/docs/{asset}', { asset: 'swagger-ui.css' });
      const js = await get('/api/v1/docs/swagger-ui-bundle.js', '/api/v1/docs/{asset}', { asset: 'swagger-ui-bundle.js' });
      const doc = await get('/api/v1/openapi.json', '/api/v1/openapi.json');
      console.log(JSON.stringify({ page, css, js: { ...js, body: undefined }, doc: { ...doc, body: JSON.parse(doc.body).servers } }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outdir,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        AWS_LAMBDA_FUNCTION_NAME: 'codex-dev-apiDocs',
        AWS_REGION: 'us-east-1',
        TABLE_NAME: 'codex',
        EVENT_BUS_NAME: 'bus',
        API_KEY_PEPPER_SECRET_ID: 'pepper',
        STAGE: 'dev',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
      },
    });
    const { page, css, js, doc } = JSON.parse(stdout);
    expect(page).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(page.body).toContain('src="/dev/api/v1/docs/swagger-ui-bundle.js?v=');
    expect(css).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    expect(css.body).toBe(readFileSync(join(REPO_ROOT, 'node_modules/swagger-ui-dist/swagger-ui.css'), 'utf8'));
    expect(js).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(js.length).toBeGreaterThan(1_000_000);
    expect(doc).toMatchObject({ status: 200, body: [{ url: 'https://abc.execute-api.us-east-1.amazonaws.com/dev' }] });
  });
});

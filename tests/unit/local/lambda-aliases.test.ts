// Local processes (and these tests, through vitest's setupFiles) give the X-Ray SDK the segment context the Lambda
// bundles alias in: AsyncLocalStorage, not cls-hooked's async hook on every promise.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { segmentContextModule } from '../../../local/lambda-aliases.js';
import { BUNDLE_ALIASES, REPO_ROOT } from '../../../lib/bundling.js';

const require = createRequire(import.meta.url);

interface XRaySdk {
  getNamespace(): { run(fn: () => void): void; _contexts?: unknown };
  Segment: new (name: string) => object;
  setSegment(segment: object): void;
  getSegment(): object | undefined;
}

describe('the X-Ray SDK in local processes', () => {
  it("keeps its segment across awaits on the Lambda bundles' context, not cls-hooked's", async () => {
    const xray = require('aws-xray-sdk-core') as XRaySdk;
    // The module local/lambda-aliases.ts imports is the one the bundles alias in: the two cannot drift apart.
    expect(BUNDLE_ALIASES['cls-hooked/context']).toBe('./lambdas/shared/observability/cls-context.ts');
    expect(segmentContextModule()).toHaveProperty('createNamespace');
    // cls-hooked's namespace keeps a context per async id, filled by its hook; the AsyncLocalStorage one has none.
    expect(xray.getNamespace()._contexts).toBeUndefined();
    const segment = new xray.Segment('local-run');
    const seen = await new Promise<object | undefined>((resolve) =>
      xray.getNamespace().run(() => {
        xray.setSegment(segment);
        setTimeout(() => void Promise.resolve().then(() => resolve(xray.getSegment())), 1);
      }),
    );
    expect(seen).toBe(segment);
  });

  it('would load cls-hooked without it (what this replaces)', () => {
    const script = "console.log(require('aws-xray-sdk-core').getNamespace()._contexts instanceof Map)";
    expect(execFileSync(process.execPath, ['-e', script], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()).toBe('true');
  });
});

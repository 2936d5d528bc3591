// Loads the same handler modules that CDK bundles, by the entries in lambdas/functions.ts.
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FUNCTIONS, type FunctionName } from '../lambdas/functions.js';
import { placeholderContext } from '../lambdas/shared/observability/observe.js';
import { currentFunction } from './capacity-meter.js';
import { inInvocation } from './invoke-store.js';

export type LambdaFunction = (event: unknown, context?: unknown) => Promise<unknown>;

const loaded = new Map<FunctionName, Promise<LambdaFunction>>();

/** Invocations and their wall time per function, for the benchmark's cost figures (Lambda bills requests and GB-seconds). */
export const invocations = new Map<FunctionName, { calls: number; ms: number }>();

/** For tests of the stack in its own process: each invocation's function and event, one JSON line each. */
const captureFile = process.env.CODEX_CAPTURE_EVENTS;

/**
 * For crash tests (tests/crash): `CODEX_KILL_AT=<function>:<before|after>:<n>` kills this process with SIGKILL just
 * before the n-th invocation of that function starts, or just after it finished (its writes done, its caller never
 * told). Nothing of it reaches a handler.
 */
const killAt = parseKillAt(process.env.CODEX_KILL_AT);
let killCount = 0;

function parseKillAt(text: string | undefined): { name: string; when: 'before' | 'after'; n: number } | undefined {
  if (!text) return undefined;
  const match = /^(\w+):(before|after):(\d+)$/.exec(text);
  if (!match) throw new Error(`CODEX_KILL_AT must be <function>:<before|after>:<n>, not ${text}`);
  return { name: match[1]!, when: match[2] as 'before' | 'after', n: Number(match[3]) };
}

function die(moment: string): never {
  // Written synchronously (stderr is a pipe or a terminal), so the test can tell this kill from any other death.
  process.stderr.write(`CODEX_KILL_AT: killed ${moment}\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL sent');
}

/** Where invocations run when not in this process: in containers of their own (CODEX_CONTAINERS=isolated). */
let elsewhere: ((name: FunctionName) => LambdaFunction) | undefined;

/** Runs every function's invocations through `invoker` from now on (undefined: in this process again). */
export function runFunctionsIn(invoker: ((name: FunctionName) => LambdaFunction) | undefined): void {
  elsewhere = invoker;
  loaded.clear();
}

function importHandler(name: FunctionName, root: string): Promise<LambdaFunction> {
  const spec = FUNCTIONS[name];
  return import(resolve(root, spec.entry)).then((module: Record<string, unknown>) => {
    const handler = module[spec.handler];
    if (typeof handler !== 'function') throw new Error(`${spec.entry} does not export ${spec.handler}`);
    return handler as LambdaFunction;
  });
}

export function loadFunction(name: FunctionName, root: string): Promise<LambdaFunction> {
  let fn = loaded.get(name);
  if (!fn) {
    fn = (elsewhere ? Promise.resolve(elsewhere(name)) : importHandler(name, root)).then((handler) => {
      // Each invocation runs in its own async context naming the function, as each would run in its own Lambda, and
      // with its own Powertools state (local/invoke-store.ts), as concurrent invocations of one function do on Lambda.
      return ((event: unknown, context?: unknown) => {
        if (captureFile) appendFileSync(captureFile, `${JSON.stringify({ function: name, event })}\n`);
        const killHere = killAt?.name === name && ++killCount === killAt.n ? killAt.when : undefined;
        if (killHere === 'before') die(`before invocation ${killCount} of ${name}`);
        const meter = invocations.get(name) ?? { calls: 0, ms: 0 };
        invocations.set(name, meter);
        meter.calls++;
        const started = performance.now();
        // Lambda always passes a context (Powertools reads it); the local callers that have none get one.
        const invocationContext = (context as ReturnType<typeof lambdaContext> | undefined) ?? lambdaContext(name, randomUUID());
        const result = inInvocation(invocationContext.awsRequestId, () => currentFunction.run(name, () => handler(event, invocationContext))).finally(() => {
          meter.ms += performance.now() - started;
        });
        return killHere === 'after' ? result.finally(() => die(`after invocation ${killAt!.n} of ${name}`)) : result;
      }) as LambdaFunction;
    });
    loaded.set(name, fn);
  }
  return fn;
}

/** A minimal Lambda context, enough for middy and Powertools. */
export function lambdaContext(name: string, requestId: string) {
  return placeholderContext(name, requestId, 512);
}

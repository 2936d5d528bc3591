// Keeps concurrent local invocations apart, as Lambda does for functions that serve several requests at once: the
// Powertools Logger, Metrics and Tracer keep their per-invocation state (appended keys, buffered metrics, the
// segment) in the InvokeStore when AWS_LAMBDA_MAX_CONCURRENCY is set (commons' shouldUseInvokeStore), and every
// handler module of the local stack shares one Logger and one Metrics. Code outside any invocation (the stack's own
// work, tests that call a store directly) shares one context, where Lambda would have no code running at all.
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';

type InvokeContext = Record<string | symbol, unknown>;

class LocalInvokeStore extends InvokeStoreBase {
  private readonly invocations = new AsyncLocalStorage<InvokeContext>();
  private readonly outside: InvokeContext = {};

  getContext(): InvokeContext {
    return this.invocations.getStore() ?? this.outside;
  }

  hasContext(): boolean {
    return true;
  }

  get<T = unknown>(key: string | symbol): T | undefined {
    return this.getContext()[key] as T | undefined;
  }

  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    this.getContext()[key] = value;
  }

  run<T>(context: InvokeContext, fn: () => T): T {
    return this.invocations.run(context, fn);
  }
}

/**
 * The process's invoke store, where Powertools looks for it. The AWS SDK installs one of its own on its first request
 * (recursion detection asks InvokeStore.getInstanceAsync for the trace id), a single-context one while
 * AWS_LAMBDA_MAX_CONCURRENCY is unset, in which the invocation started last takes every other's log context: ours
 * replaces it (and the local stack installs it before its first SDK request).
 */
export function localInvokeStore(): InvokeStoreBase {
  // Any value turns the InvokeStore on; Lambda sets the function's per-instance concurrency here.
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  globalThis.awslambda ??= {} as typeof globalThis.awslambda;
  if (!(globalThis.awslambda.InvokeStore instanceof LocalInvokeStore)) globalThis.awslambda.InvokeStore = new LocalInvokeStore();
  return globalThis.awslambda.InvokeStore;
}

/** Runs one invocation in a context of its own, named by its request id. */
export function inInvocation<T>(requestId: string, fn: () => T): T {
  return localInvokeStore().run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, fn);
}

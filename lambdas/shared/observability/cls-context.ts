// cls-hooked's namespaces as the X-Ray SDK uses them (enter once, run, get, set) on Node's AsyncLocalStorage: every
// bundle aliases 'cls-hooked/context' here (lib/bundling.ts). cls-hooked puts an async hook on every promise and
// ships 11 KB with its emitter shims; the SDK binds no emitter (only its promise patcher would, and it is not bundled).
import { AsyncLocalStorage } from 'node:async_hooks';

type Context = Record<string | symbol, unknown>;

class Namespace {
  readonly #storage = new AsyncLocalStorage<Context>();
  /** What enter() made active outside any run(): on Lambda, the SDK's facade segment's context, for the process. */
  #entered: Context | null = null;

  constructor(readonly name: string) {}

  get active(): Context | null {
    return this.#storage.getStore() ?? this.#entered;
  }

  createContext(): Context {
    return Object.create(this.active ?? Object.prototype);
  }

  enter(context: Context): void {
    if (this.#storage.getStore()) this.#storage.enterWith(context);
    else this.#entered = context;
  }

  exit(context: Context): void {
    if (this.#entered === context) this.#entered = null;
  }

  run(fn: (context: Context) => void): Context {
    const context = this.createContext();
    this.#storage.run(context, () => fn(context));
    return context;
  }

  runAndReturn<T>(fn: (context: Context) => T): T {
    const context = this.createContext();
    return this.#storage.run(context, () => fn(context));
  }

  bind<A extends unknown[], R>(fn: (...args: A) => R, context: Context = this.createContext()): (...args: A) => R {
    return (...args) => this.#storage.run(context, () => fn(...args));
  }

  get(key: string | symbol): unknown {
    return this.active?.[key];
  }

  set<T>(key: string | symbol, value: T): T {
    const active = this.active;
    if (!active) throw new Error('No context available. ns.run() or ns.bind() must be called first.');
    active[key] = value;
    return value;
  }
}

const namespaces = new Map<string, Namespace>();

export function getNamespace(name: string): Namespace | undefined {
  return namespaces.get(name);
}

export function createNamespace(name: string): Namespace {
  const namespace = new Namespace(name);
  namespaces.set(name, namespace);
  return namespace;
}

export function destroyNamespace(name: string): void {
  namespaces.delete(name);
}

export function reset(): void {
  namespaces.clear();
}

export const ERROR_SYMBOL = 'error@context';

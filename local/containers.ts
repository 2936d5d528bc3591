// CODEX_CONTAINERS=isolated: every function's invocations run in containers of their own, as on Lambda. A container
// is a child process that loads the handler itself and shares no memory with the stack or its siblings; it serves one
// invocation at a time; a new one starts when all of a function's containers are busy, and an idle one is reused.
// The platform stand-ins (secrets, workflow, event bus, queues, outbox; the in-memory table) stay in the stack's
// process, which answers the containers' calls to them (local/container.ts).
import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { FunctionName } from '../lambdas/functions.js';
import type { Platform } from '../lambdas/shared/platform.js';
import type { AwsLatency } from './aws-latency.js';
import type { LambdaFunction } from './functions.js';

export type ContainerMode = 'shared' | 'isolated';

/** At most this many containers of one function by default; further invocations wait for one to be free. */
const MAX_CONTAINERS_PER_FUNCTION = 32;

export interface ContainerReport {
  function: FunctionName;
  pid: number;
  invocations: number;
  busy: boolean;
}

export interface Containers {
  /** The function as its callers invoke it, each invocation in one of its containers. */
  invoker(name: FunctionName): LambdaFunction;
  /** Every container started and still running, by function. */
  report(): ContainerReport[];
  stop(): Promise<void>;
}

/** The platform services a container reaches by message: their methods by name. */
const REMOTE_SERVICES = ['secrets', 'secretWriter', 'gatewayKeys', 'workflow', 'events', 'queues', 'alerts', 'email', 'metrics', 'webhooks'] as const;

export interface ContainerOptions {
  root: string;
  platform: Platform;
  /** The in-process table's request handler (store 'memory'), which containers reach by message; without latency. */
  memoryDynamo?: { handle(request: { headers: Record<string, string>; body?: unknown }): Promise<{ response: unknown }> };
  awsLatency?: AwsLatency;
  /** MAX_CONTAINERS_PER_FUNCTION unless given. */
  maxPerFunction?: number;
}

export type WireError = { name: string; message: string; stack?: string; fields: Record<string, unknown> };

type ToContainer = { type: 'invoke'; id: number; event: unknown; requestId: string } | { type: 'answer'; id: number; value?: unknown; error?: WireError };
type FromContainer =
  | { type: 'ready' }
  | { type: 'result'; id: number; value?: unknown; error?: WireError }
  | { type: 'call'; id: number; service: string; method: string; args: unknown[] };

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(JSON.stringify({ ...error }));
  } catch {}
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}), fields };
}

export function fromWireError(wire: WireError): Error {
  const error = Object.assign(new Error(wire.message), wire.fields);
  error.name = wire.name;
  if (wire.stack) error.stack = wire.stack;
  return error;
}

function methodsOf(service: object): string[] {
  const names = new Set<string>();
  for (let proto = service; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
    for (const name of Object.getOwnPropertyNames(proto))
      if (name !== 'constructor' && typeof (service as Record<string, unknown>)[name] === 'function') names.add(name);
  return [...names];
}

interface Container {
  child: ChildProcess;
  ready: Promise<void>;
  invocations: number;
  busy: boolean;
  pending?: { id: number; resolve: (value: unknown) => void; reject: (error: Error) => void };
}

export function startContainers(options: ContainerOptions): Containers {
  if (options.platform.fetch) throw new Error('Isolated containers reach the network themselves: a platform fetch needs CODEX_CONTAINERS=shared');
  const services: Record<string, string[]> = {};
  for (const name of REMOTE_SERVICES) {
    const service = options.platform[name];
    if (service) services[name] = methodsOf(service);
  }
  type Waiter = { resolve: (container: Container) => void; reject: (error: Error) => void };
  const pools = new Map<FunctionName, { all: Set<Container>; idle: Container[]; waiting: Waiter[] }>();
  let nextId = 0;
  let stopping = false;

  const answerCall = async (container: Container, message: Extract<FromContainer, { type: 'call' }>) => {
    let reply: ToContainer;
    try {
      const target = message.service === 'dynamoDb' ? options.memoryDynamo : (options.platform as Record<string, unknown>)[message.service];
      if (!target) throw new Error(`the stack has no ${message.service} to call`);
      let value = await (target as Record<string, (...args: unknown[]) => unknown>)[message.method]!(...message.args);
      if (message.service === 'dynamoDb') {
        const { statusCode, headers, body } = (value as { response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }).response;
        value = { statusCode, headers, body: new Uint8Array(body) };
      }
      reply = { type: 'answer', id: message.id, value };
    } catch (error) {
      reply = { type: 'answer', id: message.id, error: toWireError(error) };
    }
    if (container.child.connected) container.child.send(reply);
  };

  const spawn = (name: FunctionName): Container => {
    const { CODEX_KILL_AT: _kill, CODEX_CAPTURE_EVENTS: _capture, ...env } = process.env;
    const child = fork(resolve(options.root, 'local/container.ts'), [], {
      cwd: options.root,
      // tsx's loader, whichever way the stack itself was started (npm start, a test runner).
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      env: {
        ...env,
        CODEX_CONTAINER_FUNCTION: name,
        CODEX_CONTAINER_SERVICES: JSON.stringify(services),
        ...(options.memoryDynamo ? { CODEX_CONTAINER_MEMORY_DYNAMO: '1' } : {}),
        ...(options.awsLatency ? { CODEX_AWS_LATENCY_MS: `${options.awsLatency.readMs},${options.awsLatency.writeMs}` } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let markReady: () => void = () => undefined;
    let failStart: (error: Error) => void = () => undefined;
    const container: Container = {
      child,
      invocations: 0,
      busy: true,
      ready: new Promise<void>((resolveReady, reject) => {
        markReady = resolveReady;
        failStart = reject;
      }),
    };
    child.on('message', (message: FromContainer) => {
      if (message.type === 'ready') markReady();
      else if (message.type === 'call') void answerCall(container, message);
      else if (message.type === 'result' && container.pending?.id === message.id) {
        const { pending } = container;
        container.pending = undefined;
        if (message.error) pending.reject(fromWireError(message.error));
        else pending.resolve(message.value);
      }
    });
    child.once('exit', (code, signal) => {
      const pool = pools.get(name);
      pool?.all.delete(container);
      if (pool) pool.idle = pool.idle.filter((c) => c !== container);
      const gone = new Error(`the ${name} container (pid ${child.pid}) exited (${signal ?? `code ${code}`})`);
      failStart(gone);
      container.pending?.reject(gone);
      container.pending = undefined;
      // An invocation waiting for a free container (all MAX busy) gets a new one in its place.
      const waiter = stopping ? undefined : pool?.waiting.shift();
      if (waiter) acquire(name).then(waiter.resolve, waiter.reject);
    });
    return container;
  };

  const acquire = async (name: FunctionName): Promise<Container> => {
    let pool = pools.get(name);
    if (!pool) pools.set(name, (pool = { all: new Set(), idle: [], waiting: [] }));
    const warm = pool.idle.pop();
    if (warm) return warm;
    if (pool.all.size >= (options.maxPerFunction ?? MAX_CONTAINERS_PER_FUNCTION))
      return new Promise((resolveWait, reject) => pool.waiting.push({ resolve: resolveWait, reject }));
    const container = spawn(name);
    pool.all.add(container);
    await container.ready;
    return container;
  };

  const release = (name: FunctionName, container: Container) => {
    const pool = pools.get(name)!;
    if (!pool.all.has(container)) return;
    const next = pool.waiting.shift();
    if (next) return next.resolve(container);
    container.busy = false;
    pool.idle.push(container);
  };

  const invoke = async (name: FunctionName, event: unknown, requestId: string): Promise<unknown> => {
    if (stopping) throw new Error('the local stack is stopping');
    const container = await acquire(name);
    container.busy = true;
    container.invocations++;
    try {
      return await new Promise((resolveResult, reject) => {
        const id = ++nextId;
        container.pending = { id, resolve: resolveResult, reject };
        container.child.send({ type: 'invoke', id, event, requestId } satisfies ToContainer);
      });
    } finally {
      release(name, container);
    }
  };

  return {
    invoker: (name) => (event, context) => invoke(name, event, (context as { awsRequestId?: string } | undefined)?.awsRequestId ?? `local-${++nextId}`),
    report: () =>
      [...pools.entries()].flatMap(([name, pool]) =>
        [...pool.all].map((container) => ({ function: name, pid: container.child.pid ?? 0, invocations: container.invocations, busy: container.busy })),
      ),
    stop: async () => {
      stopping = true;
      const children = [...pools.values()].flatMap((pool) => [...pool.all].map((container) => container.child));
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        ),
      );
      pools.clear();
    },
  };
}

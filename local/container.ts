// One Lambda container of the local stack (CODEX_CONTAINERS=isolated, local/containers.ts): a process of its own that
// loads its function's handler and serves one invocation at a time. Its DynamoDB client is its own (CODEX_AWS_LATENCY_MS
// applies here too); the platform stand-ins are the stack's, reached by message.
import './lambda-aliases.js';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionName } from '../lambdas/functions.js';
import { type Platform, usePlatform } from '../lambdas/shared/platform.js';
import { dynamoRequestHandler, parseAwsLatency } from './aws-latency.js';
import { fromWireError, toWireError, type WireError } from './containers.js';
import { lambdaContext, loadFunction } from './functions.js';
import { localInvokeStore } from './invoke-store.js';
import { useLogLevel } from './log-level.js';

type FromStack = { type: 'invoke'; id: number; event: unknown; requestId: string } | { type: 'answer'; id: number; value?: unknown; error?: WireError };

// Not taken from stack.ts, which would load the whole stack into every container.
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const send = (message: unknown) => {
  if (process.connected) process.send!(message);
};

const calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextCall = 0;
const call = (service: string, method: string, args: unknown[]) =>
  new Promise<unknown>((resolve, reject) => {
    const id = ++nextCall;
    calls.set(id, { resolve, reject });
    send({ type: 'call', id, service, method, args });
  });

async function main(): Promise<void> {
  localInvokeStore();
  const name = process.env.CODEX_CONTAINER_FUNCTION as FunctionName;
  const services = JSON.parse(process.env.CODEX_CONTAINER_SERVICES ?? '{}') as Record<string, string[]>;
  const remote = Object.fromEntries(
    Object.entries(services).map(([service, methods]) => [
      service,
      Object.fromEntries(methods.map((method) => [method, (...args: unknown[]) => call(service, method, args)])),
    ]),
  );
  const memoryDynamo =
    process.env.CODEX_CONTAINER_MEMORY_DYNAMO === '1'
      ? {
          handle: async (request: { headers: Record<string, string>; body?: unknown }) => ({
            response: await call('dynamoDb', 'handle', [{ headers: request.headers, body: request.body }]),
          }),
          updateHttpClientConfig: () => undefined,
          httpHandlerConfigs: () => ({}),
          destroy: () => undefined,
        }
      : undefined;
  const requestHandler = dynamoRequestHandler(parseAwsLatency(process.env.CODEX_AWS_LATENCY_MS), memoryDynamo);
  usePlatform({
    ...(remote as Platform),
    ...(requestHandler ? { dynamoDb: { requestHandler, ...(memoryDynamo ? { retryDelayMs: 0 } : {}) } } : {}),
  });
  useLogLevel(process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN');
  const handler = await loadFunction(name, REPO_ROOT);

  process.on('message', (message: FromStack) => {
    if (message.type === 'answer') {
      const pending = calls.get(message.id);
      calls.delete(message.id);
      if (message.error) pending?.reject(fromWireError(message.error));
      else pending?.resolve(message.value);
      return;
    }
    handler(message.event, lambdaContext(name, message.requestId)).then(
      (value) => send({ type: 'result', id: message.id, value }),
      (error) => send({ type: 'result', id: message.id, error: toWireError(error) }),
    );
  });
  // The stack went away: so does its container.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

main().catch((error) => {
  console.error(`local container ${process.env.CODEX_CONTAINER_FUNCTION} could not start:`, error);
  process.exit(1);
});

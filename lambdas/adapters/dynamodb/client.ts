import { DynamoDBClient, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, DynamoDBDocumentClientCommand } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import type { DeserializeMiddleware, HttpAuthScheme } from '@smithy/types';

export interface DocumentClientOptions {
  region: string;
  endpoint?: string;
  /**
   * A smithy HttpHandler that answers in place of the network (the in-memory engine of the simulation), or one
   * around the network (emulated AWS round trips); with an endpoint too, requests stay signed (DynamoDB Local wants it).
   */
  requestHandler?: unknown;
  maxAttempts?: number;
  /** Fixed delay between the SDK's own retries; 0 = retry at once (a simulation must not sleep on throttling). */
  retryDelayMs?: number;
  /** Takes the client past the SDK's wire, to a store in this process (the in-memory engine's `shortcut`). */
  shortcut?: (client: DynamoDBClient) => void;
}

/** SigV4 without the signature: an in-process handler checks none, and signing every request costs the simulation ~6 %. */
const unsignedSigV4: HttpAuthScheme = {
  schemeId: 'aws.auth#sigv4',
  identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
  signer: { sign: async (request) => request },
};

export function createDocumentClient(options: DocumentClientOptions): DynamoDBDocumentClient {
  const offline = options.endpoint !== undefined || options.requestHandler !== undefined;
  const maxAttempts = options.maxAttempts;
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(offline ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler as never, ...(options.endpoint ? {} : { httpAuthSchemes: [unsignedSigV4] }) } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(options.retryDelayMs !== undefined ? { retryStrategy: new ConfiguredRetryStrategy(maxAttempts ?? 3, () => options.retryDelayMs ?? 0) } : {}),
  });
  options.shortcut?.(client);
  client.middlewareStack.add(retryTransactionConflicts, { step: 'deserialize', priority: 'high', name: 'retryTransactionConflicts' });
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  resolveMiddlewareOnce(documents);
  return documents;
}

type ResolvedHandler = (command: unknown) => Promise<{ output: unknown }>;

/** What resolveMiddlewareOnce uses of a DocumentClient command (public at run time, protected in its types). */
interface DocumentCommandInternals {
  clientCommand: { resolveMiddleware(stack: unknown, config: unknown, options: unknown): ResolvedHandler };
  input: { TableName?: unknown };
  middlewareStack: { concat(stack: unknown): unknown; identify(): string[] };
  addMarshallingMiddleware(config: unknown): void;
}

/**
 * Resolves the middleware of each DocumentClient command class once per client, as the SDK's own `cacheMiddleware`
 * option does for its clients (which the DocumentClient refuses: its commands' handlers close over their first
 * command, aws-sdk-js-v3#7801). Resolving means copying, sorting and chaining the client's and command's middleware,
 * about 0.1 ms of CPU per call: a Lambda's share of every order's DynamoDB calls, and a fifth of the simulation.
 * The resolved chain is the SDK's own (its marshalling, endpoint, retries and deserializer, bound to the class, not the
 * first command), and each call still hands it its own input; the calls of a class share one handler context, as
 * with `cacheMiddleware`, where what the SDK writes per call (endpoint, auth scheme) is the same for every call of a
 * class while tables are named, not given as ARNs. A change to the client's middleware stack starts over; a call with
 * options (an abort signal) or callback, with middleware of its own, naming its table by ARN, or of a low-level
 * command, takes the SDK's usual path.
 */
function resolveMiddlewareOnce(documents: DynamoDBDocumentClient): void {
  const handlers = new Map<unknown, ResolvedHandler>();
  const stack = documents.middlewareStack as unknown as Record<string, unknown>;
  for (const method of ['add', 'addRelativeTo', 'use', 'remove', 'removeByTag'] as const) {
    const original = stack[method] as (...args: unknown[]) => unknown;
    stack[method] = (...args: unknown[]) => {
      handlers.clear();
      return original.apply(stack, args);
    };
  }
  const bySdk = (command: DocumentCommandInternals): boolean => {
    // The class's own send when replaced (aws-sdk-client-mock stubs DynamoDBDocumentClient.prototype.send).
    if (Object.hasOwn(DynamoDBDocumentClient.prototype, 'send') || !(command instanceof DynamoDBDocumentClientCommand)) return true;
    const tableName = command.input?.TableName;
    return command.middlewareStack.identify().length > 0 || (typeof tableName === 'string' && tableName.startsWith('arn:'));
  };
  documents.send = ((command: unknown, ...rest: unknown[]) => {
    const internals = command as DocumentCommandInternals;
    if (rest.length > 0 || bySdk(internals))
      return (DynamoDBDocumentClient.prototype.send as (...args: unknown[]) => Promise<unknown>).call(documents, command, ...rest);
    let handler = handlers.get(internals.constructor);
    if (!handler) {
      internals.addMarshallingMiddleware(documents.config);
      handler = internals.clientCommand.resolveMiddleware(documents.middlewareStack.concat(internals.middlewareStack as never), documents.config, undefined);
      handlers.set(internals.constructor, handler);
    }
    return handler(internals.clientCommand).then((result) => result.output);
  }) as typeof documents.send;
}

/**
 * A single-item write that meets an item a transaction holds fails with TransactionConflictException, a 400 the SDK
 * does not retry; marked retryable (a transient error, not throttling) it gets the SDK's own backoff up to maxAttempts.
 * In the deserialize step ahead of the deserializer (it sees the typed error), inside the retry middleware, which reads
 * `$retryable`.
 */
const retryTransactionConflicts: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
  try {
    return await next(args);
  } catch (error) {
    if ((error as Error | undefined)?.name === 'TransactionConflictException')
      (error as { $retryable?: { throttling: boolean } }).$retryable = { throttling: false };
    throw error;
  }
};

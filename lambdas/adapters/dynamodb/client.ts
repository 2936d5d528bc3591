import { DynamoDBClient, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
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

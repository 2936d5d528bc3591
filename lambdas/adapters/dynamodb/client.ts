import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';

export interface DocumentClientOptions {
  region: string;
  endpoint?: string;
  /** A smithy HttpHandler that answers in place of the network (the in-memory engine of the simulation). */
  requestHandler?: unknown;
  maxAttempts?: number;
  /** Fixed delay between the SDK's own retries; 0 = retry at once (a simulation must not sleep on throttling). */
  retryDelayMs?: number;
}

export function createDocumentClient(options: DocumentClientOptions): DynamoDBDocumentClient {
  const offline = options.endpoint !== undefined || options.requestHandler !== undefined;
  const maxAttempts = options.maxAttempts;
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(offline ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    ...(options.requestHandler ? { requestHandler: options.requestHandler as never } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    ...(options.retryDelayMs !== undefined ? { retryStrategy: new ConfiguredRetryStrategy(maxAttempts ?? 3, () => options.retryDelayMs ?? 0) } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

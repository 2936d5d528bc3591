// BatchGetItem and BatchWriteItem until nothing is left: throttled, DynamoDB answers a batch with what it did not
// process (UnprocessedKeys/UnprocessedItems, not an error). Those are sent again after a short growing pause, a
// few times; what is still left then fails the call loudly rather than being silently dropped.
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';

const ATTEMPTS = 6;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** attempt)));
const pending = (requests: Record<string, unknown> | undefined): requests is Record<string, unknown> =>
  requests !== undefined && Object.keys(requests).length > 0;

/** The items found, per table; every key is read or the call fails. */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  requestItems: NonNullable<BatchGetCommandInput['RequestItems']>,
): Promise<Record<string, Record<string, unknown>[]>> {
  const found: Record<string, Record<string, unknown>[]> = {};
  let request: BatchGetCommandInput['RequestItems'] = requestItems;
  for (let attempt = 0; pending(request); attempt++) {
    if (attempt === ATTEMPTS) {
      const left = Object.values(request).reduce((sum, r) => sum + (r.Keys?.length ?? 0), 0);
      throw new Error(`BatchGetItem left ${left} keys unprocessed after ${ATTEMPTS} attempts`);
    }
    if (attempt > 0) await pause(attempt);
    const answer: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: request }));
    for (const [table, items] of Object.entries(answer.Responses ?? {})) (found[table] ??= []).push(...items);
    request = answer.UnprocessedKeys;
  }
  return found;
}

/** Every put and delete applied, or the call fails. */
export async function batchWriteAll(db: DynamoDBDocumentClient, requestItems: NonNullable<BatchWriteCommandInput['RequestItems']>): Promise<void> {
  let request: BatchWriteCommandInput['RequestItems'] = requestItems;
  for (let attempt = 0; pending(request); attempt++) {
    if (attempt === ATTEMPTS) {
      const left = Object.values(request).reduce((sum, r) => sum + r.length, 0);
      throw new Error(`BatchWriteItem left ${left} items unprocessed after ${ATTEMPTS} attempts`);
    }
    if (attempt > 0) await pause(attempt);
    request = (await db.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems;
  }
}

// The provider-call log (OrderCallLog): one small item per call beside the order in its page partition
// (`OLOG#<id>#<at>#<nonce>`), read with the order's notes and admin actions as its timeline. Unchanged poll answers
// are not logged (the poller counts them in the provider's health instead): a long order would write one a minute.
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OrderCallEntry, OrderCallLog } from '../../orders/ports.js';
import { keys } from './keys.js';

// Kept out of keys.ts (every function's bundle): only the log's writers and the admin API's reader use them.
/** The order's timeline beside it in its page, outside the `ORDER#` range a status Query reads. */
export const orderLogKey = (orderId: number, at: string, nonce: string) => ({
  pk: keys.orderPage(orderId),
  sk: `${orderLogPrefix(orderId)}${at}#${nonce}`,
});
export const orderLogPrefix = (orderId: number) => `OLOG#${String(orderId).padStart(12, '0')}#`;

/** Provider answers are kept to this many characters: a log item stays under 1 KB (one write unit). */
export const ANSWER_CHARS = 400;

export function orderLogItem(orderId: number, at: string, fields: Record<string, unknown>) {
  return { ...orderLogKey(orderId, at, randomBytes(4).toString('hex')), entity: 'order-log', orderId, at, ...fields };
}

export class DynamoOrderCallLog implements OrderCallLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: OrderCallEntry): Promise<void> {
    const { orderId, at, answer, ...rest } = entry;
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: orderLogItem(orderId, at, { kind: 'call', ...rest, answer: answer.slice(0, ANSWER_CHARS) }) }),
    );
  }
}

// The audit log in the table: one item per entry under its UTC day (`AUDIT#<yyyy-mm-dd>`, sorted by time), written
// alone (record) or inside the transaction of the change it describes (auditPut).
import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { AuditLog } from '../../audit/ports.js';
import { keys } from './keys.js';

/** The Put of an entry, to add to a TransactWriteItems. */
export function auditPut(tableName: string, entry: AuditEntry) {
  const sortKey = `${entry.at}#${randomBytes(6).toString('hex')}`;
  return { Put: { TableName: tableName, Item: { ...keys.audit(entry.at.slice(0, 10), sortKey), entity: 'audit', ...entry } } };
}

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.send(new PutCommand(auditPut(this.tableName, entry).Put));
  }
}

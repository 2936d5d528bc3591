// What the admin user pool's sign-in trigger needs: the audit log in the table, built on first use.
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { lazy } from '../shared/platform.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';

export const signInAuditLog = /* @__PURE__ */ lazy(() => new DynamoAuditLog(documentClient(), tableName()));

// The finance area's adapters, each built on first use (see shared/platform.ts).
import { DynamoAuditLog } from '../adapters/dynamodb/audit-log.js';
import { DynamoFinanceTotals } from '../adapters/dynamodb/finance-totals.js';
import { DynamoLedgerLister } from '../adapters/dynamodb/ledger-lister.js';
import { DynamoReconciliationJobs, DynamoReconciliationSource } from '../adapters/dynamodb/reconciliation-store.js';
import type { AuditLog } from '../audit/ports.js';
import { lazy } from '../shared/platform.js';
import { documentClient, tableName } from '../shared/platform/dynamodb.js';
import type { FinanceTotalsStore, LedgerLister, ReconciliationSource } from './ports.js';

export const financeTotals: () => FinanceTotalsStore = /* @__PURE__ */ lazy(() => new DynamoFinanceTotals(documentClient(), tableName()));
export const ledgerLister: () => LedgerLister = /* @__PURE__ */ lazy(() => new DynamoLedgerLister(documentClient(), tableName()));
export const reconciliationJobs: () => DynamoReconciliationJobs = /* @__PURE__ */ lazy(() => new DynamoReconciliationJobs(documentClient(), tableName()));
export const reconciliationSource: () => ReconciliationSource = /* @__PURE__ */ lazy(() => new DynamoReconciliationSource(documentClient(), tableName()));
export const auditLog: () => AuditLog = /* @__PURE__ */ lazy(() => new DynamoAuditLog(documentClient(), tableName()));

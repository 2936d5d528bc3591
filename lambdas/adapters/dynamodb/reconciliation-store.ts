// Reconciliation jobs (`RECONCILIATION#<id>`) and what a job walks: every wallet, ledger entry and settled order of
// the table, read by one parallel Scan filtered to those items (a background job, so the table's size is its cost,
// not a request's latency; see docs/admin/finance.md).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import type { ReconciliationResult } from '../../finance/domain/reconciliation.js';
import { providerCost } from '../../finance/domain/totals.js';
import type { LedgerFact, ReconciliationJob, ReconciliationJobs, ReconciliationSource, SettledOrderCost, WalletState } from '../../finance/ports.js';
import { micros } from '../../shared/money.js';
import { putNewWithAudit } from './audit-log.js';
import { keys } from './keys.js';

/** The job item's `entity`: its INSERT on the stream starts the job (reconcileFinances). */
export const RECONCILIATION_ENTITY = 'finance-reconciliation';

export class DynamoReconciliationJobs implements ReconciliationJobs {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async start(job: { id: string; requestedBy: string; requestedAt: string }, audit: AuditEntry): Promise<'started' | 'exists'> {
    const item = { ...keys.reconciliation(job.id), entity: RECONCILIATION_ENTITY, ...job, status: 'running' };
    return (await putNewWithAudit(this.db, this.tableName, item, audit)) === 'created' ? 'started' : 'exists';
  }

  async get(id: string): Promise<ReconciliationJob | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.reconciliation(id), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...job } = Item;
    return job as ReconciliationJob;
  }

  async finish(id: string, outcome: { status: 'done'; result: ReconciliationResult } | { status: 'failed'; error: string }, at: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.reconciliation(id),
          UpdateExpression: `SET #status = :status, finishedAt = :at, ${outcome.status === 'done' ? '#result = :detail' : '#error = :detail'}`,
          ConditionExpression: '#status = :running',
          ExpressionAttributeNames: { '#status': 'status', [outcome.status === 'done' ? '#result' : '#error']: outcome.status === 'done' ? 'result' : 'error' },
          ExpressionAttributeValues: {
            ':status': outcome.status,
            ':at': at,
            ':running': 'running',
            ':detail': outcome.status === 'done' ? outcome.result : outcome.error,
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

const SEGMENTS = 4;

const toWallet = (item: Record<string, unknown>): WalletState => ({
  walletId: String(item.id),
  ownerId: String(item.ownerId),
  // What the ledger sums to: the balance and what open balance leases hold (balance-lease.ts).
  balance: micros(Number(item.balance) + Number(item.held ?? 0)),
  seq: Number(item.seq),
});
const toFact = (item: Record<string, unknown>): LedgerFact => ({ walletId: String(item.walletId), seq: Number(item.seq), amount: micros(Number(item.amount)) });

export class DynamoReconciliationSource implements ReconciliationSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async walk(visit: (page: { wallets: WalletState[]; ledger: LedgerFact[]; orders: SettledOrderCost[] }) => void): Promise<void> {
    await Promise.all(Array.from({ length: SEGMENTS }, (_, segment) => this.walkSegment(segment, visit)));
  }

  async wallet(walletId: string): Promise<{ wallet?: WalletState; ledger: LedgerFact[] }> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.wallet(walletId), ConsistentRead: true }));
    const wallet = Item ? toWallet(Item) : undefined;
    const ledger: LedgerFact[] = [];
    // Entries past the seq read were written after the wallet was read (each in the transaction that moved seq on).
    const last = keys.ledgerEntry(walletId, wallet?.seq ?? 0).sk;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
          ExpressionAttributeValues: { ':pk': keys.wallet(walletId).pk, ':first': keys.ledgerPrefix, ':last': wallet ? last : `${keys.ledgerPrefix}~` },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      ledger.push(...(out.Items ?? []).map(toFact));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return { ...(wallet ? { wallet } : {}), ledger };
  }

  private async walkSegment(segment: number, visit: (page: { wallets: WalletState[]; ledger: LedgerFact[]; orders: SettledOrderCost[] }) => void) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          Segment: segment,
          TotalSegments: SEGMENTS,
          // A wallet and its ledger are read at different moments here: a movement between them shows as a
          // difference, which the job rechecks with `wallet()` before it reports one.
          FilterExpression: 'entity = :wallet OR entity = :ledger OR (entity = :order AND phase = :finalized)',
          ExpressionAttributeValues: { ':wallet': 'wallet', ':ledger': 'ledger', ':order': 'order', ':finalized': 'finalized' },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const page = { wallets: [] as WalletState[], ledger: [] as LedgerFact[], orders: [] as SettledOrderCost[] };
      for (const item of out.Items ?? []) {
        if (item.entity === 'wallet') page.wallets.push(toWallet(item));
        else if (item.entity === 'ledger') page.ledger.push(toFact(item));
        else if (item.costPer1000 !== undefined || item.providerCharge !== undefined)
          page.orders.push({
            orderId: Number(item.id),
            providerId: String(item.providerId),
            recordedCost: providerCost(item),
            ...(item.providerCharge !== undefined ? { providerCharge: micros(Number(item.providerCharge)) } : {}),
          });
      }
      visit(page);
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}

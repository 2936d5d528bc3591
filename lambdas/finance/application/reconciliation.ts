// POST /admin/v1/finance/reconciliation starts a job (its item's INSERT on the stream runs it: reconcileFinances);
// GET reads it. The job walks every wallet, ledger entry and settled order once, then rechecks each wallet that
// looked wrong against a snapshot of that wallet alone (money may have moved between the walk's reads).
import { createHash, randomBytes } from 'node:crypto';
import type { AuditEntry } from '../../audit/domain/audit-entry.js';
import { DomainError } from '../../shared/errors.js';
import { Reconciler, type ReconciliationResult } from '../domain/reconciliation.js';
import type { ReconciliationJob, ReconciliationJobs, ReconciliationSource } from '../ports.js';

export async function startReconciliation(
  jobs: Pick<ReconciliationJobs, 'start' | 'get'>,
  input: { idempotencyKey?: string; now: Date },
  actor: Pick<AuditEntry, 'actor' | 'actorRole' | 'actorEmail' | 'source'>,
): Promise<{ job: ReconciliationJob; started: boolean }> {
  const id = input.idempotencyKey
    ? `rec_${createHash('sha256').update(`${actor.actor}\n${input.idempotencyKey}`).digest('hex').slice(0, 24)}`
    : `rec_${input.now.getTime().toString(16)}${randomBytes(6).toString('hex')}`;
  const requestedAt = input.now.toISOString();
  const outcome = await jobs.start(
    { id, requestedBy: actor.actor, requestedAt },
    { ...actor, action: 'finance.reconciliation_started', subjectType: 'reconciliation', subject: id, after: { status: 'running' }, at: requestedAt },
  );
  const job = outcome === 'started' ? { id, status: 'running' as const, requestedBy: actor.actor, requestedAt } : await jobs.get(id);
  if (!job) throw new DomainError('invalid_request', 'The reconciliation could not be started; try again');
  return { job, started: outcome === 'started' };
}

/**
 * How long a job may say `running`: reconcileFinances runs at most 15 minutes and the stream mapping tries it twice.
 * A job still running after that died without recording its end (both tries timed out) and is read as failed.
 */
export const RECONCILIATION_RUN_LIMIT_MS = 35 * 60_000;

export async function readReconciliation(jobs: Pick<ReconciliationJobs, 'get'>, id: string, now: Date = new Date()): Promise<ReconciliationJob | undefined> {
  const job = await jobs.get(id);
  if (job?.status !== 'running' || now.getTime() - Date.parse(job.requestedAt) <= RECONCILIATION_RUN_LIMIT_MS) return job;
  return { ...job, status: 'failed', error: 'The job did not finish within 35 minutes (its function timed out twice); start another' };
}

export async function reconcile(source: ReconciliationSource): Promise<ReconciliationResult> {
  const reconciler = new Reconciler();
  await source.walk((page) => reconciler.add(page));
  const seen = reconciler.result();
  if (seen.walletDifferences === 0) return seen;
  // Recheck what looked wrong, a snapshot per wallet (the list holds at most MAX_LISTED; the count may be higher).
  const recheck = new Reconciler();
  for (const difference of seen.wallets) {
    const snapshot = await source.wallet(difference.walletId);
    recheck.add({ wallets: snapshot.wallet ? [snapshot.wallet] : [], ledger: snapshot.ledger, orders: [] });
  }
  const confirmed = recheck.result();
  const cleared = seen.wallets.length - confirmed.wallets.length;
  return { ...seen, walletDifferences: seen.walletDifferences - cleared, wallets: confirmed.wallets };
}

export async function runReconciliation(services: { jobs: ReconciliationJobs; source: ReconciliationSource; now: () => Date }, id: string): Promise<void> {
  try {
    const result = await reconcile(services.source);
    await services.jobs.finish(id, { status: 'done', result }, services.now().toISOString());
  } catch (error) {
    await services.jobs.finish(
      id,
      { status: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 300) : 'error' },
      services.now().toISOString(),
    );
  }
}

// The finance area's ports: the day totals kept from the table's stream, the ledger across wallets, and the
import type { AuditEntry } from '../audit/domain/audit-entry.js';
// reconciliation jobs with what they walk.
import type { Micros } from '../shared/money.js';
import type { LedgerEntry } from '../wallets/ports.js';
import type { DayTotals } from './domain/summary.js';
import type { TotalsDelta } from './domain/totals.js';
import type { ReconciliationResult } from './domain/reconciliation.js';

export interface FinanceTotalsStore {
  /** Adds each delta to its day's totals exactly once (per marker, however often it is given). */
  add(deltas: readonly TotalsDelta[]): Promise<{ added: number; repeated: number }>;
  /** The totals items of these days; a day nothing happened on is simply absent. */
  readDays(days: readonly string[]): Promise<DayTotals[]>;
}

export interface LedgerPage {
  entries: LedgerEntry[];
  /** Opaque; absent on the last page. */
  cursor?: string;
}

export interface LedgerFilter {
  /** yyyy-mm-dd, inclusive (UTC days of the entries' `at`). */
  from: string;
  to: string;
  kind?: string;
  reference?: string;
  limit: number;
  cursor?: string;
}

export interface LedgerLister {
  /** Every wallet's entries, day by day (index admin-lists), oldest first. */
  listAll(filter: LedgerFilter): Promise<LedgerPage>;
  /** One wallet's entries (the base table), oldest first. */
  listWallet(walletId: string, filter: LedgerFilter): Promise<LedgerPage>;
  /** The wallet of a user, from their profile; undefined for an unknown user. */
  walletOfUser(userId: string): Promise<string | undefined>;
}

export type JobStatus = 'running' | 'done' | 'failed';

export interface ReconciliationJob {
  id: string;
  status: JobStatus;
  requestedBy: string;
  requestedAt: string;
  finishedAt?: string;
  error?: string;
  result?: ReconciliationResult;
}

export interface WalletState {
  walletId: string;
  ownerId?: string;
  balance: Micros;
  seq: number;
}

export interface LedgerFact {
  walletId: string;
  seq: number;
  amount: Micros;
}

export interface SettledOrderCost {
  orderId: number;
  providerId: string;
  recordedCost: Micros;
  /** What the provider said it charged (its status answers); absent when it never said. */
  providerCharge?: Micros;
}

/** What reconciliation walks: every wallet, ledger entry and settled order, in pages. */
export interface ReconciliationSource {
  walk(visit: (page: { wallets: WalletState[]; ledger: LedgerFact[]; orders: SettledOrderCost[] }) => void): Promise<void>;
  /** One wallet now, and its ledger entries up to the wallet's seq: a snapshot, to recheck a difference the walk saw. */
  wallet(walletId: string): Promise<{ wallet?: WalletState; ledger: LedgerFact[] }>;
}

export interface ReconciliationJobs {
  /** Puts the job (running) with its audit entry; `exists` when a job of that id was started before. */
  start(job: { id: string; requestedBy: string; requestedAt: string }, audit: AuditEntry): Promise<'started' | 'exists'>;
  get(id: string): Promise<ReconciliationJob | undefined>;
  /** Ends a running job; a job already ended is left as it is. */
  finish(id: string, outcome: { status: 'done'; result: ReconciliationResult } | { status: 'failed'; error: string }, at: string): Promise<void>;
}

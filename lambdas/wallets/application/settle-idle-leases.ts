// Balance leases whose holders went quiet (a Lambda container cannot act while idle): settled on a schedule, so that
// their orders' charges enter the wallet's ledger within minutes, not whenever the money is next needed.
import type { Clock } from '../../shared/ports.js';
import type { IdleLeases } from '../ports.js';

/** A lease this old is idle: its holder settles its own at its next order once it is a minute old. */
export const IDLE_LEASE_AGE_MS = 2 * 60_000;
/** Settled per run at most: a run is a scheduled Lambda invocation with a time limit. */
const PER_RUN = 200;

export async function settleIdleLeases(services: { leases: IdleLeases; clock: Clock }): Promise<{ settled: number; found: number }> {
  const now = services.clock.now();
  const idle = await services.leases.takenBefore(new Date(now.getTime() - IDLE_LEASE_AGE_MS).toISOString(), PER_RUN);
  let settled = 0;
  for (const lease of idle) if ((await services.leases.settle(lease, now.toISOString())) === 'settled') settled++;
  return { settled, found: idle.length };
}

// Table items as a stream record's images carry them (unmarshalled), for the tests of events from the stream.
import type { Image } from '../../lambdas/events/from-stream.js';

/** The wallet `w-1` of owner `u-1` (USD) at a balance in micro-units and a ledger sequence number. */
export const walletImage = (balance: number, seq: number): Image => ({
  pk: 'WALLET#w-1',
  sk: 'WALLET',
  entity: 'wallet',
  id: 'w-1',
  ownerId: 'u-1',
  currency: 'USD',
  balance,
  seq,
  updatedAt: `2026-12-01T10:00:0${seq % 10}.000Z`,
});

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

/** Order 1234 of owner `u-1` (1,000 units for 0.90, in micro-units), as placed and not yet submitted. */
export const orderImage = (changes: Image = {}): Image => ({
  pk: 'ORDERS#12',
  sk: 'ORDER#000000001234',
  entity: 'order',
  id: 1234,
  ownerId: 'u-1',
  walletId: 'w-1',
  serviceId: 7,
  providerId: 'p-1',
  providerServiceId: '99',
  link: 'https://example.com/post/1',
  quantity: 1000,
  ratePer1000: 900_000,
  charge: 900_000,
  refunded: 0,
  status: 'Pending',
  phase: 'accepted',
  submitAttempts: 0,
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  openPk: 'OPEN#p-1',
  ownerPk: 'OWNER#u-1',
  ...changes,
});

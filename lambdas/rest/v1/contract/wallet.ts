// REST v1 operations: the caller's balance and its ledger.
import * as z from 'zod/mini';
import type { Operation } from '../operation.js';
import { Cursor, Money, money, page, Timestamp, wholeNumberText } from './common.js';

const KINDS = ['deposit', 'order_charge', 'order_refund', 'adjustment', 'bonus'] as const;

export const Transaction = z
  .object({
    id: z.int().register(z.globalRegistry, { description: "The entry's number in the wallet's ledger" }),
    kind: z.enum(KINDS),
    amount: money('Signed: credits positive, debits negative'),
    balanceAfter: Money,
    reference: z.string().register(z.globalRegistry, { example: 'order:1042' }),
    at: Timestamp,
  })
  .register(z.globalRegistry, { id: 'Transaction' });

export const getBalance = {
  method: 'GET',
  path: '/api/v1/balance',
  auth: 'customerJwt',
  tag: 'Wallet',
  summary: "The caller's balance",
  responses: {
    200: {
      description: 'Balance',
      body: z.object({ balance: Money, currency: z.string().register(z.globalRegistry, { example: 'USD' }) }).register(z.globalRegistry, { id: 'Balance' }),
    },
  },
} as const satisfies Operation;

export const listTransactions = {
  method: 'GET',
  path: '/api/v1/transactions',
  auth: 'customerJwt',
  tag: 'Wallet',
  summary: "The caller's ledger, newest first",
  description: 'Every movement of money; the amounts of all entries add up to the balance. `type` keeps one kind.',
  query: z.object({ type: z.optional(z.enum(KINDS)), cursor: z.optional(Cursor), limit: z._default(wholeNumberText(1, 100), 20) }),
  responses: { 200: { description: 'A page of entries', body: page(Transaction) } },
} as const satisfies Operation;

export const walletOperations: readonly Operation[] = [getBalance, listTransactions];

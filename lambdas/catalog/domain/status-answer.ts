// Reading one order's entry of a provider's v2 `status` answer, as real panels send it (numbers as strings or numbers,
// statuses in any spelling). Shared by the provider client (answers we ask for) and provider callbacks (answers pushed).
import { readProviderStatus } from '../../orders/domain/order-status.js';
import type { ProviderOrderStatus } from '../ports.js';
import { ProviderOutcomeUnknown, ProviderRejected } from './provider-errors.js';

/** Throws ProviderRejected for an `{"error": ...}` entry, ProviderOutcomeUnknown for a status it cannot read. */
export function readStatusAnswer(record: Record<string, unknown>): ProviderOrderStatus {
  if (typeof record.error === 'string') throw new ProviderRejected(record.error);
  const status = readProviderStatus(record.status);
  if (!status) throw new ProviderOutcomeUnknown(`Unrecognised order status ${JSON.stringify(record.status)}`);
  const startCount = integerOf(record.start_count);
  const remains = integerOf(record.remains);
  return {
    status,
    ...(startCount !== undefined ? { startCount } : {}),
    ...(remains !== undefined ? { remains } : {}),
    ...(record.charge !== undefined && record.charge !== null ? { charge: String(record.charge) } : {}),
    ...(record.currency !== undefined && record.currency !== null ? { currency: String(record.currency) } : {}),
  };
}

export function integerOf(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(number) ? Math.trunc(number) : undefined;
}

// Reading one order's entry of a provider's v2 `status` answer, as real panels send it (numbers as strings or numbers,
// statuses in any spelling). Shared by the provider client (answers we ask for) and provider callbacks (answers pushed).
import { type StatusMapping, readProviderWord } from '../../orders/domain/order-status.js';
import type { ProviderOrderStatus } from '../ports.js';
import { ProviderOutcomeUnknown, ProviderRejected } from './provider-errors.js';

/**
 * Throws ProviderRejected for an `{"error": ...}` entry, ProviderOutcomeUnknown for a status it cannot read. The
 * provider's own `statusMapping` (its settings) is read before the common spellings.
 */
export function readStatusAnswer(record: Record<string, unknown>, mapping?: StatusMapping): ProviderOrderStatus {
  if (typeof record.error === 'string') throw new ProviderRejected(record.error);
  const reading = readProviderWord(record.status, mapping);
  if (!reading) throw new ProviderOutcomeUnknown(`Unrecognised order status ${JSON.stringify(record.status)}`);
  const { status, doubtful } = reading;
  const startCount = integerOf(record.start_count);
  const remains = integerOf(record.remains);
  return {
    status,
    ...(doubtful ? { doubtful } : {}),
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

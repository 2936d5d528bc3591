// A client for upstream panels speaking the SMM panel API v2. Tolerant of what real panels send: numbers as
// strings or numbers, statuses in any case or spelling, errors as {"error": ...} with any HTTP status.
import { type RefillStatus, readRefillStatus } from '../../orders/domain/refills.js';
import type { Provider } from '../../catalog/domain/catalog.js';
import type { PlaceRequest, ProviderClient, ProviderClients, ProviderOrderStatus, ProviderServiceListing } from '../../catalog/ports.js';
import type { SecretStore } from '../../shared/ports.js';
import type { StatusMapping } from '../../orders/domain/order-status.js';
import { ProviderNotReached, ProviderOutcomeUnknown, ProviderRejected } from '../../catalog/domain/provider-errors.js';
import { integerOf, readStatusAnswer as readStatus } from '../../catalog/domain/status-answer.js';

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
export const MAX_IDS_PER_CALL = 100;

export class SmmV2Client implements ProviderClient {
  constructor(
    private readonly apiUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly statusMapping?: StatusMapping,
  ) {}

  async place(request: PlaceRequest): Promise<{ externalOrderId: string }> {
    const fields = request.fields ?? {
      ...(request.link !== undefined ? { link: request.link } : {}),
      ...(request.quantity !== undefined ? { quantity: String(request.quantity) } : {}),
    };
    const answer = await this.call('add', { ...fields, service: request.providerServiceId, request_id: request.requestId });
    const id = idOf(objectOf(answer).order);
    if (id === undefined) throw new ProviderOutcomeUnknown('The provider accepted the order but sent no order id');
    return { externalOrderId: id };
  }

  async status(externalOrderId: string): Promise<ProviderOrderStatus> {
    const record = objectOf(await this.call('status', { order: externalOrderId }));
    try {
      return readStatus(record, this.statusMapping);
    } catch (error) {
      throw new ProviderOutcomeUnknown(this.redact((error as Error).message));
    }
  }

  async multiStatus(externalOrderIds: string[]): Promise<Map<string, ProviderOrderStatus | Error>> {
    if (externalOrderIds.length > MAX_IDS_PER_CALL) throw new RangeError(`at most ${MAX_IDS_PER_CALL} ids per call`);
    const answer = objectOf(await this.call('status', { orders: externalOrderIds.join(',') }));
    const result = new Map<string, ProviderOrderStatus | Error>();
    for (const id of externalOrderIds) {
      // The ids are the provider's; only its answer's own keys count (`constructor` must not find a function).
      const entry = Object.hasOwn(answer, id) ? answer[id] : undefined;
      if (entry === undefined || entry === null || typeof entry !== 'object') {
        result.set(id, new ProviderRejected('Incorrect order ID'));
        continue;
      }
      const record = entry as Record<string, unknown>;
      try {
        result.set(id, typeof record.error === 'string' ? new ProviderRejected(this.redact(record.error)) : readStatus(record, this.statusMapping));
      } catch (error) {
        result.set(id, new ProviderOutcomeUnknown(this.redact((error as Error).message)));
      }
    }
    return result;
  }

  async cancel(externalOrderIds: string[]): Promise<Map<string, true | Error>> {
    const answer = await this.call('cancel', { orders: externalOrderIds.join(',') });
    if (!Array.isArray(answer)) throw new ProviderOutcomeUnknown('The provider did not answer the cancel with a list');
    const result = new Map<string, true | Error>();
    for (const row of answer) {
      const record = objectOf(row);
      const id = idOf(record.order);
      if (id === undefined) continue;
      const cancel = record.cancel;
      if (cancel && typeof cancel === 'object')
        result.set(id, new ProviderRejected(this.redact(String((cancel as Record<string, unknown>).error ?? 'Cancel refused'))));
      else result.set(id, truthy(cancel) ? true : new ProviderRejected('Cancel refused'));
    }
    for (const id of externalOrderIds) if (!result.has(id)) result.set(id, new ProviderRejected('Incorrect order ID'));
    return result;
  }

  async refill(externalOrderId: string): Promise<{ refillId: string }> {
    const id = idOf(objectOf(await this.call('refill', { order: externalOrderId })).refill);
    if (id === undefined) throw new ProviderOutcomeUnknown('The provider sent no refill id');
    return { refillId: id };
  }

  async refillStatus(externalRefillIds: string[]): Promise<Map<string, RefillStatus | Error>> {
    if (externalRefillIds.length > MAX_IDS_PER_CALL) throw new RangeError(`at most ${MAX_IDS_PER_CALL} ids per call`);
    const result = new Map<string, RefillStatus | Error>();
    const read = (raw: unknown): RefillStatus | Error => {
      if (raw && typeof raw === 'object') return new ProviderRejected(this.redact(String((raw as Record<string, unknown>).error ?? 'Refill not found')));
      return readRefillStatus(raw) ?? new ProviderOutcomeUnknown(this.redact(`Unrecognised refill status ${JSON.stringify(raw)}`));
    };
    if (externalRefillIds.length === 1) {
      const answer = objectOf(await this.call('refill_status', { refill: externalRefillIds[0]! }));
      result.set(externalRefillIds[0]!, read(answer.status));
      return result;
    }
    const answer = await this.call('refill_status', { refills: externalRefillIds.join(',') });
    if (!Array.isArray(answer)) throw new ProviderOutcomeUnknown('The provider did not answer refill_status with a list');
    for (const row of answer) {
      const record = objectOf(row);
      const id = idOf(record.refill);
      if (id !== undefined) result.set(id, read(record.status));
    }
    for (const id of externalRefillIds) if (!result.has(id)) result.set(id, new ProviderRejected('Refill not found'));
    return result;
  }

  async services(): Promise<ProviderServiceListing[]> {
    const answer = await this.call('services', {});
    if (!Array.isArray(answer)) throw new ProviderOutcomeUnknown('The provider did not send a list of services');
    return answer.map((raw) => {
      const row = objectOf(raw);
      return {
        service: String(row.service),
        name: String(row.name ?? ''),
        type: String(row.type ?? 'Default'),
        category: String(row.category ?? ''),
        rate: String(row.rate ?? '0'),
        min: integerOf(row.min) ?? 0,
        max: integerOf(row.max) ?? 0,
        refill: truthy(row.refill),
        cancel: truthy(row.cancel),
        ...(row.dripfeed !== undefined ? { dripfeed: truthy(row.dripfeed) } : {}),
      };
    });
  }

  async balance(): Promise<{ balance: string; currency: string }> {
    const answer = objectOf(await this.call('balance', {}));
    return { balance: String(answer.balance ?? '0'), currency: String(answer.currency ?? 'USD') };
  }

  /** Provider texts end up in logs and on orders; some panels echo the key back, so it is cut out. */
  private redact(text: string): string {
    return this.apiKey.length > 0 ? text.split(this.apiKey).join('[redacted]') : text;
  }

  private async call(action: string, fields: Record<string, string>): Promise<unknown> {
    const body = new URLSearchParams({ key: this.apiKey, action, ...fields });
    let response: Response;
    try {
      response = await this.fetchImpl(this.apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code && NOT_SENT_CODES.has(code)) throw new ProviderNotReached(`Provider not reachable (${code})`);
      throw new ProviderOutcomeUnknown(`No answer from the provider within ${this.timeoutMs} ms or the connection broke`);
    }
    const text = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const error = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>).error : undefined;
    if (response.status === 429) throw new ProviderNotReached('The provider is rate limiting us');
    if (typeof error === 'string' && response.status < 500) throw new ProviderRejected(this.redact(error));
    if (!response.ok) throw new ProviderOutcomeUnknown(`The provider answered HTTP ${response.status}`);
    if (parsed === undefined) throw new ProviderOutcomeUnknown('The provider answered with something that is not JSON');
    return parsed;
  }
}

function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** Builds a client per provider with its key from the secret store. */
export class SmmV2ProviderClients implements ProviderClients {
  constructor(
    private readonly secrets: SecretStore,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async forProvider(provider: Provider): Promise<ProviderClient> {
    return new SmmV2Client(provider.apiUrl, await this.secrets.get(provider.keySecretId), provider.timeoutMs, this.fetchImpl, provider.statusMapping);
  }
}

// Cryptomus (and Heleket, which speaks the same API): invoices, signed callbacks, and the payment-info call that
// confirms a payment before any credit.
import { DomainError } from '../../shared/errors.js';
import { formatMoney } from '../../shared/money.js';
import type { GatewayOutcome, TopUp } from '../../payments/domain/top-ups.js';
import type { ConfirmedPayment, PaymentGateway, VerifiedCallback } from '../../payments/ports.js';
import { plain } from './php-json.js';
import { cryptomusSign, verifyCallbackSignature } from './signature.js';

export interface CryptomusCredentials {
  merchant: string;
  paymentKey: string;
}

export interface CryptomusSettings {
  apiUrl: string;
  timeoutMs: number;
  lifetimeSeconds: number;
  credentials: () => Promise<CryptomusCredentials>;
  fetch?: typeof fetch;
}

const OUTCOMES: Record<string, GatewayOutcome> = {
  paid: 'success',
  paid_over: 'success',
  wrong_amount: 'wrong_amount',
  cancel: 'cancelled',
  fail: 'failed',
  system_fail: 'failed',
};

/** Every other status (`check`, `process`, `confirm_check`, `wrong_amount_waiting`, refunds, `locked`) changes nothing. */
export const cryptomusOutcome = (status: string): GatewayOutcome => OUTCOMES[status] ?? 'in_progress';

export class CryptomusGateway implements PaymentGateway {
  readonly method = 'cryptomus' as const;

  constructor(private readonly settings: CryptomusSettings) {}

  async createPayment(topUp: TopUp, callbackUrl: string, returnUrl?: string): Promise<{ gatewayPaymentId: string; checkoutUrl: string }> {
    const result = await this.call('/v1/payment', {
      amount: formatMoney(topUp.amount, 2),
      currency: topUp.currency,
      // Our id: asking again with it answers the same invoice, so a retried request never makes a second one.
      order_id: topUp.id,
      url_callback: callbackUrl,
      ...(returnUrl ? { url_return: returnUrl, url_success: returnUrl } : {}),
      lifetime: Math.min(43_200, Math.max(300, this.settings.lifetimeSeconds)),
    });
    const uuid = text(result.uuid);
    const url = text(result.url);
    if (!uuid || !url || !URL.canParse(url)) throw new DomainError('payment_gateway_unavailable', 'Cryptomus answered an invoice without uuid or url');
    return { gatewayPaymentId: uuid, checkoutUrl: url };
  }

  async verifyCallback(rawBody: string): Promise<VerifiedCallback> {
    const { paymentKey } = await this.settings.credentials();
    const signed = verifyCallbackSignature(rawBody, paymentKey);
    if (!signed.ok) return { refused: signed.reason, detail: signed.detail };
    const body = plain(signed.body) as Record<string, unknown>;
    const uuid = text(body.uuid);
    const orderId = text(body.order_id);
    const status = text(body.status);
    if (body.type !== undefined && body.type !== 'payment') return { refused: 'malformed', detail: `not a payment callback (${String(body.type)})` };
    if (!uuid || !orderId || !status) return { refused: 'malformed', detail: 'uuid, order_id or status missing' };
    const amount = text(body.amount);
    const currency = text(body.currency);
    return {
      event: {
        method: 'cryptomus',
        gatewayPaymentId: uuid,
        topUpId: orderId,
        status,
        outcome: cryptomusOutcome(status),
        ...(amount ? { amount } : {}),
        ...(currency ? { currency } : {}),
      },
    };
  }

  async confirm(event: { gatewayPaymentId: string }): Promise<ConfirmedPayment> {
    const result = await this.call('/v1/payment/info', { uuid: event.gatewayPaymentId });
    const status = text(result.status) ?? text(result.payment_status) ?? '';
    return {
      status,
      outcome: cryptomusOutcome(status),
      topUpId: text(result.order_id) ?? '',
      amount: text(result.amount) ?? '',
      currency: text(result.currency) ?? '',
    };
  }

  private async call(path: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { merchant, paymentKey } = await this.settings.credentials();
    const body = JSON.stringify(payload);
    let response: Response;
    try {
      response = await (this.settings.fetch ?? fetch)(`${this.settings.apiUrl.replace(/\/+$/, '')}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', merchant, sign: cryptomusSign(body, paymentKey) },
        body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch {
      throw new DomainError('payment_gateway_unavailable', `Cryptomus did not answer within ${this.settings.timeoutMs} ms`);
    }
    const answer = (await response.json().catch(() => undefined)) as { state?: unknown; result?: unknown; message?: unknown } | undefined;
    if (!response.ok || !answer || answer.state !== 0 || !answer.result || typeof answer.result !== 'object') {
      const message = typeof answer?.message === 'string' ? `: ${answer.message.slice(0, 200)}` : '';
      throw new DomainError('payment_gateway_unavailable', `Cryptomus refused ${path} (HTTP ${response.status}${message})`);
    }
    return answer.result as Record<string, unknown>;
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

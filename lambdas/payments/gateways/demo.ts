// The demo gateway: a stand-in for a real payment processor on the local stack and on dev stages. Its checkout
// page (routes/demo-checkout.ts) has Pay and Cancel buttons; each sends a signed callback over HTTP to our callback
// URL exactly as a real gateway does, so the callback path is the production one. Signatures follow Stripe's
// scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, with a tolerance window against replays.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { formatMoney } from '../../shared/money.js';
import type { Clock } from '../../shared/ports.js';
import type { TopUp } from '../domain/top-ups.js';
import type { PaymentGateway, VerifiedCallback } from '../ports.js';

export const DEMO_SIGNATURE_HEADER = 'x-demo-signature';
const TOLERANCE_SECONDS = 300;

export type DemoStatus = 'paid' | 'cancelled';

export interface DemoCallbackBody {
  id: string;
  topUpId: string;
  status: DemoStatus;
  amount: string;
  currency: string;
}

export const demoPaymentId = (topUpId: string) => `demo_${topUpId}`;

export function signDemo(body: string, secret: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export class DemoGateway implements PaymentGateway {
  readonly method = 'demo' as const;

  constructor(
    private readonly secret: () => Promise<string>,
    private readonly clock: Clock,
  ) {}

  async createPayment(topUp: TopUp, callbackUrl: string): Promise<{ gatewayPaymentId: string; checkoutUrl: string }> {
    return { gatewayPaymentId: demoPaymentId(topUp.id), checkoutUrl: new URL(`checkout/${topUp.id}`, callbackUrl).toString() };
  }

  /** The body and headers the checkout's buttons send. */
  async callbackFor(topUp: TopUp, status: DemoStatus): Promise<{ body: string; headers: Record<string, string> }> {
    const payload: DemoCallbackBody = {
      id: demoPaymentId(topUp.id),
      topUpId: topUp.id,
      status,
      amount: formatMoney(topUp.amount, 2),
      currency: topUp.currency,
    };
    const body = JSON.stringify(payload);
    const signature = signDemo(body, await this.secret(), Math.floor(this.clock.now().getTime() / 1000));
    return { body, headers: { 'content-type': 'application/json', [DEMO_SIGNATURE_HEADER]: signature } };
  }

  async verifyCallback(rawBody: string, headers: Record<string, string>): Promise<VerifiedCallback> {
    const header = headers[DEMO_SIGNATURE_HEADER] ?? '';
    const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
    const t = Number(parts.get('t'));
    const given = parts.get('v1') ?? '';
    if (!Number.isSafeInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return { refused: 'bad_signature', detail: `no valid ${DEMO_SIGNATURE_HEADER} header` };
    const wanted = signDemo(rawBody, await this.secret(), t).slice(-64);
    if (!timingSafeEqual(Buffer.from(given), Buffer.from(wanted))) return { refused: 'bad_signature', detail: 'signature does not match' };
    if (Math.abs(this.clock.now().getTime() / 1000 - t) > TOLERANCE_SECONDS)
      return { refused: 'stale', detail: `signed at ${t}, outside the tolerance window` };
    let body: Partial<DemoCallbackBody>;
    try {
      body = JSON.parse(rawBody) as Partial<DemoCallbackBody>;
    } catch {
      return { refused: 'malformed', detail: 'not JSON' };
    }
    if (typeof body.id !== 'string' || typeof body.topUpId !== 'string' || (body.status !== 'paid' && body.status !== 'cancelled')) {
      return { refused: 'malformed', detail: 'id, topUpId or status missing' };
    }
    return {
      event: {
        method: 'demo',
        gatewayPaymentId: body.id,
        topUpId: body.topUpId,
        status: body.status,
        outcome: body.status === 'paid' ? 'success' : 'cancelled',
        ...(typeof body.amount === 'string' ? { amount: body.amount } : {}),
        ...(typeof body.currency === 'string' ? { currency: body.currency } : {}),
      },
    };
  }
}

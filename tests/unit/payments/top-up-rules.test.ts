import { describe, expect, it } from 'vitest';
import { cryptomusOutcome } from '../../../lambdas/adapters/cryptomus/cryptomus-gateway.js';
import { decide, depositAmount, TOP_UP_ID, topUpId, visibleStatus } from '../../../lambdas/payments/domain/top-ups.js';
import { DemoGateway, signDemo } from '../../../lambdas/payments/gateways/demo.js';
import { isDomainError } from '../../../lambdas/shared/errors.js';
import { parseMoney } from '../../../lambdas/shared/money.js';

const limits = { min: parseMoney('1.00'), max: parseMoney('10000.00') };

describe('top-up rules', () => {
  it('credits a success whenever it comes, even after expiry, a cancel or a review, and never twice', () => {
    for (const status of ['pending', 'cancelled', 'failed', 'review'] as const) expect(decide({ status }, 'success')).toEqual({ action: 'credit' });
    expect(decide({ status: 'paid', creditedAt: 'x' }, 'success')).toEqual({ action: 'nothing', verdict: 'already_credited' });
  });

  it('never downgrades a credited top-up', () => {
    for (const outcome of ['wrong_amount', 'cancelled', 'failed', 'in_progress'] as const) {
      expect(decide({ status: 'paid', creditedAt: 'x' }, outcome).action).toBe('nothing');
    }
  });

  it('puts an uncredited top-up in review on a wrong amount, and ends only a pending one on cancel or failure', () => {
    expect(decide({ status: 'pending' }, 'wrong_amount')).toMatchObject({ action: 'mark', status: 'review' });
    expect(decide({ status: 'pending' }, 'cancelled')).toMatchObject({ action: 'mark', status: 'cancelled', from: ['pending'] });
    expect(decide({ status: 'review' }, 'failed')).toEqual({ action: 'nothing', verdict: 'ignored' });
    expect(decide({ status: 'pending' }, 'in_progress')).toEqual({ action: 'nothing', verdict: 'noted' });
  });

  it('shows a pending top-up past its lifetime as expired', () => {
    const expiresAt = '2026-12-01T10:00:00.000Z';
    expect(visibleStatus({ status: 'pending', expiresAt }, new Date('2026-12-01T09:59:59Z'))).toBe('pending');
    expect(visibleStatus({ status: 'pending', expiresAt }, new Date('2026-12-01T10:00:00Z'))).toBe('expired');
    expect(visibleStatus({ status: 'paid', expiresAt }, new Date('2027-01-01T00:00:00Z'))).toBe('paid');
  });

  it('maps every Cryptomus status: paid and paid_over credit, wrong_amount reviews, cancel and failures end, the rest wait', () => {
    expect(['paid', 'paid_over'].map(cryptomusOutcome)).toEqual(['success', 'success']);
    expect(cryptomusOutcome('wrong_amount')).toBe('wrong_amount');
    expect(cryptomusOutcome('cancel')).toBe('cancelled');
    expect(['fail', 'system_fail'].map(cryptomusOutcome)).toEqual(['failed', 'failed']);
    expect(['wrong_amount_waiting', 'check', 'confirm_check', 'process'].map(cryptomusOutcome)).toEqual(Array(4).fill('in_progress'));
  });

  it('refuses deposits below the minimum and above the maximum, naming the field', () => {
    expect(depositAmount('25.50', limits, 'USD')).toBe(parseMoney('25.50'));
    const refusal = (text: string) => {
      try {
        depositAmount(text, limits, 'USD');
      } catch (error) {
        if (isDomainError(error)) return { code: error.code, field: error.field, message: error.message };
      }
      return undefined;
    };
    expect(refusal('0.99')).toEqual({ code: 'amount_too_small', field: 'amount', message: 'amount: the minimum deposit is 1.00 USD' });
    expect(refusal('10000.01')).toMatchObject({ code: 'amount_too_large', field: 'amount', message: expect.stringContaining('10000.00 USD') });
    expect(refusal('1.001')).toMatchObject({ code: 'invalid_amount', field: 'amount' });
    expect(refusal('ten')).toMatchObject({ code: 'invalid_amount', field: 'amount' });
    expect(refusal('-5')).toMatchObject({ code: 'amount_too_small' });
  });

  it('gives top-ups ids that sort by creation time', () => {
    const a = topUpId(new Date('2026-12-01T10:00:00Z'), 'ffffffffffffffff');
    const b = topUpId(new Date('2026-12-01T10:00:00.001Z'), '0000000000000000');
    expect(a).toMatch(TOP_UP_ID);
    expect(a < b).toBe(true);
  });
});

describe('the demo gateway', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const gateway = new DemoGateway(async () => 'secret', { now: () => now });
  const body = '{"id":"demo_tu_1","topUpId":"tu_1","status":"paid","amount":"5.00","currency":"USD"}';
  const t = Math.floor(now.getTime() / 1000);

  it('accepts its own signature and reads the event', async () => {
    expect(await gateway.verifyCallback(body, { 'x-demo-signature': signDemo(body, 'secret', t) })).toEqual({
      event: { method: 'demo', gatewayPaymentId: 'demo_tu_1', topUpId: 'tu_1', status: 'paid', outcome: 'success', amount: '5.00', currency: 'USD' },
    });
  });

  it('refuses a forged, tampered, unsigned or stale callback', async () => {
    expect(await gateway.verifyCallback(body, { 'x-demo-signature': signDemo(body, 'other', t) })).toMatchObject({ refused: 'bad_signature' });
    expect(await gateway.verifyCallback(body.replace('5.00', '50.00'), { 'x-demo-signature': signDemo(body, 'secret', t) })).toMatchObject({
      refused: 'bad_signature',
    });
    expect(await gateway.verifyCallback(body, {})).toMatchObject({ refused: 'bad_signature' });
    expect(await gateway.verifyCallback(body, { 'x-demo-signature': signDemo(body, 'secret', t - 301) })).toMatchObject({ refused: 'stale' });
  });
});

describe('the demo checkout page', () => {
  it('escapes everything it shows', async () => {
    const { escapeHtml } = await import('../../../lambdas/rest/v1/routes/demo-checkout.js');
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#38;&#39;');
  });
});

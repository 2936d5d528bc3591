// The notification emails as their readers see them: every emailed event renders a subject, a plain-text body and an
// HTML body; HTML escapes what the customer typed, text keeps it as typed; money reads as an amount with its currency;
// nothing secret-looking ever reaches an email; and the settings decide who gets which.
import { describe, expect, it } from 'vitest';
import { DEFAULT_NOTIFICATIONS } from '../../lambdas/customers/ports.js';
import { type CatalogueEvent, apiKeyEvent, balanceLow, depositCredited, orderEnded } from '../../lambdas/events/catalogue.js';
import { FUNCTIONS, SUBSCRIPTIONS } from '../../lambdas/functions.js';
import {
  EMAILED_TYPES,
  type EmailedEvent,
  type EmailedType,
  displayMoney,
  emailView,
  isEmailed,
  reasonToSkip,
} from '../../lambdas/notifications/domain/email-notifications.js';
import { EMAIL_CLAIM_LEASE_MS, SendNotificationEmails } from '../../lambdas/notifications/application/email-notifications.js';
import { renderEmail } from '../../lambdas/notifications/templates/render-email.js';
import { micros } from '../../lambdas/shared/money.js';
import { storedOrder } from '../support/stored-order.js';

const AT = '2026-12-01T10:00:00.000Z';
const API = 'https://api.codex.example';

const order = storedOrder({ id: 4321, status: 'Completed', phase: 'finalized', remains: 0 });

const key = { keyId: 'k-1', ownerId: 'u-1', walletId: 'w-1', prefix: 'cdx_ab12', label: 'my panel', statusReason: 'too many invalid requests' };

const EVENTS: Record<EmailedType, EmailedEvent> = {
  'order.completed': orderEnded(order, 'USD', 'e-1', AT) as EmailedEvent,
  'order.partial': orderEnded({ ...order, status: 'Partial', remains: 400, refunded: micros(360_000) }, 'USD', 'e-2', AT) as EmailedEvent,
  'order.canceled': orderEnded({ ...order, status: 'Canceled', remains: 1000, refunded: micros(900_000) }, 'USD', 'e-3', AT) as EmailedEvent,
  'deposit.credited': depositCredited(
    { id: 'tu-1', ownerId: 'u-1', walletId: 'w-1', currency: 'USD', method: 'demo', creditedAmount: micros(7_000_000) },
    'e-4',
    AT,
  ),
  'balance.low': balanceLow({ id: 'w-1', ownerId: 'u-1', currency: 'USD', balance: micros(3_200_000) }, micros(5_000_000), 'e-5', AT),
  'api_key.created': apiKeyEvent('api_key.created', key, 'e-6', AT) as EmailedEvent,
  'api_key.suspended': apiKeyEvent('api_key.suspended', key, 'e-7', AT) as EmailedEvent,
  'api_key.revoked': apiKeyEvent('api_key.revoked', key, 'e-8', AT) as EmailedEvent,
};

/** What each email must say, in both bodies. */
const FACTS: Record<EmailedType, string[]> = {
  'order.completed': ['#4321', 'Likes (#7)', 'https://example.com/post/1', '1000', '0.90 USD', `${API}/api/v1/orders/4321`],
  'order.partial': ['#4321', '0.90 USD', '0.36 USD', '400', `${API}/api/v1/orders/4321`],
  'order.canceled': ['#4321', '0.90 USD', 'Refunded', `${API}/api/v1/orders/4321`],
  'deposit.credited': ['7.00 USD', 'demo', 'tu-1', `${API}/api/v1/transactions`],
  'balance.low': ['3.20 USD', '5.00 USD', `${API}/api/v1/balance`],
  'api_key.created': ['cdx_ab12', 'my panel', `${API}/api/v1/api-keys`],
  'api_key.suspended': ['cdx_ab12', 'my panel', 'too many invalid requests'],
  'api_key.revoked': ['cdx_ab12', 'my panel', 'too many invalid requests'],
};

const SUBJECT: Record<EmailedType, RegExp> = {
  'order.completed': /^Order #4321 completed$/,
  'order.partial': /^Order #4321 partly delivered$/,
  'order.canceled': /^Order #4321 canceled$/,
  'deposit.credited': /^Deposit of 7\.00 USD credited$/,
  'balance.low': /^Low balance: 3\.20 USD$/,
  'api_key.created': /^New API key cdx_ab12… created$/,
  'api_key.suspended': /^API key cdx_ab12… suspended$/,
  'api_key.revoked': /^API key cdx_ab12… revoked$/,
};

const render = (event: EmailedEvent, apiBase: string | null = API) =>
  renderEmail(emailView(event, { ...(event.type.startsWith('order.') ? { serviceName: 'Likes' } : {}), ...(apiBase ? { apiBase } : {}) }));

describe('notification emails', () => {
  it('are sent for exactly the event types the consumer subscribes to', () => {
    const subscription = SUBSCRIPTIONS.find((s) => s.function === 'sendNotificationEmails');
    expect([...(subscription?.eventTypes ?? [])].sort()).toEqual([...EMAILED_TYPES].sort());
    expect(isEmailed(EVENTS['order.completed'])).toBe(true);
    expect(isEmailed({ ...EVENTS['order.completed'], type: 'order.created' } as CatalogueEvent)).toBe(false);
  });

  it.each(EMAILED_TYPES)('%s renders a short subject, a text body and an HTML body that say what happened', (type) => {
    const email = render(EVENTS[type]);
    expect(email.subject).toMatch(SUBJECT[type]);
    expect(email.subject.length).toBeLessThanOrEqual(60);
    for (const fact of FACTS[type]) {
      expect(email.text).toContain(fact);
      expect(email.html).toContain(fact);
    }
    expect(email.text).not.toMatch(/<\/?(p|table|tr|td|html|strong)\b/);
    expect(email.html).toMatch(/^<!doctype html>/);
    expect(email.html).toContain(`<title>${email.subject}</title>`);
    // No template leftovers: every value was there.
    for (const body of [email.subject, email.text, email.html]) expect(body).not.toMatch(/undefined|null|NaN|\[object|<%|%>/);
  });

  it('escapes what the customer typed in HTML (an order link, a key label) and keeps it as typed in text', () => {
    const link = 'https://example.com/"><script>alert(1)</script>&x=1';
    const ordered = render(orderEnded({ ...order, link }, 'USD', 'e-9', AT) as EmailedEvent);
    expect(ordered.html).not.toContain('<script>');
    expect(ordered.html).toContain('https://example.com/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=1');
    // Shown, never made clickable: Codex does not send people to places a customer chose.
    expect(ordered.html).not.toContain('href="https://example.com');
    expect(ordered.text).toContain(`Link:     ${link}\n`);

    const labelled = render(apiKeyEvent('api_key.created', { ...key, label: '<img src=x onerror=alert(1)>' }, 'e-10', AT) as EmailedEvent);
    expect(labelled.html).not.toContain('<img');
    expect(labelled.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(labelled.text).toContain('Label: <img src=x onerror=alert(1)>');
  });

  it('never shows a key, its hash or any other secret-looking field, even when the event carries one', () => {
    const leaky = {
      ...EVENTS['api_key.created'],
      data: { ...EVENTS['api_key.created'].data, key: 'cdx_ab12SECRETSECRETSECRET', keyHash: 'f'.repeat(64), secret: 'whsec_leak', token: 'tok_leak' },
    } as unknown as EmailedEvent;
    const email = render(leaky);
    for (const body of [email.subject, email.text, email.html]) {
      expect(body).not.toMatch(/SECRETSECRET|ffffffffffffffff|whsec_|tok_leak/);
      expect(body).not.toMatch(/\b(hash|secret|token|password)\s*:/i);
    }
    expect(email.text).toContain('cdx_ab12…');
  });

  it('gives no cabinet link when the stage has no public URL', () => {
    const without = render(EVENTS['order.completed'], null);
    expect(without.text).not.toContain('In your cabinet');
    expect(without.html).not.toContain('href=');
  });

  it('tells a partial order what was not delivered and what was refunded, and a completed one neither', () => {
    const partial = render(EVENTS['order.partial']).text;
    expect(partial).toContain('Not delivered: 400');
    expect(partial).toContain('Refunded: 0.36 USD');
    const completed = render(EVENTS['order.completed']).text;
    expect(completed).not.toContain('Not delivered');
    expect(completed).not.toContain('Refunded');
  });

  it('names the service by its id alone when the catalog does not know it', () => {
    expect(renderEmail(emailView(EVENTS['order.completed'])).text).toContain('Service:  #7\n');
  });

  it('writes money as a decimal amount with its currency, exact, never rounded', () => {
    expect(displayMoney('0.90000', 'USD')).toBe('0.90 USD');
    expect(displayMoney('7.00000', 'EUR')).toBe('7.00 EUR');
    expect(displayMoney('0.00125', 'USD')).toBe('0.00125 USD');
    expect(displayMoney('12.345678', 'USD')).toBe('12.345678 USD');
  });
});

describe("who gets which email (the owner's notification settings)", () => {
  const owner = { email: 'a@example.com', blocked: false, notifications: DEFAULT_NOTIFICATIONS };

  it('sends order emails (completed, partial, canceled) only while order emails are on', () => {
    const off = { ...owner, notifications: { ...DEFAULT_NOTIFICATIONS, orderCompleted: false } };
    for (const type of ['order.completed', 'order.partial', 'order.canceled'] as const) {
      expect(reasonToSkip(type, owner)).toBeUndefined();
      expect(reasonToSkip(type, off)).toBe('setting_off');
    }
    expect(reasonToSkip('deposit.credited', off)).toBeUndefined();
  });

  it('sends deposit emails only while deposit emails are on', () => {
    expect(reasonToSkip('deposit.credited', owner)).toBeUndefined();
    expect(reasonToSkip('deposit.credited', { ...owner, notifications: { ...DEFAULT_NOTIFICATIONS, depositCredited: false } })).toBe('setting_off');
  });

  it('sends a low-balance email only while a threshold is set (one removed since the event stops it)', () => {
    expect(reasonToSkip('balance.low', owner)).toBe('setting_off');
    expect(reasonToSkip('balance.low', { ...owner, notifications: { ...DEFAULT_NOTIFICATIONS, lowBalanceThreshold: micros(5_000_000) } })).toBeUndefined();
  });

  it('always sends API key notices, whatever the settings', () => {
    const allOff = { ...owner, notifications: { orderCompleted: false, depositCredited: false, lowBalanceThreshold: null } };
    for (const type of ['api_key.created', 'api_key.suspended', 'api_key.revoked'] as const) expect(reasonToSkip(type, allOff)).toBeUndefined();
  });

  it('sends nothing to a blocked user or to a user without an email address', () => {
    expect(reasonToSkip('api_key.revoked', { ...owner, blocked: true })).toBe('blocked');
    expect(reasonToSkip('order.completed', { ...owner, email: '' })).toBe('no_email');
  });
});

describe('the email use case around its claim', () => {
  const account = {
    id: 'u-1',
    email: 'a@example.com',
    role: 'customer' as const,
    walletId: 'w-1',
    createdAt: AT,
    emailVerified: true,
    blocked: false,
    notifications: DEFAULT_NOTIFICATIONS,
  };

  function setup(overrides: Partial<{ claim: 'claimed' | 'done' | 'busy'; send: () => Promise<void>; done: () => Promise<void> }> = {}) {
    const calls: string[] = [];
    const useCase = new SendNotificationEmails({
      accounts: { get: async (id) => (id === 'u-1' ? account : undefined) },
      serviceName: async () => {
        throw new Error('catalog unavailable');
      },
      claims: {
        claim: async (consumer, id) => {
          calls.push(`claim ${consumer} ${id}`);
          return overrides.claim ?? 'claimed';
        },
        done: async () => {
          calls.push('done');
          await overrides.done?.();
        },
        release: async () => void calls.push('release'),
      },
      email: {
        send: async (message) => {
          calls.push(`send ${message.to} ${message.subject}`);
          await overrides.send?.();
        },
      },
      apiBase: 'https://api.codex.example/',
      onError: (message) => calls.push(`error ${message}`),
    });
    return { useCase, calls };
  }

  it('claims, sends, then marks done; a catalog failure only leaves the service as its id', async () => {
    const { useCase, calls } = setup();
    expect(await useCase.handle(EVENTS['order.completed'])).toEqual({ outcome: 'sent' });
    expect(calls).toEqual([
      'error could not read the service name for an order email',
      'claim sendNotificationEmails e-1',
      'send a@example.com Order #4321 completed',
      'done',
    ]);
  });

  it('holds a claim longer than an invocation can live, so no send still running loses its claim', () => {
    expect(EMAIL_CLAIM_LEASE_MS).toBeGreaterThan(FUNCTIONS.sendNotificationEmails.timeoutSeconds * 1000);
  });

  it('skips an event already done and asks for a retry after the lease while another delivery holds it', async () => {
    expect(await setup({ claim: 'done' }).useCase.handle(EVENTS['deposit.credited'])).toEqual({ outcome: 'duplicate' });
    expect(await setup({ claim: 'busy' }).useCase.handle(EVENTS['deposit.credited'])).toEqual({ outcome: 'busy', retryAfterSeconds: 60 });
  });

  it('gives the claim back and fails when the send fails, so the next delivery sends', async () => {
    const { useCase, calls } = setup({ send: () => Promise.reject(new Error('SES down')) });
    await expect(useCase.handle(EVENTS['deposit.credited'])).rejects.toThrow('SES down');
    expect(calls.at(-1)).toBe('release');
  });

  it('does not fail a sent email when marking it done fails: failing would send it again', async () => {
    const { useCase, calls } = setup({ done: () => Promise.reject(new Error('throttled')) });
    expect(await useCase.handle(EVENTS['deposit.credited'])).toEqual({ outcome: 'sent' });
    expect(calls.filter((c) => c === 'done')).toHaveLength(2);
    expect(calls.at(-1)).toBe('error sent an email but could not mark its event done');
  });

  it('tells an unknown owner apart and claims nothing for it', async () => {
    const { useCase, calls } = setup();
    const stranger = { ...EVENTS['deposit.credited'], data: { ...EVENTS['deposit.credited'].data, ownerId: 'nobody' } } as EmailedEvent;
    expect(await useCase.handle(stranger)).toEqual({ outcome: 'unknown_owner' });
    expect(calls).toEqual([]);
  });
});

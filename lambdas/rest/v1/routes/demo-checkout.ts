// REST v1 implementations: the demo gateway's checkout. Plain HTML forms, no script; everything shown is escaped and
// the page may not be framed, load anything, or post anywhere but here.
import { type TopUp, visibleStatus } from '../../../payments/domain/top-ups.js';
import type { DemoGateway, DemoStatus } from '../../../payments/gateways/demo.js';
import { demoGateway, topUpStore } from '../../../payments/wiring.js';
import { formatMoney } from '../../../shared/money.js';
import { platform } from '../../../shared/platform.js';
import { systemClock } from '../../../shared/platform/config.js';
import { demoCancelOperation, demoCheckoutPageOperation, demoPayOperation } from '../contract/demo-checkout.js';
import { notFound, type Reply, type RouteImpl, route } from '../http.js';

const CALLBACK_TIMEOUT_MS = 10_000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string, apiBase: string): Reply {
  const origin = URL.canParse(apiBase) ? new URL(apiBase).origin : "'self'";
  return {
    status: 200,
    text: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}form{display:inline}button{font-size:1rem;padding:.5rem 1.5rem;margin:.5rem .5rem 0 0}.note{color:#666;font-size:.9rem}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
${body}
<p class="note">Demo payment gateway: no real money moves.</p>
</body></html>
`,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${origin}; base-uri 'none'; frame-ancestors 'none'`,
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    },
  };
}

async function checkout(id: string): Promise<{ gateway: DemoGateway; topUp: TopUp }> {
  const gateway = demoGateway();
  if (!gateway) throw notFound('Page');
  const topUp = await topUpStore().find(id);
  if (topUp?.method !== 'demo') throw notFound('Checkout');
  return { gateway, topUp };
}

const amountOf = (topUp: TopUp) => `${formatMoney(topUp.amount, 2)} ${topUp.currency}`;

async function press(id: string, status: DemoStatus, apiBase: string): Promise<Reply> {
  const { gateway, topUp } = await checkout(id);
  const callback = await gateway.callbackFor(topUp, status);
  let answer: string;
  try {
    const response = await (platform().fetch ?? fetch)(`${apiBase}/api/v1/payments/demo/callback`, {
      method: 'POST',
      headers: callback.headers,
      body: callback.body,
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    answer = response.ok ? 'accepted' : `refused (HTTP ${response.status})`;
    await response.body?.cancel();
  } catch {
    answer = 'not delivered: the shop did not answer';
  }
  const after = (await topUpStore().find(id)) ?? topUp;
  const shown = visibleStatus(after, systemClock.now());
  const title = status === 'paid' ? (shown === 'paid' ? 'Payment received' : 'Payment sent') : 'Payment cancelled';
  return page(
    title,
    `<p>Amount: <strong>${escapeHtml(amountOf(topUp))}</strong></p>
<p>The gateway's callback was ${escapeHtml(answer)}. Top-up status: <strong>${escapeHtml(shown)}</strong>.</p>
<p>You can close this page.</p>`,
    apiBase,
  );
}

export const demoCheckoutRoutes: readonly RouteImpl[] = [
  route(demoCheckoutPageOperation, async (req) => {
    const { topUp } = await checkout(req.params.id);
    const status = visibleStatus(topUp, systemClock.now());
    const action = escapeHtml(topUp.checkoutUrl ?? `${req.apiBase}/api/v1/payments/demo/checkout/${topUp.id}`);
    const buttons =
      status === 'pending'
        ? `<form method="post" action="${action}/pay"><button type="submit">Pay</button></form>
<form method="post" action="${action}/cancel"><button type="submit">Cancel</button></form>`
        : '<p>This payment is closed.</p>';
    return page(
      'Demo checkout',
      `<p>Pay <strong>${escapeHtml(amountOf(topUp))}</strong> into your balance.</p>
<p>Top-up <code>${escapeHtml(topUp.id)}</code>, status <strong>${escapeHtml(status)}</strong>.</p>
${buttons}`,
      req.apiBase,
    );
  }),
  route(demoPayOperation, (req) => press(req.params.id, 'paid', req.apiBase)),
  route(demoCancelOperation, (req) => press(req.params.id, 'cancelled', req.apiBase)),
];

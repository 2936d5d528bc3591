// The notification emails, one per event type, in plain text and HTML, as eta templates (https://eta.js.org) over an
// EmailView (domain/email-notifications.ts): `<%= %>` prints (HTML-escaped in HTML templates, as is in text ones),
// `<%~ %>` prints raw (only for included templates), `<% %>` runs, `-%>` drops the newline after a control line.
// Bundled as strings: no file is read at run time.
import type { EmailedType } from '../domain/email-notifications.js';

export const SUBJECTS: Record<EmailedType, string> = {
  'order.completed': 'Order #<%= it.order.orderId %> completed',
  'order.partial': 'Order #<%= it.order.orderId %> partly delivered',
  'order.canceled': 'Order #<%= it.order.orderId %> canceled',
  'deposit.credited': 'Deposit of <%= it.deposit.amount %> credited',
  'balance.low': 'Low balance: <%= it.balance.balance %>',
  'api_key.created': 'New API key <%= it.key.prefix %>… created',
  'api_key.suspended': 'API key <%= it.key.prefix %>… suspended',
  'api_key.revoked': 'API key <%= it.key.prefix %>… revoked',
};

const ORDER_FOOTER = 'You get this email because order emails are on in your notification settings (PATCH /api/v1/me to change them).';
const DEPOSIT_FOOTER = 'You get this email because deposit emails are on in your notification settings (PATCH /api/v1/me to change them).';
const BALANCE_FOOTER = 'You get this email because you set a low-balance threshold in your notification settings (PATCH /api/v1/me to change it).';
const KEY_FOOTER = 'Security notices about your API keys are always sent. Codex never emails a key, only its first characters.';

/** Partials and layouts, shared by the templates below; their names start with `@`. */
export const TEXT_PARTIALS: Record<string, string> = {
  '@order': `Service:  <%= it.order.service %>
Link:     <%= it.order.link %>
Quantity: <%= it.order.quantity %>
Charge:   <%= it.order.charge %>
<% if (it.order.remains !== undefined) { -%>
Not delivered: <%= it.order.remains %>
<% } -%>
<% if (it.order.refunded) { -%>
Refunded: <%= it.order.refunded %> (back in your balance)
<% } -%>
`,
  '@key': `Key:   <%= it.key.prefix %>…
<% if (it.key.label) { -%>
Label: <%= it.key.label %>
<% } -%>
<% if (it.key.reason) { -%>
Reason: <%= it.key.reason %>
<% } -%>
`,
  '@layout': `<%= it.body %>
<% if (it.cabinetUrl) { -%>
In your cabinet: <%= it.cabinetUrl %>

<% } -%>
--
<%= it.footer %>
`,
};

export const TEXT_TEMPLATES: Record<EmailedType, string> = {
  'order.completed': `<% layout('@layout', { footer: ${JSON.stringify(ORDER_FOOTER)} }) -%>
Your order #<%= it.order.orderId %> is complete: everything was delivered.

<%= include('@order', it) %>`,
  'order.partial': `<% layout('@layout', { footer: ${JSON.stringify(ORDER_FOOTER)} }) -%>
Your order #<%= it.order.orderId %> was delivered in part. What was not delivered is refunded to your balance.

<%= include('@order', it) %>`,
  'order.canceled': `<% layout('@layout', { footer: ${JSON.stringify(ORDER_FOOTER)} }) -%>
Your order #<%= it.order.orderId %> was canceled.<% if (it.order.refunded) { %> Its charge is refunded to your balance.<% } %>

<%= include('@order', it) %>`,
  'deposit.credited': `<% layout('@layout', { footer: ${JSON.stringify(DEPOSIT_FOOTER)} }) -%>
Your deposit of <%= it.deposit.amount %> is credited to your balance.

Amount: <%= it.deposit.amount %>
Method: <%= it.deposit.method %>
Top-up: <%= it.deposit.topUpId %>
`,
  'balance.low': `<% layout('@layout', { footer: ${JSON.stringify(BALANCE_FOOTER)} }) -%>
Your balance fell below the threshold you set.

Balance:   <%= it.balance.balance %>
Threshold: <%= it.balance.threshold %>

Top up to keep your orders going.
`,
  'api_key.created': `<% layout('@layout', { footer: ${JSON.stringify(KEY_FOOTER)} }) -%>
A new API key was created on your account.

<%= include('@key', it) %>
If you did not create it, revoke it in your cabinet and change your password.
`,
  'api_key.suspended': `<% layout('@layout', { footer: ${JSON.stringify(KEY_FOOTER)} }) -%>
One of your API keys was suspended: requests made with it are refused until it is reactivated.

<%= include('@key', it) %>`,
  'api_key.revoked': `<% layout('@layout', { footer: ${JSON.stringify(KEY_FOOTER)} }) -%>
One of your API keys was revoked: it no longer works, for good.

<%= include('@key', it) %>
If you did not revoke it, change your password and check your other keys.
`,
};

export const HTML_PARTIALS: Record<string, string> = {
  // A label and its value (escaped here, as everywhere: callers include it raw).
  '@row': `<tr><td style="padding:4px 12px 4px 0;color:#71717a;vertical-align:top;"><%= it.label %></td>\
<td style="padding:4px 0;word-break:break-all;<%= it.mono ? 'font-family:monospace;' : '' %>"><%= it.value %></td></tr>
`,
  '@order': `<table role="presentation" style="border-collapse:collapse;">
<%~ include('@row', { label: 'Service', value: it.order.service }) %>
<%~ include('@row', { label: 'Link', value: it.order.link }) %>
<%~ include('@row', { label: 'Quantity', value: it.order.quantity }) %>
<%~ include('@row', { label: 'Charge', value: it.order.charge }) %>
<% if (it.order.remains !== undefined) { -%>
<%~ include('@row', { label: 'Not delivered', value: it.order.remains }) %>
<% } -%>
<% if (it.order.refunded) { -%>
<%~ include('@row', { label: 'Refunded', value: it.order.refunded + ' (back in your balance)' }) %>
<% } -%>
</table>
`,
  '@key': `<table role="presentation" style="border-collapse:collapse;">
<%~ include('@row', { label: 'Key', value: it.key.prefix + '…', mono: true }) %>
<% if (it.key.label) { -%>
<%~ include('@row', { label: 'Label', value: it.key.label }) %>
<% } -%>
<% if (it.key.reason) { -%>
<%~ include('@row', { label: 'Reason', value: it.key.reason }) %>
<% } -%>
</table>
`,
  // The order's link is shown, never made clickable: it is the customer's input, not a place Codex sends anyone.
  '@layout': `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title><%= it.subject %></title></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:15px;color:#18181b;">
<div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:6px;">
<%~ it.body %>
<% if (it.cabinetUrl) { -%>
<p><a href="<%= it.cabinetUrl %>" style="color:#2563eb;">See it in your cabinet</a></p>
<% } -%>
<p style="margin-top:24px;font-size:12px;color:#71717a;"><%= it.footer %></p>
</div>
</body>
</html>
`,
};

export const HTML_TEMPLATES: Record<EmailedType, string> = {
  'order.completed': `<% layout('@layout', { footer: ${JSON.stringify(ORDER_FOOTER)} }) -%>
<p>Your order <strong>#<%= it.order.orderId %></strong> is complete: everything was delivered.</p>
<%~ include('@order', it) %>`,
  'order.partial': `<% layout('@layout', { footer: ${JSON.stringify(ORDER_FOOTER)} }) -%>
<p>Your order <strong>#<%= it.order.orderId %></strong> was delivered in part. What was not delivered is refunded to your balance.</p>
<%~ include('@order', it) %>`,
  'order.canceled': `<% layout('@layout', { footer: ${JSON.stringify(ORDER_FOOTER)} }) -%>
<p>Your order <strong>#<%= it.order.orderId %></strong> was canceled.<% if (it.order.refunded) { %> Its charge is refunded to your balance.<% } %></p>
<%~ include('@order', it) %>`,
  'deposit.credited': `<% layout('@layout', { footer: ${JSON.stringify(DEPOSIT_FOOTER)} }) -%>
<p>Your deposit of <strong><%= it.deposit.amount %></strong> is credited to your balance.</p>
<table role="presentation" style="border-collapse:collapse;">
<%~ include('@row', { label: 'Amount', value: it.deposit.amount }) %>
<%~ include('@row', { label: 'Method', value: it.deposit.method }) %>
<%~ include('@row', { label: 'Top-up', value: it.deposit.topUpId, mono: true }) %>
</table>
`,
  'balance.low': `<% layout('@layout', { footer: ${JSON.stringify(BALANCE_FOOTER)} }) -%>
<p>Your balance fell below the threshold you set.</p>
<table role="presentation" style="border-collapse:collapse;">
<%~ include('@row', { label: 'Balance', value: it.balance.balance }) %>
<%~ include('@row', { label: 'Threshold', value: it.balance.threshold }) %>
</table>
<p>Top up to keep your orders going.</p>
`,
  'api_key.created': `<% layout('@layout', { footer: ${JSON.stringify(KEY_FOOTER)} }) -%>
<p>A new API key was created on your account.</p>
<%~ include('@key', it) %>
<p>If you did not create it, revoke it in your cabinet and change your password.</p>
`,
  'api_key.suspended': `<% layout('@layout', { footer: ${JSON.stringify(KEY_FOOTER)} }) -%>
<p>One of your API keys was suspended: requests made with it are refused until it is reactivated.</p>
<%~ include('@key', it) %>`,
  'api_key.revoked': `<% layout('@layout', { footer: ${JSON.stringify(KEY_FOOTER)} }) -%>
<p>One of your API keys was revoked: it no longer works, for good.</p>
<%~ include('@key', it) %>
<p>If you did not revoke it, change your password and check your other keys.</p>
`,
};

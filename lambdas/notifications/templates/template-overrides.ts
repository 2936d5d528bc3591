// Admins' rewordings of notification emails (settings.templates): eta templates restricted to printing the view's
// fields and `if` blocks over them. Full eta runs any JavaScript, and a template stored in a table must not turn an
// admin account into code running in the email function. Checked when saved (syntax, field names, a sample render)
// and rendered by renderEmail in place of the built-in subject or text.
import { DomainError } from '../../shared/errors.js';
import type { TemplateOverride } from '../../settings/domain/settings.js';
import type { EmailedType, EmailView } from '../domain/email-notifications.js';
import { type RenderedEmail, renderEmail } from './render-email.js';

/** What a tag may hold: print a field (`<%= it.order.link %>`), open an `if` on one, an `else`, or a closing brace. */
const TAG = /<%([\s\S]*?)%>/g;
const FIELD = String.raw`it(?:\.[A-Za-z][A-Za-z0-9]*)+`;
const ALLOWED = [
  new RegExp(String.raw`^=\s*(${FIELD})\s*-?$`),
  new RegExp(String.raw`^\s*if\s*\(\s*(!?)(${FIELD})\s*\)\s*\{\s*-?$`),
  /^\s*\}\s*else\s*\{\s*-?$/,
  /^\s*\}\s*-?$/,
];

/** One view per emailed type with every optional field filled: what a saved template is checked against. */
export const SAMPLE_VIEWS: Record<EmailedType, EmailView> = (() => {
  const at = '2026-01-01T12:00:00.000Z';
  const cabinetUrl = 'https://codex.example/api/v1/orders/1042';
  const order = {
    orderId: 1042,
    service: 'YouTube Views (#1)',
    link: 'https://youtube.com/watch?v=x',
    quantity: 1000,
    charge: '0.90 USD',
    refunded: '0.45 USD',
    remains: 500,
  };
  const key = { prefix: 'cdx_AbCdEf', label: 'shop', reason: 'too many invalid requests' };
  return {
    'order.completed': { type: 'order.completed', at, cabinetUrl, order },
    'order.partial': { type: 'order.partial', at, cabinetUrl, order },
    'order.canceled': { type: 'order.canceled', at, cabinetUrl, order },
    'deposit.credited': {
      type: 'deposit.credited',
      at,
      cabinetUrl,
      deposit: { amount: '25.00 USD', method: 'demo', topUpId: 'tu_0000000000000000000000000000' },
    },
    'balance.low': { type: 'balance.low', at, cabinetUrl, balance: { balance: '4.20 USD', threshold: '5.00 USD' } },
    'api_key.created': { type: 'api_key.created', at, cabinetUrl, key },
    'api_key.suspended': { type: 'api_key.suspended', at, cabinetUrl, key },
    'api_key.revoked': { type: 'api_key.revoked', at, cabinetUrl, key },
  };
})();

/** Throws a DomainError naming `field` when the template uses anything beyond fields and `if` blocks, or an unknown field. */
export function checkTemplateSyntax(template: string, sample: EmailView, field: string): void {
  let depth = 0;
  for (const [, inner = ''] of template.matchAll(TAG)) {
    const body = inner.replace(/^[-_]/, '').replace(/[_]$/, '');
    const match = ALLOWED.map((pattern) => pattern.exec(body)).find(Boolean);
    if (!match)
      throw new DomainError('invalid_request', `${field}: only <%= it.<field> %> and <% if (it.<field>) { %> … <% } %> are allowed, not <%${inner}%>`, field);
    const path = match[1] === '' || match[1] === '!' ? match[2] : match[1];
    if (path && !hasPath(sample, path)) throw new DomainError('invalid_request', `${field}: ${path} is not a field of this email`, field);
    if (/\{\s*-?$/.test(body)) depth++;
    if (/^\s*\}/.test(body)) depth--;
    if (depth < 0) throw new DomainError('invalid_request', `${field}: a } without its if`, field);
  }
  if (depth !== 0) throw new DomainError('invalid_request', `${field}: an if without its closing <% } %>`, field);
  if (template.replace(TAG, '').includes('<%')) throw new DomainError('invalid_request', `${field}: a <% without its %>`, field);
}

function hasPath(view: EmailView, path: string): boolean {
  let value: unknown = { it: view };
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return false;
    value = (value as Record<string, unknown>)[part];
  }
  return true;
}

/** Checks an override and renders it against the type's sample: what an admin sees before saving it. */
export function previewOverride(type: EmailedType, override: TemplateOverride): RenderedEmail {
  const field = `templates.${type}`;
  if (override.subject !== undefined) checkTemplateSyntax(override.subject, SAMPLE_VIEWS[type], `${field}.subject`);
  if (override.text !== undefined) checkTemplateSyntax(override.text, SAMPLE_VIEWS[type], `${field}.text`);
  try {
    return renderEmail(SAMPLE_VIEWS[type], override);
  } catch (error) {
    throw new DomainError('invalid_request', `${field}: does not render: ${(error as Error).message.split('\n')[0]}`, field);
  }
}

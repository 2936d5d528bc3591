// Which URLs a webhook may be sent to, judged from the URL alone. A host name is only resolved when connecting, and the
// sender checks that address again there: this early check gives the owner a clear answer when they register the URL.
import ipaddr from 'ipaddr.js';

export interface WebhookUrlRules {
  /** Local stack only: http:// and https:// receivers on 127.0.0.0/8, ::1 and `localhost`. Never on AWS. */
  allowLoopbackHttp?: boolean;
}

export type WebhookUrlCheck = { ok: true; url: URL } | { ok: false; code: 'invalid_url' | 'blocked_address'; reason: string };

const MAX_URL_LENGTH = 2048;
/** Besides the scheme's default port, only unprivileged ports: no pointing a webhook at a mail or SSH server. */
const LOWEST_OTHER_PORT = 1024;

export function checkWebhookUrl(text: string, rules: WebhookUrlRules = {}): WebhookUrlCheck {
  if (text.length > MAX_URL_LENGTH) return { ok: false, code: 'invalid_url', reason: `The URL is longer than ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, code: 'invalid_url', reason: 'Not a URL' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, code: 'invalid_url', reason: 'The URL must not carry a user name or password' };
  const loopback = isLoopbackHost(url.hostname);
  if (loopback && !rules.allowLoopbackHttp) return { ok: false, code: 'blocked_address', reason: 'The URL points at a private or reserved address' };
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return { ok: false, code: 'invalid_url', reason: 'The URL must use https' };
  if (url.port !== '' && Number(url.port) < LOWEST_OTHER_PORT)
    return { ok: false, code: 'invalid_url', reason: `The port must be the default one or ${LOWEST_OTHER_PORT} or above` };
  const literal = ipLiteral(url.hostname);
  if (literal !== undefined && !loopback && !isPublicAddress(literal))
    return { ok: false, code: 'blocked_address', reason: 'The URL points at a private or reserved address' };
  return { ok: true, url };
}

/** Public unicast only; IPv4-mapped IPv6 addresses are judged as the IPv4 address they map. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === 'unicast';
}

function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  const literal = ipLiteral(hostname);
  return literal !== undefined && ipaddr.parse(literal).range() === 'loopback';
}

/** The IP address a URL's host names literally (WHATWG URLs keep IPv6 in brackets), or undefined for a DNS name. */
function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  // A URL's hostname has IPv4 in dotted decimal (the URL parser rewrites hex and short forms) and IPv6 in brackets:
  // any other name is a DNS name, not worth ipaddr's parsers on every delivery.
  if (!bare.includes(':') && !/^[\d.]+$/.test(bare)) return undefined;
  return ipaddr.isValid(bare) ? bare : undefined;
}

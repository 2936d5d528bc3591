// What counts as a link: an http(s) URL naming a public host by name, or, where the service type targets an
// account, a bare handle. Links go to providers and show in panels, so nothing that could point them inward
// (IP literals, localhost), carry secrets (user:pass@) or read differently than it looks (bidi overrides).
import { DomainError } from '../../shared/errors.js';

const MAX_LINK_LENGTH = 2048;
const HANDLE = /^@?[\p{L}\p{N}_.-]{1,100}$/u;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
// An `@` before the path, an empty user:pass@ too. `\` counts as text: WHATWG URL reads it as `/`, other parsers
// (curl, PHP) do not, and `http://a.com\@b.com` must not mean a.com to us and b.com to a provider.
const USERINFO = /^[a-z][a-z\d+.-]*:\/*[^/?#]*@/i;
// WHATWG URL has already turned decimal, hex, octal and short forms (2130706433, 0x7f.1) into dotted quads.
const IPV4_HOST = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export interface LinkOptions {
  /** The service type targets an account, so a bare username is a link too. */
  username?: boolean;
}

export function validateLink(raw: string, options: LinkOptions = {}): string {
  const link = raw.trim();
  if (link.length === 0) throw new DomainError('invalid_link', 'Link is required');
  if (link.length > MAX_LINK_LENGTH) throw new DomainError('invalid_link', `Link is longer than ${MAX_LINK_LENGTH} characters`);
  if (BIDI_CONTROLS.test(link)) throw new DomainError('invalid_link', 'Link must not contain bidirectional control characters');
  if (options.username && HANDLE.test(link)) return link;
  if (/[\s\p{Cc}]/u.test(link)) throw new DomainError('invalid_link', 'Link must not contain spaces or control characters');
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new DomainError('invalid_link', options.username ? 'Link must be an http(s) URL or a username' : 'Link must be an http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('invalid_link', 'Link must be an http(s) URL');
  if (url.username || url.password || USERINFO.test(link)) throw new DomainError('invalid_link', 'Link must not contain a user name or password');
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('[') || IPV4_HOST.test(host)) throw new DomainError('invalid_link', 'Link must name a host, not an IP address');
  if (host === 'localhost' || host.endsWith('.localhost')) throw new DomainError('invalid_link', 'Link must not point to localhost');
  if (!host.includes('.')) throw new DomainError('invalid_link', 'Link must name a real host');
  return link;
}

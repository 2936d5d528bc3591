// What counts as a link: an http(s) URL, or a bare handle or id (some services take a username, not a URL).
import { DomainError } from '../../shared/errors.js';

const MAX_LINK_LENGTH = 2048;
const HANDLE = /^@?[\p{L}\p{N}_.-]{1,100}$/u;

export function validateLink(raw: string): string {
  const link = raw.trim();
  if (link.length === 0) throw new DomainError('invalid_link', 'Link is required');
  if (link.length > MAX_LINK_LENGTH) throw new DomainError('invalid_link', `Link is longer than ${MAX_LINK_LENGTH} characters`);
  if (HANDLE.test(link)) return link;
  if (/[\s\p{Cc}]/u.test(link)) throw new DomainError('invalid_link', 'Link must not contain spaces or control characters');
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new DomainError('invalid_link', 'Link must be an http(s) URL or a username');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('invalid_link', 'Link must be an http(s) URL');
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') throw new DomainError('invalid_link', 'Link must name a real host');
  return link;
}

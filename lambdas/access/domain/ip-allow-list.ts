// A key's IP allow-list as its owner writes it: addresses and CIDR ranges, validated and written canonically, so
// the request path (caller-address.ts) only has to match canonical entries.
import ipaddr from 'ipaddr.js';
import { DomainError } from '../../shared/errors.js';

export const MAX_ALLOWED_IPS = 100;

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Strict parsing: dotted-quad IPv4 without leading zeros (ipaddr.js alone also takes "10", "0x0a.1" and octal,
 * which nobody means in an allow-list) and IPv6 without a zone id. IPv4-mapped IPv6 becomes IPv4, so
 * "::ffff:1.2.3.4" and "1.2.3.4" are the same caller.
 */
function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!/^[0-9a-f:.]+$/i.test(text) || !ipaddr.IPv6.isValid(text)) return undefined;
  const dotted = text.slice(text.lastIndexOf(':') + 1);
  if (dotted.includes('.') && !ipaddr.IPv4.isValidFourPartDecimal(dotted)) return undefined;
  const address = ipaddr.IPv6.parse(text);
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

const formatAddress = (address: Address): string => (address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString());

type Range = [Address, number];

function parseEntry(entry: string): { range: Range } | { problem: string } {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  if (!address || text.length > 64 || (prefixText !== undefined && !/^(0|[1-9]\d{0,2})$/.test(prefixText))) {
    return { problem: `"${entry}" is not an IP address or CIDR range` };
  }
  const wasMapped = slash >= 0 && address.kind() === 'ipv4' && text.includes(':');
  const bits = address.kind() === 'ipv4' ? 32 : 128;
  let prefix = prefixText === undefined ? bits : Number(prefixText);
  if (wasMapped) prefix -= 96;
  if (prefix < 0 || prefix > bits) return { problem: `"${entry}" has a prefix length outside 0-${bits}` };
  const network = networkOf(address, prefix);
  if (formatAddress(network) !== formatAddress(address)) {
    return { problem: `"${entry}" is not the start of its range (did you mean "${formatAddress(network)}/${prefix}"?)` };
  }
  return { range: [address, prefix] };
}

function networkOf(address: Address, prefix: number): Address {
  const bytes = address.toByteArray().map((byte, i) => {
    const keep = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & (0xff << (8 - keep)) & 0xff;
  });
  return ipaddr.fromByteArray(bytes);
}

const formatRange = ([address, prefix]: Range): string =>
  prefix === (address.kind() === 'ipv4' ? 32 : 128) ? formatAddress(address) : `${formatAddress(address)}/${prefix}`;

/**
 * Validates an allow-list and returns it normalised (canonical text, duplicates removed). Every bad entry is
 * named in one error, so the reseller can fix them all at once. An empty list means "any address".
 */
export function parseIpAllowList(entries: readonly string[]): string[] {
  if (entries.length > MAX_ALLOWED_IPS) throw new DomainError('invalid_request', `An allow-list holds at most ${MAX_ALLOWED_IPS} entries`);
  const problems: string[] = [];
  const normalised = new Set<string>();
  for (const entry of entries) {
    const parsed = typeof entry === 'string' ? parseEntry(entry) : { problem: `${JSON.stringify(entry)} is not text` };
    if ('problem' in parsed) problems.push(parsed.problem);
    else normalised.add(formatRange(parsed.range));
  }
  if (problems.length > 0) throw new DomainError('invalid_request', `Invalid IP allow-list: ${problems.join('; ')}`);
  return [...normalised];
}

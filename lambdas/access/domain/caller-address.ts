// The caller's address on the request path: matched against a key's allow-list (canonical entries, see
// ip-allow-list.ts) and counted for abuse. Node's own address parsing and BlockList, so this path needs no library.
import { BlockList, isIPv4, isIPv6 } from 'node:net';

type Family = 'ipv4' | 'ipv6';
interface CallerAddress {
  family: Family;
  /** Canonical text: dotted quad, or RFC 5952 IPv6 (as the WHATWG URL parser writes it). */
  text: string;
}

// Dotted quad without leading zeros: "10", "0x0a.1" and octal spellings are nobody's address.
const DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const MAPPED_IPV4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/;

/** IPv4-mapped IPv6 becomes IPv4, so "::ffff:1.2.3.4" and "1.2.3.4" are the same caller. No zone ids. */
function readAddress(raw: string): CallerAddress | undefined {
  const text = raw.trim();
  if (DOTTED_QUAD.test(text) && isIPv4(text)) return { family: 'ipv4', text };
  if (!/^[0-9a-f:.]+$/i.test(text) || !isIPv6(text)) return undefined;
  const dotted = text.slice(text.lastIndexOf(':') + 1);
  if (dotted.includes('.') && !DOTTED_QUAD.test(dotted)) return undefined;
  // "::1.2.3.4" is read as IPv4, as the allow-list's parser (ipaddr.js) reads it when it stores an entry.
  if (text.startsWith('::') && text.lastIndexOf(':') === 1 && dotted.includes('.')) return { family: 'ipv4', text: dotted };
  const canonical = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = MAPPED_IPV4.exec(canonical);
  if (mapped) return { family: 'ipv4', text: mapped[1]! };
  // The URL parser writes a mapped address in hex ("::ffff:c000:201"); read it back as IPv4.
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (hexMapped) {
    const [high, low] = [parseInt(hexMapped[1]!, 16), parseInt(hexMapped[2]!, 16)];
    return { family: 'ipv4', text: [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.') };
  }
  return { family: 'ipv6', text: canonical };
}

// One list per family: a BlockList also matches an IPv4 address against IPv6 ranges (as ::ffff:a.b.c.d), and "::/0"
// must not let every IPv4 caller in.
const allowLists = new Map<string, Record<Family, BlockList>>();

function allowListOf(entries: readonly string[]): Record<Family, BlockList> {
  const key = entries.join(',');
  let lists = allowLists.get(key);
  if (!lists) {
    lists = { ipv4: new BlockList(), ipv6: new BlockList() };
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const family: Family = address.includes(':') ? 'ipv6' : 'ipv4';
      try {
        if (prefix === undefined) lists[family].addAddress(address, family);
        else lists[family].addSubnet(address, Number(prefix), family);
      } catch {
        // Not written by parseIpAllowList (an item edited by hand): it matches nothing, and the request is still answered.
      }
    }
    if (allowLists.size >= 1_000) allowLists.delete(allowLists.keys().next().value!);
    allowLists.set(key, lists);
  }
  return lists;
}

/** Whether a request from `sourceIp` may use a key with this allow-list; no list (or an empty one) allows any address. */
export function isIpAllowed(allowList: readonly string[] | undefined, sourceIp: string): boolean {
  if (!allowList || allowList.length === 0) return true;
  const address = readAddress(sourceIp);
  return address !== undefined && allowListOf(allowList)[address.family].check(address.text, address.family);
}

/**
 * Who is counted for invalid-key bursts: an IPv4 address, or the /64 of an IPv6 address (one subscriber usually
 * holds a whole /64, so counting single IPv6 addresses would be trivial to dodge).
 */
export function abuseSourceOf(sourceIp: string): string {
  const address = readAddress(sourceIp);
  if (!address) return 'unparsable';
  if (address.family === 'ipv4') return address.text;
  const network = `${expandIpv6(address.text).slice(0, 4).join(':')}::`;
  return `${new URL(`http://[${network}]/`).hostname.slice(1, -1)}/64`;
}

/** The eight 16-bit groups of a canonical IPv6 address. */
function expandIpv6(text: string): string[] {
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

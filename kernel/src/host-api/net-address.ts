/**
 * What kind of address an IP is, for `http.fetch`: only public unicast addresses may be reached without the
 * `httpPrivate` grant. Covers IPv4 and IPv6, including IPv6 forms that carry an IPv4 address (IPv4-mapped,
 * IPv4-compatible, NAT64, 6to4), so `::ffff:127.0.0.1` is loopback like `127.0.0.1`.
 * @module
 */
import net from 'node:net';

export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'multicast'
  | 'reserved';

type Range4 = [base: number, bits: number, kind: AddressKind];

const v4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** IPv4 ranges that are not public unicast (RFC 6890 and friends). */
const IPV4_RANGES: Range4[] = [
  [v4(0, 0, 0, 0), 8, 'unspecified'], // "this network"; 0.0.0.0 reaches the local host on most systems
  [v4(10, 0, 0, 0), 8, 'private'],
  [v4(100, 64, 0, 0), 10, 'private'], // carrier-grade NAT, shared address space
  [v4(127, 0, 0, 0), 8, 'loopback'],
  [v4(169, 254, 0, 0), 16, 'link-local'], // includes cloud metadata services (169.254.169.254)
  [v4(172, 16, 0, 0), 12, 'private'],
  [v4(192, 0, 0, 0), 24, 'reserved'], // IETF protocol assignments
  [v4(192, 0, 2, 0), 24, 'reserved'], // documentation
  [v4(192, 168, 0, 0), 16, 'private'],
  [v4(198, 18, 0, 0), 15, 'private'], // benchmarking
  [v4(198, 51, 100, 0), 24, 'reserved'], // documentation
  [v4(203, 0, 113, 0), 24, 'reserved'], // documentation
  [v4(224, 0, 0, 0), 4, 'multicast'],
  [v4(240, 0, 0, 0), 4, 'reserved'], // includes the broadcast address 255.255.255.255
];

function classifyIpv4Number(n: number): AddressKind {
  for (const [base, bits, kind] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === base) return kind;
  }
  return 'public';
}

function parseIpv4(text: string): number | undefined {
  if (net.isIPv4(text) === false) return undefined;
  const parts = text.split('.').map(Number);
  return v4(parts[0]!, parts[1]!, parts[2]!, parts[3]!);
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded IPv4 tail expanded). */
export function parseIpv6(text: string): number[] | undefined {
  const address = text.replace(/%.*$/, '');
  if (!net.isIPv6(address)) return undefined;
  let head = address;
  const tail: number[] = [];
  const lastColon = address.lastIndexOf(':');
  const maybeV4 = address.slice(lastColon + 1);
  if (maybeV4.includes('.')) {
    const n = parseIpv4(maybeV4);
    if (n === undefined) return undefined;
    tail.push(n >>> 16, n & 0xffff);
    // Keep the colon before the IPv4 part when it is part of "::" (e.g. "::ffff:1.2.3.4" → "::ffff:").
    head = address.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  let words: number[];
  if (head.includes('::')) {
    const [left = '', right = ''] = head.split('::');
    const l = groups(left);
    const r = groups(right);
    const missing = 8 - tail.length - l.length - r.length;
    if (missing < 0) return undefined;
    words = [...l, ...new Array<number>(missing).fill(0), ...r, ...tail];
  } else {
    words = [...groups(head), ...tail];
  }
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff)
    ? words
    : undefined;
}

function classifyIpv6(w: number[]): AddressKind {
  const embedded = (hi: number, lo: number) => classifyIpv4Number(((hi << 16) | lo) >>> 0);
  const zeros = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 8)) return 'unspecified';
  if (zeros(0, 7) && w[7] === 1) return 'loopback';
  if (zeros(0, 5) && w[5] === 0xffff) return embedded(w[6]!, w[7]!); // IPv4-mapped ::ffff:a.b.c.d
  if (zeros(0, 6)) return embedded(w[6]!, w[7]!); // IPv4-compatible ::a.b.c.d (deprecated)
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return embedded(w[6]!, w[7]!); // NAT64
  if (w[0] === 0x64 && w[1] === 0xff9b && w[2] === 1) return 'private'; // local-use NAT64
  if (w[0] === 0x100 && zeros(1, 4)) return 'reserved'; // discard-only
  if (w[0] === 0x2001 && w[1] === 0xdb8) return 'reserved'; // documentation
  if (w[0] === 0x2001 && w[1] === 0) return 'reserved'; // Teredo: carries an obfuscated IPv4 address
  if (w[0] === 0x2002) return embedded(w[1]!, w[2]!); // 6to4
  const first = w[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((first & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((first & 0xffc0) === 0xfec0) return 'private'; // site-local fec0::/10 (deprecated)
  if ((first & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The kind of an IPv4 or IPv6 address; `undefined` when the text is not an IP address. */
export function classifyAddress(address: string): AddressKind | undefined {
  const n = parseIpv4(address);
  if (n !== undefined) return classifyIpv4Number(n);
  const words = parseIpv6(address);
  return words ? classifyIpv6(words) : undefined;
}

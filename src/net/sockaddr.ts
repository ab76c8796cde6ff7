// sockaddr bytes <-> address text for the batch engine: IPv4 and IPv6
// literals encoded once (cached by host, few distinct hosts), received names
// decoded to the text node:dgram reports (RFC 5952 for IPv6).
import { AF_INET, AF_INET6 } from "./libc.ts";

/** Bytes reserved per sockaddr: room for sockaddr_in6 (28). */
export const NAME = 32;

const v4Names = new Map<number, string>();
export function v4Name(ip: number): string {
  let s = v4Names.get(ip);
  if (s === undefined) {
    s = `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
    if (v4Names.size < 65536) v4Names.set(ip, s);
  }
  return s;
}

/** RFC 5952 text of 16 address bytes (what node:dgram reports). */
export function v6Name(b: Uint8Array, off: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff)
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

/** sockaddr bytes of an IP literal (port 0), cached by host (few distinct hosts); callers write the port. */
const addrCache = new Map<string, Uint8Array>();
export function hostAddr(host: string): Uint8Array {
  let a = addrCache.get(host);
  if (!a) {
    a = encodeHost(host);
    if (addrCache.size < 4096) addrCache.set(host, a);
  }
  return a;
}
export const addrLen = (a: Uint8Array): number => (a[0] === AF_INET6 ? 28 : 16);

function encodeHost(host: string): Uint8Array {
  const out = new Uint8Array(NAME);
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    out[0] = AF_INET; // sa_family is host order (little-endian): low byte first
    for (let i = 0; i < 4; i++) {
      const n = Number(v4[i + 1]);
      if (n > 255) throw new Error(`bad IPv4 address '${host}'`);
      out[4 + i] = n;
    }
    return out;
  }
  if (!host.includes(":")) throw new Error(`not an IP address: '${host}'`);
  out[0] = AF_INET6;
  const h = host.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  let tail: number[] = [];
  let head: number[] = [];
  const parse = (part: string): number[] => {
    if (part === "") return [];
    const words: number[] = [];
    for (const w of part.split(":")) {
      if (w.includes(".")) {
        const q = w.split(".").map(Number);
        words.push((q[0]! << 8) | q[1]!, (q[2]! << 8) | q[3]!);
      } else words.push(parseInt(w, 16));
    }
    return words;
  };
  const dbl = h.indexOf("::");
  if (dbl >= 0) {
    head = parse(h.slice(0, dbl));
    tail = parse(h.slice(dbl + 2));
  } else head = parse(h);
  const words = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  if (words.length !== 8 || words.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffff)) throw new Error(`bad IPv6 address '${host}'`);
  for (let i = 0; i < 8; i++) {
    out[8 + 2 * i] = words[i]! >>> 8;
    out[9 + 2 * i] = words[i]! & 255;
  }
  return out;
}

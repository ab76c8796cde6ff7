// HOST:PORT options (--listen, --backend, --target, --api): parsed and their
// host names resolved once, when the command line is read, so that every
// command takes the same names (`localhost:40001` works for up, lb and load
// alike) and a name that does not resolve is refused at once, naming the flag,
// instead of failing later at bind or on every send.
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, isIPv4 } from "node:net";

export class AddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AddressError";
  }
}

export interface HostPort {
  host: string;
  port: number;
}

/** Splits HOST:PORT or [IPv6]:PORT (port 0..65535: commands that need 1.. check that themselves). */
export function splitAddress(flag: string, s: string): HostPort {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new AddressError(`${flag}: expected HOST:PORT, got '${s}'`);
  return { host: (m[1] ?? m[2])!, port };
}

/** One address per name: getaddrinfo's first IPv4 answer, else its first answer. */
export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: Lookup = (host) => dnsLookup(host, { all: true });

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * An IP address for `host`: an IP literal as it is; `localhost` (and names
 * under .localhost, RFC 6761) as 127.0.0.1 without asking the resolver, the
 * loopback every part of virtscale binds and sends on; any other name through
 * the system resolver (getaddrinfo, /etc/hosts included), preferring IPv4.
 * Dotted numbers that are not an IPv4 address (999.1.1.1) are refused rather
 * than looked up as a name.
 */
export async function resolveHost(flag: string, host: string, opts: { lookup?: Lookup; timeoutMs?: number } = {}): Promise<string> {
  if (isIP(host)) return host;
  if (/^[0-9.]+$/.test(host)) throw new AddressError(`${flag}: '${host}' is not an IPv4 address`);
  const name = host.replace(/\.$/, "");
  if (name.length > 253 || !name.split(".").every((l) => LABEL.test(l))) throw new AddressError(`${flag}: '${host}' is not an IP address or a host name`);
  if (/^localhost$|\.localhost$/i.test(name)) return "127.0.0.1";
  const timeoutMs = opts.timeoutMs ?? 5000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AddressError(`${flag}: resolving '${host}' took longer than ${timeoutMs / 1000} s`)), timeoutMs);
  });
  let answers: { address: string; family: number }[];
  try {
    answers = await Promise.race([(opts.lookup ?? systemLookup)(name), timeout]);
  } catch (e) {
    if (e instanceof AddressError) throw e;
    const code = (e as { code?: string }).code;
    throw new AddressError(`${flag}: cannot resolve host name '${host}'${code ? ` (${code})` : ""}`);
  } finally {
    clearTimeout(timer);
  }
  const pick = answers.find((a) => isIPv4(a.address)) ?? answers[0];
  if (!pick) throw new AddressError(`${flag}: host name '${host}' has no address`);
  return pick.address;
}

/** HOST:PORT -> IP:PORT ([IPv6]:PORT), resolved as resolveHost does. */
export async function resolveAddress(flag: string, s: string, opts: { lookup?: Lookup; timeoutMs?: number } = {}): Promise<string> {
  const { host, port } = splitAddress(flag, s);
  const ip = await resolveHost(flag, host, opts);
  return isIPv4(ip) ? `${ip}:${port}` : `[${ip}]:${port}`;
}

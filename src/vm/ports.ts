// Names and host ports for new VMs: `<prefix>-<NNNN>` names (the assignment's
// auto_scaler_domain_prefix / auto_scaler_vm_num_digits) and free loopback UDP
// ports from vm.port_base upwards, skipping ports in use on the host (bind
// test) and ports other owned domains already forward.
import { createSocket } from "node:dgram";

export function formatName(prefix: string, digits: number, n: number): string {
  return `${prefix}-${String(n).padStart(digits, "0")}`;
}

/** Matches `<prefix>-<digits>` names; the number is group 1. */
export function namePattern(prefix: string, digits: number): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}-(\\d{${digits}})$`);
}

/** The next name after the highest `<prefix>-<digits>` in use (numbers are not reused while a higher one exists). */
export function nextName(prefix: string, digits: number, taken: Iterable<string>): string {
  const re = namePattern(prefix, digits);
  let max = 0;
  const names = new Set<string>();
  for (const t of taken) {
    names.add(t);
    const m = re.exec(t);
    if (m) max = Math.max(max, Number(m[1]));
  }
  const limit = 10 ** digits - 1;
  for (let n = max + 1; n <= limit; n++) {
    const name = formatName(prefix, digits, n);
    if (!names.has(name)) return name;
  }
  // Wrapped: take the lowest free number.
  for (let n = 1; n <= limit; n++) {
    const name = formatName(prefix, digits, n);
    if (!names.has(name)) return name;
  }
  throw new Error(`no free VM name: all ${limit} names ${formatName(prefix, digits, 1)}..${formatName(prefix, digits, limit)} are taken`);
}

/** Whether a UDP port can be bound on `host` right now. */
export function udpPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket("udp4");
    s.once("error", () => {
      s.close();
      resolve(false);
    });
    s.bind(port, host, () => s.close(() => resolve(true)));
  });
}

/** A UDP port the kernel hands out on `host` right now (bound to 0, then released): for tests and benchmarks. */
export async function ephemeralUdpPort(host = "127.0.0.1"): Promise<number> {
  const s = createSocket("udp4");
  await new Promise<void>((r) => s.bind(0, host, () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The lowest port >= base that no owned domain uses and that binds on the host. */
export async function allocatePort(
  base: number,
  used: ReadonlySet<number>,
  opts: { host?: string; max?: number; isFree?: (port: number) => Promise<boolean> } = {},
): Promise<number> {
  const max = opts.max ?? 65535;
  const isFree = opts.isFree ?? ((p: number) => udpPortFree(p, opts.host));
  for (let p = base; p <= max; p++) {
    if (used.has(p)) continue;
    if (await isFree(p)) return p;
  }
  throw new Error(`no free UDP port in ${base}..${max} (vm.port_base)`);
}

// Names and host ports for new VMs: `<prefix>-<NNNN>` names (the assignment's
// auto_scaler_domain_prefix / auto_scaler_vm_num_digits) and free loopback UDP
// ports from vm.port_base upwards, skipping ports in use on the host (bind
// test) and ports other owned domains already forward.
//
// A port is free by the bind test only until QEMU binds it, a define and a
// boot later; two processes (two groups on one host) allocating at once would
// both pick it (seen: both took 41101, one launch failed "Could not set up
// host forwarding rule"). So the pick runs under a host-wide claims file
// (flock, in the run directory): a port claimed by a live process in the last
// CLAIM_TTL_MS is skipped, by then its domain is defined (its metadata names
// the port) or running (the bind test fails). Within a process a port is
// never handed out twice.
import { createSocket } from "node:dgram";
import { join } from "node:path";
import { LockFile, runDir } from "./lock-file.ts";
import { bootId, processRuns } from "./owner.ts";

/** The dash between prefix and number, unless the prefix ends with one (the assignment's "cs695-ubuntu18.04-" names its VMs PREFIX + NNNN). */
const dash = (prefix: string) => (prefix.endsWith("-") ? "" : "-");

export function formatName(prefix: string, digits: number, n: number): string {
  return `${prefix}${dash(prefix)}${String(n).padStart(digits, "0")}`;
}

/** Matches `<prefix>-<digits>` names; the number is group 1. */
export function namePattern(prefix: string, digits: number): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${dash(prefix)}(\\d{${digits}})$`);
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

/** How long another process's claim keeps a port from others: a define + start takes seconds, a slow TCG boot with libvirtd's capability probe under a minute. */
export const CLAIM_TTL_MS = 10 * 60_000;

/** Ports this process has handed out: never again, so two VMs of this process cannot get the same forward. */
const handedOut = new Set<number>();

/** Claims shared by the processes of a host: pick() runs while no other process picks, with the ports they claimed. */
export interface PortClaims {
  claim(pick: (taken: ReadonlySet<number>) => Promise<number>): Promise<number>;
}

interface ClaimEntry {
  port: number;
  pid: number;
  boot: string;
  at: number;
}

/** The host's claims file (RUN_DIR/ports.claims, a JSON list of {port, pid, boot, at}), held with flock while a port is picked. */
export class HostPortClaims implements PortClaims {
  constructor(
    readonly path = join(runDir(), "ports.claims"),
    readonly ttlMs = CLAIM_TTL_MS,
  ) {}

  async claim(pick: (taken: ReadonlySet<number>) => Promise<number>): Promise<number> {
    const file = new LockFile(this.path);
    try {
      // Another process holds it for a few bind tests at most.
      await file.lock(10_000);
      const now = Date.now();
      const boot = bootId();
      const live = parseClaims(file.read()).filter((e) => e.boot === boot && now - e.at < this.ttlMs && processRuns(e.pid));
      const port = await pick(new Set(live.map((e) => e.port)));
      live.push({ port, pid: process.pid, boot, at: now });
      file.write(JSON.stringify(live) + "\n");
      return port;
    } finally {
      file.release();
    }
  }
}

function parseClaims(text: string): ClaimEntry[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((e): e is ClaimEntry => typeof e?.port === "number" && typeof e.pid === "number" && typeof e.at === "number") : [];
  } catch {
    return [];
  }
}

let hostClaims: HostPortClaims | undefined;

/**
 * The lowest port >= base that no owned domain uses, that no other process
 * claimed lately, that this process never handed out, and that binds on the
 * host. `claims` defaults to the host's claims file, except with an injected
 * `isFree` (the caller simulates the host: then nothing is shared).
 */
export async function allocatePort(
  base: number,
  used: ReadonlySet<number>,
  opts: { host?: string; max?: number; isFree?: (port: number) => Promise<boolean>; claims?: PortClaims | null } = {},
): Promise<number> {
  const max = opts.max ?? 65535;
  const isFree = opts.isFree ?? ((p: number) => udpPortFree(p, opts.host));
  const claims = opts.claims !== undefined ? opts.claims : opts.isFree ? null : (hostClaims ??= new HostPortClaims());
  const pick = async (taken: ReadonlySet<number>): Promise<number> => {
    for (let p = base; p <= max; p++) {
      if (used.has(p) || taken.has(p) || handedOut.has(p)) continue;
      // Taken before the await: a concurrent pick in this process must not test the same port.
      handedOut.add(p);
      if (await isFree(p)) return p;
      handedOut.delete(p);
    }
    throw new Error(`no free UDP port in ${base}..${max} (vm.port_base)`);
  };
  return claims ? claims.claim(pick) : pick(new Set());
}

// The tests' handle on scripts/testbed.sh: simulated libvirt hosts on this
// machine (a network namespace + a private mount namespace each, own libvirtd
// on TCP, a routed libvirt network with DHCP). A test file brings the hosts it
// needs up in beforeAll and always down in afterAll; nothing of it outlives the file.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Connection } from "../../ffi/index.ts";

const SCRIPT = join(import.meta.dir, "../../scripts/testbed.sh");

export interface TestbedHost {
  /** 1-based, as the script numbers them. */
  index: number;
  uri: string;
  /** The libvirt network the host's guests are on, and its /24 (guests get leases in it). */
  network: string;
  guestPrefix: string;
}

export const host = (k: number): TestbedHost => ({ index: k, uri: `qemu+tcp://10.231.${k}.2/system`, network: "vsnet", guestPrefix: `10.231.${100 + k}.` });

function run(args: string[], timeoutMs: number): string {
  const r = spawnSync(SCRIPT, args, { encoding: "utf8", timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`scripts/testbed.sh ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Why the testbed cannot run here (not root, no dnsmasq, no namespaces tools, no local libvirt), or null. */
export function testbedUnavailable(): string | null {
  if (process.getuid?.() !== 0) return "needs root (network namespaces, its own libvirtd)";
  for (const bin of ["/usr/sbin/dnsmasq", "/usr/bin/nsenter", "/usr/bin/unshare", "/usr/sbin/libvirtd"])
    if (!existsSync(bin)) return `${bin} is missing (scripts/setup.sh installs it)`;
  try {
    Connection.open("qemu:///system").close();
  } catch (e) {
    return `qemu:///system does not answer: ${(e as Error).message}`;
  }
  return null;
}

/** Hosts 1..n up (idempotent). */
export function testbedUp(n: number): TestbedHost[] {
  run(["up", String(n)], 180_000);
  return Array.from({ length: n }, (_, i) => host(i + 1));
}

/** Every testbed host down: its domains, daemons, namespaces, routes and directories. */
export function testbedDown(): void {
  run(["down"], 180_000);
}

/** The host's DHCP leases (virsh net-dhcp-leases): IPv4 address by MAC. */
export function leases(h: TestbedHost): Map<string, string> {
  const r = spawnSync("virsh", ["-q", "-c", h.uri, "net-dhcp-leases", h.network], { encoding: "utf8", timeout: 20_000 });
  const out = new Map<string, string>();
  for (const line of (r.stdout ?? "").split("\n")) {
    const m = /\s(\S{17})\s+ipv4\s+(\d+\.\d+\.\d+\.\d+)\//.exec(line);
    if (m) out.set(m[1]!.toLowerCase(), m[2]!);
  }
  return out;
}

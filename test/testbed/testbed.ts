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

/**
 * Hosts first..last up (idempotent). Each test file takes hosts of its own
 * (network.qemu: 1, hosts.qemu: 2-3, ...), so files run side by side never
 * take down each other's hosts.
 */
export function testbedUp(first: number, last = first): TestbedHost[] {
  run(["up", `${first}-${last}`], 180_000);
  return Array.from({ length: last - first + 1 }, (_, i) => host(first + i));
}

/** These testbed hosts down: their domains, daemons, namespaces, routes and directories. */
export function testbedDown(hosts: readonly TestbedHost[]): void {
  if (hosts.length) run(["down", ...hosts.map((h) => String(h.index))], 180_000);
}

/** Host K's libvirtd alone is killed (-9) and started again; its VMs run on. */
export function testbedRestartLibvirtd(h: TestbedHost): void {
  run(["restart-libvirtd", String(h.index)], 60_000);
}

/** After a crash: host K's daemons start again over its old directories (its domains are still defined, shut off). */
export function testbedRevive(h: TestbedHost): void {
  run(["revive", String(h.index)], 120_000);
}

/** Host K's network drops every packet from here (blackhole routes): connections hang, nothing is refused. */
export function testbedPartition(h: TestbedHost): void {
  run(["partition", String(h.index)], 30_000);
}

/** Host K's partition ends. */
export function testbedHeal(h: TestbedHost): void {
  run(["heal", String(h.index)], 30_000);
}

/** Host K crashes: every process in its namespace killed at once (libvirtd, virtlogd, QEMU, dnsmasq). */
export function testbedCrash(h: TestbedHost): void {
  run(["crash", String(h.index)], 60_000);
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

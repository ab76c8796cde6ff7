// A VM entering the balancer, and the address it is reached at. Part of the
// actuator: every way in (a launch from any tier, an adopted VM) ends here, so
// that a VM joins only once it answers the protocol (VmManager.waitServing, or
// a probe of the config's address for a predefined domain without our
// metadata), after server_up_time, at the address it answered on; and a
// serving VM whose DHCP lease changed is moved to its new address.
import { waitServing as probeAddress } from "../vm/ready.ts";
import { usableAddress } from "../vm/address.ts";
import { serviceCheckOf } from "../protocol/service.ts";
import type { Address, Member } from "./member.ts";
import { untilAborted, type MemberTable } from "./member-table.ts";

/** Wait until the VM answers the protocol, then put it in the balancer (unless `signal` fired meanwhile). */
export async function join(t: MemberTable, m: Member, signal?: AbortSignal): Promise<void> {
  const t0 = t.now();
  const timeoutMs = t.o.config.scaler.ready_timeout_s * 1000;
  const known = usableAddress(m.address) ?? (await addressNow(t, m.name));
  // On a libvirt network, a guest without its lease yet has no address: waitServing waits for it.
  if (known || t.o.config.vm.network === "network") {
    if (known) m.address = known;
    await t.untilStopped(untilAborted(t.o.vms.waitServing(m.name, timeoutMs, { signal }), signal));
    // The address it answered on (a network guest's lease, read after it served): what the balancer sends to.
    const served = usableAddress(m.address) && !onNetwork(m.address!) ? m.address : await addressNow(t, m.name);
    if (served) m.address = served;
    if (!usableAddress(m.address)) throw new Error(`${m.name}: it answered, but libvirt reports no address for it any more (lease, ARP, agent)`);
  } else {
    // Not ours (a predefined domain without virtscale metadata): probe the address the config gives it.
    const addr = configAddress(t, m.name);
    if (!addr) throw new Error(`${m.name}: no service address (no virtscale metadata and no address in the config)`);
    m.address = addr;
    const probe = t.o.probe ?? ((a, ms) => probeAddress(a, { scale: t.o.config.vm.work_scale, check: serviceCheckOf(t.o.config), timeoutMs: ms }));
    await t.untilStopped(untilAborted(probe(addr, timeoutMs), signal));
  }
  if (signal?.aborted) throw signal.reason;
  // server_up_time (the assignment's grace, unset by default): not in the balancer before this long after its start, however early it answers.
  const graceMs = (t.o.config.server_up_time ?? 0) * 1000 - (t.now() - t0);
  if (graceMs > 0) {
    await t.untilStopped(untilAborted(new Promise<void>((r) => setTimeout(r, graceMs)), signal));
    if (signal?.aborted) throw signal.reason;
  }
  const addr = m.address!;
  t.o.balancer.addBackend(m.name, addr);
  m.inBalancer = true;
  t.setRole(m, "serving", `answers on ${addr.host}:${addr.port} after ${((t.now() - t0) / 1000).toFixed(1)} s; joined the balancer`);
}

/** The VM's address as libvirt reports it now (off the caller's thread where the VM layer can), or null (no lease yet). */
async function addressNow(t: MemberTable, name: string): Promise<Address | null> {
  const vms = t.o.vms;
  return usableAddress(vms.addressOfAsync ? await vms.addressOfAsync(name) : vms.addressOf(name));
}

/** Not a loopback forward: a guest's address on a libvirt network, which can change with its lease. */
function onNetwork(a: Address): boolean {
  return !a.host.startsWith("127.") && a.host !== "::1";
}

/** Predefined domains without virtscale metadata: the config's loopback forward PORT_BASE + N. */
function configAddress(t: MemberTable, name: string): Address | null {
  const m = new RegExp(`-(\\d{${t.digits}})$`).exec(name);
  if (m && t.o.config.vm.network === "user") return { host: "127.0.0.1", port: t.o.config.vm.port_base + Number(m[1]) };
  return null;
}

/**
 * A serving member's guest got another address (a new DHCP lease): the
 * balancer sends to the new one from now on. The old backend drains first
 * (what is in flight to the old address is answered or times out), then
 * the member enters again at the new address. Returns whether it moved.
 */
export async function readdress(t: MemberTable, name: string, to: Address): Promise<boolean> {
  const m = t.all.get(name);
  const next = usableAddress(to);
  if (!m || !next || m.busy || !m.address || (m.address.host === next.host && m.address.port === next.port)) return false;
  const from = m.address;
  m.address = next;
  const detail = `address changed: ${from.host}:${from.port} -> ${next.host}:${next.port} (libvirt's lease)`;
  t.o.store.emit({ type: "vm", ts: t.now(), name, from: m.role, to: m.role, detail });
  if (m.inBalancer) {
    m.inBalancer = false;
    await t.o.balancer.removeBackend(name);
    // Still serving, and not moved again meanwhile: back in at the new address.
    if (t.all.get(name) === m && m.role === "serving" && m.address === next && m.outSince === undefined) {
      t.o.balancer.addBackend(name, next);
      m.inBalancer = true;
    }
  }
  t.o.changed?.();
  return true;
}

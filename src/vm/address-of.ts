// Where a VM's service answers, read from libvirt: a loopback forward's
// 127.0.0.1 and host port (from the metadata), or a guest's IPv4 address on
// its libvirt network (lease, ARP, agent) with the service port. The mode a
// VM was made in (its XML) wins over today's config. Quick reads on the
// caller's connection, and addressOfAsync on the worker for the pollers.
import { DomainInterfaceAddressesSource, ErrorNumber, type Domain } from "../../ffi/index.ts";
import { guestAddress } from "./address.ts";
import { isGone, isLibvirt, type VmContext } from "./context.ts";
import { METADATA_NS, parseMetadataXml, type VmMetadata } from "./metadata.ts";
import { metadataOf } from "./ownership.ts";
import { parseDomainXml } from "./xml.ts";

/**
 * Where a guest's address on a libvirt network comes from, in this order:
 * the network's DHCP lease (libvirt's own dnsmasq: NAT and routed networks),
 * the host's ARP table (a bridged network whose DHCP server libvirt does not
 * run), the guest agent (where the guest runs one; ours answer "not configured" at once).
 */
export const ADDRESS_SOURCES = [DomainInterfaceAddressesSource.LEASE, DomainInterfaceAddressesSource.ARP, DomainInterfaceAddressesSource.AGENT];

/** The address of a VM of ours, from its metadata and its mode; null before a network guest has one. */
export function addressFor(ctx: VmContext, d: Domain, meta: VmMetadata): { host: string; port: number } | null {
  if (ctx.config.vm.network === "user" || userForward(ctx, d)) return { host: "127.0.0.1", port: meta.port };
  return guestAddressOf(d, meta.port);
}

/** A running guest's IPv4 address on its libvirt network (lease, then ARP, then agent), with `port`; null before it has one. */
function guestAddressOf(d: Domain, port: number): { host: string; port: number } | null {
  if (!d.isActive()) return null;
  for (const source of ADDRESS_SOURCES) {
    try {
      const found = guestAddress(d.interfaceAddresses(source), port);
      if (found) return found;
    } catch (e) {
      if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) throw e;
      /* this source is not available here (no agent, no ARP entry yet), or the domain just stopped: try the next */
    }
  }
  return null;
}

/** Whether the domain's XML has our loopback forward (the mode it was made in wins over today's config). */
function userForward(ctx: VmContext, d: Domain): boolean {
  const known = ctx.known.get(d.name());
  if (known) return known.address.host.startsWith("127.");
  try {
    return parseDomainXml(d.xmlDesc()).network?.mode === "user";
  } catch {
    return false;
  }
}

/**
 * The service address of a VM, or null when unknown (no DHCP lease yet; not
 * ours and not on a network). Network mode: a domain without our metadata
 * (a predefined one) is reached at its guest address on config server_port.
 */
export function addressOf(ctx: VmContext, name: string): { host: string; port: number } | null {
  try {
    return ctx.with(name, (d) => {
      const meta = metadataOf(d);
      if (meta) return addressFor(ctx, d, meta);
      return ctx.config.vm.network === "network" ? guestAddressOf(d, ctx.config.server_port) : null;
    });
  } catch (e) {
    if (isGone(e)) return null;
    throw e;
  }
}

/**
 * addressOf read on the worker connection (one listing of the host's
 * domains): what the scaler and waitServing poll a guest's lease with, so a
 * slow or distant libvirt host never stalls the balancer's thread.
 */
export async function addressOfAsync(ctx: VmContext, name: string): Promise<{ host: string; port: number } | null> {
  const network = ctx.config.vm.network === "network";
  const known = ctx.known.get(name);
  // A loopback forward needs no libvirt call: its port is in the metadata, which the VM keeps.
  if (known && known.address.host.startsWith("127.")) return known.address;
  const rows = await (await ctx.slow()).listDomains({ metadataUri: METADATA_NS, xml: network && !known, addresses: network ? ADDRESS_SOURCES : undefined });
  const r = rows.find((x) => x.name === name);
  if (!r || !r.active) return null;
  const meta = parseMetadataXml(r.metadata ?? null);
  if (!meta) return network ? guestAddress(r.addresses, ctx.config.server_port) : null;
  const user = !network || (known ? false : r.xml !== undefined && parseDomainXml(r.xml).network?.mode === "user");
  if (user) return { host: "127.0.0.1", port: meta.port };
  const found = guestAddress(r.addresses, meta.port);
  if (found && known) known.address = found;
  return found;
}

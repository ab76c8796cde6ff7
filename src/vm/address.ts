// A VM's service address: where the balancer, the readiness probe and the
// load generator send to. A loopback forward's is 127.0.0.1 with its host
// port; a guest on a libvirt network's is the IPv4 address libvirt reports
// for it (virDomainInterfaceAddresses) with the guest server's port.
import type { InterfaceAddresses } from "../../ffi/index.ts";

export interface Address {
  host: string;
  port: number;
}

/** An address that can be sent to: a known host and a real port (not "0.0.0.0" port 0, what a guest without its lease yet reads as); else null. */
export function usableAddress(a: Address | null | undefined): Address | null {
  return a && Number.isInteger(a.port) && a.port > 0 && a.port <= 65535 && a.host !== "" && a.host !== "0.0.0.0" && a.host !== "::" ? a : null;
}

/** The first IPv4 address of a guest's interfaces (virDomainInterfaceAddresses), with `port`; null when there is none. */
export function guestAddress(ifaces: readonly InterfaceAddresses[] | undefined, port: number): Address | null {
  for (const iface of ifaces ?? []) {
    const v4 = iface.addrs.find((a) => a.type === "ipv4" && a.addr);
    if (v4) return { host: v4.addr, port };
  }
  return null;
}

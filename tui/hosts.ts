// A group over several libvirt hosts, as the dashboard says it: each host by
// its short name (the URI's server, else the URI), its VMs of the group, its
// cap, and whether it is lost. Pure: the status row and the one-line status
// both draw from it.
import type { HostView } from "../src/events.ts";

/** qemu+tcp://10.231.1.2/system -> 10.231.1.2; qemu:///system -> local. */
export function hostShort(uri: string): string {
  const m = /^[a-z+]+:\/\/([^/]*)\//i.exec(uri);
  if (!m) return uri;
  return m[1] ? m[1].replace(/^[^@]*@/, "") : "local";
}

export interface HostPart {
  text: string;
  lost: boolean;
}

export function hostParts(hosts: readonly HostView[]): HostPart[] {
  return hosts.map((h) => ({
    text: `${hostShort(h.uri)} ${h.state === "up" ? `${h.vms}${h.cap !== null ? `/${h.cap}` : ""}` : h.state}`,
    lost: h.state !== "up",
  }));
}

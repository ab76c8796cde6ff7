// Domain XML for a server VM, built and read with fast-xml-parser from one
// template (never string concatenation). Two network modes:
//  - "user": QEMU user networking with a UDP forward 127.0.0.1:hostPort ->
//    guest:guestPort, through <qemu:commandline> (libvirt 9.0 has no
//    <portForward>); the balloon is off so the NIC gets its PCI slot, ACPI on
//    so the guest finds the NIC.
//  - "network": <interface type='network'> on a libvirt network; the guest's
//    address then comes from virDomainInterfaceAddresses.
import { randomBytes } from "node:crypto";
import { findMetadata, metadataNode, xmlBuilder, xmlParser, type VmMetadata } from "./metadata.ts";

export const QEMU_NS = "http://libvirt.org/schemas/domain/qemu/1.0";

export type NetworkSpec =
  | { mode: "user"; hostPort: number; guestPort: number; hostAddress?: string }
  | { mode: "network"; network: string };

export interface DomainSpec {
  name: string;
  uuid: string;
  mac: string;
  /** libvirt domain type: "qemu" (TCG) or "kvm" ("test" on libvirt's test driver). */
  type: "qemu" | "kvm" | "test";
  memoryMiB: number;
  vcpus: number;
  kernel: string;
  initrd: string;
  cmdline: string;
  network: NetworkSpec;
  metadata: VmMetadata;
  /** Serial console log file (virtlogd writes it); the readiness check quotes it on failure. */
  serialLog?: string;
  /**
   * CPU weight of the whole VM (libvirt <cputune><shares>: the cgroup's
   * cpu.shares / cpu.weight; libvirt's default is 1024). The warm pool's
   * refill VMs are defined low (src/scaler/capacity.ts REFILL_SHARES) so their
   * boot and save only take CPU the serving VMs leave; unset: no <cputune>.
   */
  cpuShares?: number;
}

/** A locally administered MAC in QEMU's 52:54:00 range. */
export function randomMac(): string {
  return ["52", "54", "00", ...[...randomBytes(3)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

export function buildDomainXml(s: DomainSpec): string {
  const devices: Record<string, unknown> = {
    serial: [
      {
        "@_type": "pty",
        ...(s.serialLog ? { log: { "@_file": s.serialLog, "@_append": "off" } } : {}),
        target: { "@_port": "0" },
      },
    ],
    console: [{ "@_type": "pty", target: { "@_type": "serial", "@_port": "0" } }],
    // Nothing the guest does not use: no USB controller (libvirt adds one otherwise), no balloon.
    controller: [{ "@_type": "usb", "@_model": "none" }],
    memballoon: { "@_model": "none" },
  };
  if (s.network.mode === "network") {
    devices.interface = [
      {
        "@_type": "network",
        mac: { "@_address": s.mac },
        source: { "@_network": s.network.network },
        model: { "@_type": "virtio" },
        rom: { "@_enabled": "no" },
      },
    ];
  }
  const domain: Record<string, unknown> = {
    "@_type": s.type,
    ...(s.network.mode === "user" ? { "@_xmlns:qemu": QEMU_NS } : {}),
    name: s.name,
    uuid: s.uuid,
    metadata: metadataNode(s.metadata),
    memory: { "@_unit": "MiB", "#text": String(s.memoryMiB) },
    vcpu: String(s.vcpus),
    ...(s.cpuShares !== undefined ? { cputune: { shares: String(s.cpuShares) } } : {}),
    os: {
      type: { "@_arch": "x86_64", "@_machine": "pc", "#text": "hvm" },
      kernel: s.kernel,
      initrd: s.initrd,
      cmdline: s.cmdline,
    },
    features: { acpi: "", apic: "" },
    // TCG: the emulated "max" CPU (SSE4.2, POPCNT... which the baseline Bun runtime needs; qemu64 lacks them).
    cpu: s.type === "kvm" ? { "@_mode": "host-passthrough" } : { "@_mode": "maximum", "@_check": "none" },
    clock: { "@_offset": "utc" },
    on_poweroff: "destroy",
    on_reboot: "restart",
    on_crash: "destroy",
    devices,
  };
  if (s.network.mode === "user") {
    domain["qemu:commandline"] = { "qemu:arg": userNetArgs(s.network, s.mac).map((v) => ({ "@_value": v })) };
  }
  return xmlBuilder.build({ domain });
}

/**
 * The QEMU arguments of the user-mode NIC with its UDP forward
 * hostAddress:hostPort -> guest:guestPort (<qemu:arg value=...> each). Our
 * own VMs put it at slot 9 of pci.0; a clone of a template (src/vm/template.ts)
 * passes a slot its template leaves free, and pcie.0 on a q35 machine.
 */
export function userNetArgs(net: { hostPort: number; guestPort: number; hostAddress?: string }, mac: string, at: { bus?: string; slot?: number } = {}): string[] {
  const host = net.hostAddress ?? "127.0.0.1";
  const slot = `0x${(at.slot ?? 9).toString(16)}`;
  return [
    "-netdev",
    `user,id=n0,hostfwd=udp:${host}:${net.hostPort}-:${net.guestPort}`,
    "-device",
    // romfile= : no iPXE option ROM (the kernel is loaded directly; the ROM only costs boot time).
    `virtio-net-pci,netdev=n0,bus=${at.bus ?? "pci.0"},addr=${slot},mac=${mac},romfile=`,
  ];
}

/**
 * libvirt's own XML of a domain (a managed-save image's, say) with its
 * <cputune><shares> set to `shares`; null when it has none to set. Only that
 * value's text changes: the rest must stay byte for byte as libvirt wrote it
 * (a parse and rebuild would reformat it, and the image's XML is checked
 * against the saved machine), so this is a targeted edit, not a rebuild.
 */
export function withCpuShares(xml: string, shares: number): string | null {
  if (!Number.isInteger(shares) || shares < 2) throw new RangeError(`cpu shares must be an integer >= 2, got ${shares}`);
  const re = /(<cputune>(?:(?!<\/cputune>)[\s\S])*?<shares>)\d+(<\/shares>)/;
  return re.test(xml) ? xml.replace(re, `$1${shares}$2`) : null;
}

/** What virtscale reads back from a domain's XML (its own template, or libvirt's xmlDesc of it). */
export interface ParsedDomain {
  name: string;
  uuid: string;
  type: string;
  memoryMiB: number;
  vcpus: number;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  mac?: string;
  network?: NetworkSpec;
  metadata: VmMetadata | null;
  /** <cputune><shares>, when the XML sets it. */
  cpuShares?: number;
}

const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object") return text((v as Record<string, unknown>)["#text"]);
  return String(v);
};

const TO_MIB: Record<string, number> = { b: 1 / 1048576, bytes: 1 / 1048576, k: 1 / 1024, kib: 1 / 1024, kb: 1000 / 1048576, m: 1, mib: 1, mb: 1e6 / 1048576, g: 1024, gib: 1024, gb: 1e9 / 1048576 };

export function parseDomainXml(xml: string): ParsedDomain {
  const doc = xmlParser.parse(xml) as Record<string, any>;
  const d = doc.domain;
  if (!d || typeof d !== "object") throw new Error("not a domain XML: no <domain> root element");
  const mem = d.memory;
  const unit = String((typeof mem === "object" && mem?.["@_unit"]) || "KiB").toLowerCase();
  const memoryMiB = Math.round(Number(text(mem) ?? 0) * (TO_MIB[unit] ?? 1 / 1024));
  const out: ParsedDomain = {
    name: text(d.name) ?? "",
    uuid: text(d.uuid) ?? "",
    type: String(d["@_type"] ?? ""),
    memoryMiB,
    vcpus: Number(text(d.vcpu) ?? 0),
    kernel: text(d.os?.kernel),
    initrd: text(d.os?.initrd),
    cmdline: text(d.os?.cmdline),
    metadata: findMetadata(d.metadata),
  };
  const shares = text(d.cputune?.shares);
  if (shares !== undefined && Number.isFinite(Number(shares))) out.cpuShares = Number(shares);
  const args: string[] = (d["qemu:commandline"]?.["qemu:arg"] ?? []).map((a: Record<string, unknown>) => String(a["@_value"] ?? ""));
  for (const a of args) {
    const fwd = /hostfwd=udp:([^:]*):(\d+)-[^:]*:(\d+)/.exec(a);
    if (fwd) out.network = { mode: "user", hostAddress: fwd[1] || "127.0.0.1", hostPort: Number(fwd[2]), guestPort: Number(fwd[3]) };
    const mac = /(?:^|,)mac=([0-9a-fA-F:]{17})/.exec(a);
    if (mac) out.mac = mac[1]!.toLowerCase();
  }
  const iface = (d.devices?.interface ?? []).find((i: Record<string, unknown>) => i["@_type"] === "network");
  if (iface) {
    out.network = { mode: "network", network: String(iface.source?.["@_network"] ?? "") };
    out.mac = String(iface.mac?.["@_address"] ?? "").toLowerCase() || undefined;
  }
  return out;
}

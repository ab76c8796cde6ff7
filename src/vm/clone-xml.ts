// The domain XML of a linked clone, made from its template's own XML (libvirt's
// inactive definition of it). Everything of the template is kept (its <os>:
// kernel / initrd / cmdline or disk boot, memory, vCPUs, CPU model, devices,
// other metadata) except what makes a domain itself: name, UUID, generation
// id, the SMBIOS UUID, NVRAM file, MACs, serial log files, fixed graphics
// ports and agent socket paths, and virtscale's own marks. Its writable disks
// point at the clone's qcow2 overlays. The network as the group runs it:
//  - "user": the template's NICs are replaced by the group's user-mode NIC with
//    its loopback UDP forward (xml.ts userNetArgs, as our own VMs have it), on
//    a PCI slot the template leaves free;
//  - "network": the template's NICs are kept (each with a new MAC); a
//    template without one gets an <interface type='network'> on the group's network.
// Parsed and rebuilt in document order (fast-xml-parser preserveOrder), so that
// nothing of a definition this code does not know about is lost or reordered.
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { METADATA_ELEMENT, METADATA_NS, METADATA_PREFIX, OP_MARK_NS, OWNER_MARK_NS, type VmMetadata } from "./metadata.ts";
import { QEMU_NS, randomMac, userNetArgs, type NetworkSpec } from "./xml.ts";

/** One element in preserveOrder form: { tag: children, ":@": { "@_attr": value } }; text is { "#text": string }. */
type XNode = Record<string, unknown>;

const OPTS = { preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, parseAttributeValue: false, commentPropName: "#comment" } as const;
const parser = new XMLParser(OPTS);
// suppressBooleanAttributes off: an attribute whose value is "true" keeps it (the builder would write it bare, not XML).
const builder = new XMLBuilder({ ...OPTS, format: true, suppressEmptyNode: true, suppressBooleanAttributes: false });

const tagOf = (n: XNode): string => Object.keys(n).find((k) => k !== ":@") ?? "";
const kids = (n: XNode): XNode[] => (Array.isArray(n[tagOf(n)]) ? (n[tagOf(n)] as XNode[]) : []);
const attrs = (n: XNode): Record<string, string> => ((n[":@"] ??= {}) as Record<string, string>);
const attr = (n: XNode, a: string): string | undefined => (n[":@"] as Record<string, string> | undefined)?.[`@_${a}`];
const setAttr = (n: XNode, a: string, v: string): void => void (attrs(n)[`@_${a}`] = v);
const delAttr = (n: XNode, a: string): void => void delete attrs(n)[`@_${a}`];
const all = (n: XNode, tag: string): XNode[] => kids(n).filter((c) => tagOf(c) === tag);
const first = (n: XNode, tag: string): XNode | undefined => kids(n).find((c) => tagOf(c) === tag);
const drop = (n: XNode, pred: (c: XNode) => boolean): void => {
  const list = kids(n);
  for (let i = list.length - 1; i >= 0; i--) if (pred(list[i]!)) list.splice(i, 1);
};
function el(tag: string, a: Record<string, string> = {}, children: XNode[] = []): XNode {
  const n: XNode = { [tag]: children };
  if (Object.keys(a).length) n[":@"] = Object.fromEntries(Object.entries(a).map(([k, v]) => [`@_${k}`, v]));
  return n;
}
/** The child `tag` of n, appended when missing. */
function ensure(n: XNode, tag: string): XNode {
  const have = first(n, tag);
  if (have) return have;
  const made = el(tag);
  kids(n).push(made);
  return made;
}
function setText(n: XNode, tag: string, value: string): void {
  const c = ensure(n, tag);
  c[tag] = [{ "#text": value }];
}

/** The template's <domain> element, parsed. */
function parseDomain(xml: string): { doc: XNode[]; domain: XNode } {
  const doc = parser.parse(xml) as XNode[];
  const domain = doc.find((n) => tagOf(n) === "domain");
  if (!domain) throw new Error("not a domain XML: no <domain> root element");
  if (!Array.isArray(domain.domain)) domain.domain = [];
  return { doc, domain };
}

/** A writable disk of the template as its XML gives it (template.ts decides how to clone it). */
export interface TemplateDiskXml {
  /** Target device (vda, sda): names the clone's overlay. */
  target: string;
  /** libvirt's disk type: file, volume, block, network, ... */
  type: string;
  /** type file: the image; type volume: pool and volume name. */
  file?: string;
  pool?: string;
  volume?: string;
  /** <driver type=>: raw, qcow2, ... (libvirt's default: raw). */
  format: string;
}

/** The template's disks: the writable ones (a clone needs its own overlay of each) and how many it shares read-only (CD-ROMs, readonly or shareable disks). */
export function templateDisks(xml: string): { writable: TemplateDiskXml[]; shared: number } {
  const { domain } = parseDomain(xml);
  const devices = first(domain, "devices");
  const writable: TemplateDiskXml[] = [];
  let shared = 0;
  for (const disk of devices ? all(devices, "disk") : []) {
    const device = attr(disk, "device") ?? "disk";
    if (device === "cdrom" || device === "floppy" || first(disk, "readonly") || first(disk, "shareable")) {
      shared++;
      continue;
    }
    const source = first(disk, "source");
    const target = attr(first(disk, "target") ?? {}, "dev") ?? "";
    writable.push({
      target,
      type: attr(disk, "type") ?? "file",
      file: source ? attr(source, "file") : undefined,
      pool: source ? attr(source, "pool") : undefined,
      volume: source ? attr(source, "volume") : undefined,
      format: attr(first(disk, "driver") ?? {}, "type") ?? "raw",
    });
  }
  return { writable, shared };
}

export interface CloneSpec {
  name: string;
  uuid: string;
  /** The first NIC's MAC (further NICs of a network-mode clone get random ones). */
  mac: string;
  metadata: VmMetadata;
  network: NetworkSpec;
  /** Target device -> the clone's overlay file, for every writable disk of the template. */
  overlays: ReadonlyMap<string, string>;
  /** The first serial port's log file (readiness quotes it on failure). */
  serialLog?: string;
  /** <cputune><shares> (a warm-pool refill is made at low weight). */
  cpuShares?: number;
  /** Boot this kernel instead of the template's (the API's /create kernel_path); the template must boot a kernel directly. */
  kernel?: string;
}

/** The lowest PCI slot on bus 0 from 9 up (then 3 up) that no device of the domain has: where the user-mode NIC goes. */
function freeSlot(devices: XNode): number {
  const used = new Set<number>();
  const visit = (n: XNode) => {
    if (tagOf(n) === "address" && attr(n, "type") === "pci" && Number(attr(n, "bus") ?? "0") === 0 && Number(attr(n, "domain") ?? "0") === 0) used.add(Number(attr(n, "slot")));
    for (const c of kids(n)) visit(c);
  };
  visit(devices);
  for (const s of [...Array.from({ length: 23 }, (_, i) => 9 + i), 3, 4, 5, 6, 7, 8]) if (!used.has(s)) return s;
  throw new Error("no free PCI slot on bus 0 for the user-mode NIC (the template uses all of them)");
}

/** The prefix the domain binds to libvirt's QEMU namespace, declared (as "qemu") when it has none. */
function qemuPrefix(domain: XNode): string {
  for (const [k, v] of Object.entries(attrs(domain))) if (k.startsWith("@_xmlns:") && v === QEMU_NS) return k.slice("@_xmlns:".length);
  setAttr(domain, "xmlns:qemu", QEMU_NS);
  return "qemu";
}

const OUR_NAMESPACES = new Set([METADATA_NS, OP_MARK_NS, OWNER_MARK_NS]);

export function cloneDomainXml(templateXml: string, o: CloneSpec): string {
  const { doc, domain } = parseDomain(templateXml);
  setText(domain, "name", o.name);
  setText(domain, "uuid", o.uuid);
  // An empty <genid/> has libvirt generate a new VM generation id (guests use it to notice they are a copy).
  const genid = first(domain, "genid");
  if (genid) genid.genid = [];
  const title = first(domain, "title");
  if (title) drop(domain, (c) => c === title);

  // Metadata: the template's own elements are kept, virtscale's marks of it dropped, the clone's ownership added.
  const metadata = ensure(domain, "metadata");
  drop(metadata, (c) => {
    const a = (c[":@"] ?? {}) as Record<string, string>;
    return Object.entries(a).some(([k, v]) => k.startsWith("@_xmlns") && OUR_NAMESPACES.has(v));
  });
  const m = o.metadata;
  kids(metadata).push(el(METADATA_ELEMENT, { [`xmlns:${METADATA_PREFIX}`]: METADATA_NS, group: m.group, role: m.role, port: String(m.port), template: m.template }));

  const os = ensure(domain, "os");
  if (o.kernel !== undefined) {
    if (!first(os, "kernel")) throw new Error("the template boots from its disk (no <os><kernel>): a kernel of its own cannot be given to its clones");
    setText(os, "kernel", o.kernel);
  }
  // libvirt makes the clone its own UEFI variable store from the loader's template; sharing the template's would let clones write it.
  drop(os, (c) => tagOf(c) === "nvram");
  // An SMBIOS UUID must equal the domain's (libvirt refuses a mismatch): the clone's is its new one.
  for (const sys of all(first(domain, "sysinfo") ?? el("sysinfo"), "system")) drop(sys, (c) => tagOf(c) === "entry" && attr(c, "name") === "uuid");

  if (o.cpuShares !== undefined) setText(ensure(domain, "cputune"), "shares", String(o.cpuShares));

  const devices = ensure(domain, "devices");
  for (const disk of all(devices, "disk")) {
    const target = attr(first(disk, "target") ?? {}, "dev") ?? "";
    const overlay = o.overlays.get(target);
    if (overlay === undefined) continue;
    setAttr(disk, "type", "file");
    // libvirt reads the overlay's backing chain from the file itself; the template's <backingStore> does not describe it.
    drop(disk, (c) => tagOf(c) === "source" || tagOf(c) === "backingStore");
    const driver = ensure(disk, "driver");
    setAttr(driver, "name", attr(driver, "name") ?? "qemu");
    setAttr(driver, "type", "qcow2");
    kids(disk).splice(kids(disk).indexOf(driver) + 1, 0, el("source", { file: overlay }));
  }
  for (const missing of o.overlays.keys()) {
    if (!all(devices, "disk").some((d) => attr(first(d, "target") ?? {}, "dev") === missing)) throw new Error(`the template has no disk with target '${missing}'`);
  }

  // Serial logs: the template's file would be shared by every clone; the clone's own one on its first serial port.
  for (const tag of ["serial", "console"]) for (const s of all(devices, tag)) drop(s, (c) => tagOf(c) === "log");
  const serial = first(devices, "serial");
  if (serial && o.serialLog) kids(serial).unshift(el("log", { file: o.serialLog, append: "off" }));
  // A fixed display port or agent socket path would be taken twice.
  for (const g of all(devices, "graphics")) {
    if (attr(g, "port") !== undefined && attr(g, "port") !== "-1") {
      delAttr(g, "port");
      delAttr(g, "websocket");
      setAttr(g, "autoport", "yes");
    }
  }
  for (const ch of all(devices, "channel")) {
    const src = attr(ch, "type") === "unix" ? first(ch, "source") : undefined;
    if (src && attr(src, "mode") === "bind") delAttr(src, "path");
  }

  if (o.network.mode === "user") {
    drop(devices, (c) => tagOf(c) === "interface");
    const machine = attr(first(os, "type") ?? {}, "machine") ?? "";
    const bus = /q35/.test(machine) ? "pcie.0" : "pci.0";
    const args = userNetArgs(o.network, o.mac, { bus, slot: freeSlot(devices) });
    const q = qemuPrefix(domain);
    const cmdline = ensure(domain, `${q}:commandline`);
    for (const v of args) kids(cmdline).push(el(`${q}:arg`, { value: v }));
  } else {
    const nics = all(devices, "interface");
    nics.forEach((nic, i) => {
      const mac = ensure(nic, "mac");
      mac.mac = [];
      setAttr(mac, "address", i === 0 ? o.mac : randomMac());
      // vnetN and the alias are the running template's, chosen by libvirt at start.
      drop(nic, (c) => tagOf(c) === "target" || tagOf(c) === "alias");
    });
    if (nics.length === 0) {
      kids(devices).push(el("interface", { type: "network" }, [el("mac", { address: o.mac }), el("source", { network: o.network.network }), el("model", { type: "virtio" })]));
    }
  }
  return builder.build(doc) as string;
}

/** Whether a file name is the overlay of `clone`'s disk (overlayName): what removing a clone may delete. */
export function isOverlayOf(clone: string, file: string): boolean {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return base.startsWith(`${clone}-`) && /^[a-z0-9]+\.qcow2$/.test(base.slice(clone.length + 1));
}

/** The file name of `clone`'s overlay of its template's disk `target`. */
export function overlayName(clone: string, target: string): string {
  return `${clone}-${target}.qcow2`;
}

/** The overlay files in a clone's XML: its file disks named as overlayName names them. */
export function overlaysInXml(xml: string, clone: string): string[] {
  const { domain } = parseDomain(xml);
  const devices = first(domain, "devices");
  const out: string[] = [];
  for (const disk of devices ? all(devices, "disk") : []) {
    const file = attr(first(disk, "source") ?? {}, "file");
    if (file && isOverlayOf(clone, file)) out.push(file);
  }
  return out;
}

// virtscale's ownership mark in a domain's XML: one element in our own
// namespace inside <metadata>, <virtscale:vm group= role= port= template= />.
// Set at define time (in the domain XML), read back with virDomainGetMetadata
// (or from the whole XML). What carries it is virtscale's; nothing else is.
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import type { OperationKind, OperationSource } from "../store.ts";

export interface VmMetadata {
  /** The group the VM belongs to (the domain prefix of the run that made it). */
  group: string;
  /** serving | warm | ... : the role it was created for. */
  role: string;
  /** Service port on the host (user networking) or in the guest (network mode). */
  port: number;
  /** The image id (content hash) it boots. */
  template: string;
}

/** virtscale's metadata namespace in domain XML (contract). */
export const METADATA_NS = "https://virtscale.dev/xmlns/vm/1";
export const METADATA_PREFIX = "virtscale";

export const METADATA_ELEMENT = `${METADATA_PREFIX}:vm`;

const ARRAY_PATHS = new Set([
  "domain.devices.interface",
  "domain.devices.serial",
  "domain.devices.console",
  "domain.qemu:commandline.qemu:arg",
  "capabilities.guest",
  "capabilities.guest.arch.domain",
]);

export const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  // Elements that may repeat, by path, so one occurrence still reads as a list.
  isArray: (_name, jpath) => ARRAY_PATHS.has(String(jpath)),
});
// suppressBooleanAttributes off: by default the builder writes an attribute whose value is "true" bare (`role`), which is not XML libvirt takes.
export const xmlBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true, suppressBooleanAttributes: false });

/** The metadata element as an object for the builder (goes under <metadata>). */
export function metadataNode(m: VmMetadata): Record<string, unknown> {
  return {
    [METADATA_ELEMENT]: {
      [`@_xmlns:${METADATA_PREFIX}`]: METADATA_NS,
      "@_group": m.group,
      "@_role": m.role,
      "@_port": String(m.port),
      "@_template": m.template,
    },
  };
}

/** The element alone, as XML text (for virDomainSetMetadata). */
export function metadataXml(m: VmMetadata): string {
  return xmlBuilder.build(metadataNode(m)).trim();
}

/** Our element among the children of a parsed <metadata> (any prefix, matched by namespace URI). */
export function findMetadata(metadata: unknown): VmMetadata | null {
  if (!metadata || typeof metadata !== "object") return null;
  for (const [key, val] of Object.entries(metadata as Record<string, unknown>)) {
    if (key.startsWith("@_") || !val || typeof val !== "object") continue;
    const node = (Array.isArray(val) ? val[0] : val) as Record<string, unknown>;
    const prefix = key.includes(":") ? key.split(":")[0] : undefined;
    const ns = prefix ? node[`@_xmlns:${prefix}`] : node["@_xmlns"];
    if (ns === METADATA_NS) return fromAttrs(node);
  }
  return null;
}

function fromAttrs(node: Record<string, unknown>): VmMetadata | null {
  const port = Number(node["@_port"]);
  if (typeof node["@_group"] !== "string") return null;
  return {
    group: node["@_group"],
    role: String(node["@_role"] ?? ""),
    port: Number.isInteger(port) ? port : 0,
    template: String(node["@_template"] ?? ""),
  };
}

/**
 * Parse what virDomainGetMetadata(ELEMENT, our namespace) returns: the element
 * itself, which libvirt hands back without its prefix or namespace declaration
 * (the namespace was the lookup key), e.g. <vm group="..." .../>.
 */
export function parseMetadataXml(xml: string | null): VmMetadata | null {
  if (!xml) return null;
  const doc = xmlParser.parse(xml) as Record<string, unknown>;
  const withNs = findMetadata(doc);
  if (withNs) return withNs;
  for (const [key, val] of Object.entries(doc)) {
    if ((key === "vm" || key.endsWith(":vm")) && val && typeof val === "object") return fromAttrs(val as Record<string, unknown>);
  }
  return null;
}

// ---- the operation mark ----
// A second element, in a namespace of its own (libvirt keeps one element per
// namespace, so it never touches the ownership element above):
//   <virtscaleop:op state="running" kind="snapshot" mode="resume" by="cli" pid= host= since= />
// while an operation runs (src/vm/operations.ts writes and clears it), or
//   <virtscaleop:op state="halted" kind="snapshot" by= since= path= />
// when a snapshot left the VM stopped on purpose, until it is restored.

/** The operation mark's namespace in domain XML (contract: another virtscale process reads it). */
export const OP_MARK_NS = "https://virtscale.dev/xmlns/op/1";
export const OP_MARK_PREFIX = "virtscaleop";

export interface OperationMark {
  /** running: the operation is under way; halted: a snapshot with halt left the VM stopped (restore it from `path`). */
  state: "running" | "halted";
  kind: OperationKind;
  by: OperationSource;
  mode?: "resume" | "halt";
  /** The process that runs (or ran) it, and its host (a pid means nothing on another host). */
  pid: number;
  host: string;
  /** ms since the epoch, that process's clock. */
  since: number;
  /** halted: the save file. */
  path?: string;
}

const KINDS: readonly OperationKind[] = ["snapshot", "restore", "pause", "shutdown", "create", "delete"];
const SOURCES: readonly OperationSource[] = ["dashboard", "api", "cli", "scaler"];

/** The mark as the XML virDomainSetMetadata takes (libvirt adds the prefix and the namespace). */
export function operationMarkXml(m: OperationMark): string {
  const attrs: Record<string, string> = { "@_state": m.state, "@_kind": m.kind, "@_by": m.by, "@_pid": String(m.pid), "@_host": m.host, "@_since": String(m.since) };
  if (m.mode) attrs["@_mode"] = m.mode;
  if (m.path !== undefined) attrs["@_path"] = m.path;
  return xmlBuilder.build({ op: attrs }).trim();
}

/**
 * The attributes of a mark element `tag` as virDomainGetMetadata returns it
 * (without its prefix, or with any); null for no XML, XML that does not
 * parse, or another element.
 */
function markAttrs(xml: string | null, tag: string): Record<string, unknown> | null {
  if (!xml) return null;
  let doc: Record<string, unknown>;
  try {
    doc = xmlParser.parse(xml) as Record<string, unknown>;
  } catch {
    return null;
  }
  const key = Object.keys(doc).find((k) => k === tag || k.endsWith(`:${tag}`));
  const node = key ? doc[key] : null;
  return node && typeof node === "object" ? (node as Record<string, unknown>) : null;
}

/** What virDomainGetMetadata(ELEMENT, OP_MARK_NS) returned; null when absent or not a mark this version understands. */
export function parseOperationMark(xml: string | null): OperationMark | null {
  const node = markAttrs(xml, "op");
  if (!node) return null;
  const state = node["@_state"];
  const kind = node["@_kind"] as OperationKind;
  const by = node["@_by"] as OperationSource;
  const pid = Number(node["@_pid"]);
  const since = Number(node["@_since"]);
  if ((state !== "running" && state !== "halted") || !KINDS.includes(kind) || !SOURCES.includes(by) || !Number.isInteger(pid) || !Number.isFinite(since)) return null;
  const mode = node["@_mode"];
  const path = node["@_path"];
  return {
    state,
    kind,
    by,
    pid,
    host: String(node["@_host"] ?? ""),
    since,
    ...(mode === "resume" || mode === "halt" ? { mode } : {}),
    ...(typeof path === "string" ? { path } : {}),
  };
}

// ---- the owner mark ----
// A third element, in a namespace of its own (one element per namespace):
//   <virtscaleowner:owner host= pid= pstart= boot= since= />
// names the process that owns the VM's group right now (src/scaler/lease.ts
// writes it on every VM the group creates, resumes or adopts). A lock file
// tells processes on one host apart; this mark is what an instance on another
// host (qemu+ssh://) sees of the owner.

/** The owner mark's namespace in domain XML (contract: another virtscale, possibly on another host, reads it). */
export const OWNER_MARK_NS = "https://virtscale.dev/xmlns/owner/1";
export const OWNER_MARK_PREFIX = "virtscaleowner";

export interface OwnerMark {
  /** The owner's host name and process. */
  host: string;
  pid: number;
  /** The owner process's start time in clock ticks after boot (/proc/PID/stat field 22): a reused pid has another. */
  pstart?: number;
  /** /proc/sys/kernel/random/boot_id of the owner's host: a mark from before a reboot names nobody. */
  boot: string;
  /** When that process took the group (ms since the epoch, its clock). */
  since: number;
}

/** The mark as virDomainSetMetadata takes it (libvirt adds the prefix and the namespace). */
export function ownerMarkXml(m: OwnerMark): string {
  const attrs: Record<string, string> = { "@_host": m.host, "@_pid": String(m.pid), "@_boot": m.boot, "@_since": String(m.since) };
  if (m.pstart !== undefined) attrs["@_pstart"] = String(m.pstart);
  return xmlBuilder.build({ owner: attrs }).trim();
}

/** What virDomainGetMetadata(ELEMENT, OWNER_MARK_NS) returned; null when absent or not a mark this version understands. */
export function parseOwnerMark(xml: string | null): OwnerMark | null {
  const node = markAttrs(xml, "owner");
  if (!node) return null;
  const pid = Number(node["@_pid"]);
  const since = Number(node["@_since"]);
  const host = node["@_host"];
  if (typeof host !== "string" || !host || !Number.isInteger(pid) || pid <= 0 || !Number.isFinite(since)) return null;
  const pstart = Number(node["@_pstart"]);
  return { host, pid, boot: String(node["@_boot"] ?? ""), since, ...(Number.isInteger(pstart) && node["@_pstart"] !== undefined ? { pstart } : {}) };
}

// virtscale's ownership mark in a domain's XML: one element in our own
// namespace inside <metadata>, <virtscale:vm group= role= port= template= />.
// Set at define time (in the domain XML), read back with virDomainGetMetadata
// (or from the whole XML). What carries it is virtscale's; nothing else is.
import { XMLBuilder, XMLParser } from "fast-xml-parser";

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
export const xmlBuilder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true });

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

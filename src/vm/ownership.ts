// A domain's ownership element (<virtscale:vm>, src/vm/metadata.ts) read and
// written through libvirt (virDomainGetMetadata / virDomainSetMetadata): what
// listing and adoption read, and the role a pool VM or a restored one changes.
import { DomainMetadataType, DomainModificationImpact, ErrorNumber, type Domain } from "../../ffi/index.ts";
import { isLibvirt, type VmContext } from "./context.ts";
import { METADATA_NS, METADATA_PREFIX, parseMetadataXml, xmlBuilder, type VmMetadata } from "./metadata.ts";

/** The domain's virtscale metadata; null when it has none (not ours) or the domain just vanished. */
export function metadataOf(d: Domain): VmMetadata | null {
  try {
    return parseMetadataXml(d.getMetadata(DomainMetadataType.ELEMENT, METADATA_NS));
  } catch (e) {
    if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) return null;
    throw e;
  }
}

/** metadataOf for a domain that must be ours: throws naming it when it is not. */
export function ownedMetadataOf(d: Domain, name: string): VmMetadata {
  const meta = metadataOf(d);
  if (!meta) throw new Error(`domain '${name}' is not managed by virtscale (no ${METADATA_NS} metadata)`);
  return meta;
}

/**
 * Change the role in a VM's ownership metadata (live and persistent
 * definition; a managed save keeps the live one): a paused pool VM says
 * "hot", so a restarted virtscale adopts it into the hot pool; a restored
 * VM that joins the group says "serving"; one left alone says "api".
 */
export function setRole(ctx: VmContext, name: string, role: string): void {
  ctx.with(name, (d) => {
    const meta = ownedMetadataOf(d, name);
    if (meta.role === role) return;
    let flags = 0;
    if (d.isActive()) flags |= DomainModificationImpact.LIVE;
    if (d.isPersistent()) flags |= DomainModificationImpact.CONFIG;
    // Without prefix or namespace declaration: libvirt adds both from the key and the URI.
    const el = { vm: { "@_group": meta.group, "@_role": role, "@_port": String(meta.port), "@_template": meta.template } };
    d.setMetadata(DomainMetadataType.ELEMENT, xmlBuilder.build(el).trim(), METADATA_PREFIX, METADATA_NS, flags);
  });
  const known = ctx.known.get(name);
  if (known) known.role = role;
}

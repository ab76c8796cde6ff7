// The VMs virtscale owns as libvirt reports them: every domain with our
// metadata (any group: adoption after a restart reads this), one by name,
// and the scaler's periodic listing on the worker connection. Each read
// also refreshes what the manager knows of the VM (context.known).
import { ErrorNumber, domainStateName, type Domain, type DomainListing } from "../../ffi/index.ts";
import { guestAddress } from "./address.ts";
import { ADDRESS_SOURCES, addressFor } from "./address-of.ts";
import { isLibvirt, type ManagedVm, type VmContext } from "./context.ts";
import { METADATA_NS, parseMetadataXml, type VmMetadata } from "./metadata.ts";
import { metadataOf, ownedMetadataOf } from "./ownership.ts";
import { parseDomainXml } from "./xml.ts";

function describe(ctx: VmContext, d: Domain, meta: VmMetadata): ManagedVm {
  const name = d.name();
  const { state } = d.state();
  let stateName = domainStateName(state);
  if (stateName === "shutoff") {
    try {
      if (d.hasManagedSaveImage()) stateName = "saved";
    } catch {
      /* not supported by this driver */
    }
  }
  const vm: ManagedVm = {
    name,
    uuid: d.uuidString(),
    group: meta.group,
    role: meta.role,
    port: meta.port,
    address: addressFor(ctx, d, meta) ?? { host: "0.0.0.0", port: 0 },
    state: stateName,
    template: meta.template,
  };
  ctx.known.set(name, vm);
  return vm;
}

/** Every domain that carries virtscale's metadata (any group), for adoption after a restart. */
export function listOwned(ctx: VmContext): ManagedVm[] {
  return ctx.quick((c) => {
    const out: ManagedVm[] = [];
    for (const d of c.listAllDomains()) {
      try {
        const meta = metadataOf(d);
        if (meta) out.push(describe(ctx, d, meta));
      } catch (e) {
        // A domain that vanished between listing and reading is simply not there any more.
        if (!isLibvirt(e, ErrorNumber.NO_DOMAIN)) throw e;
      } finally {
        d.free();
      }
    }
    return out;
  });
}

/**
 * listOwned read on the worker connection (one listDomains call there): what
 * the scaler lists with every few seconds, so the balancer's thread never
 * waits for libvirt, and a libvirt that is gone fails this promise only.
 */
export async function listOwnedAsync(ctx: VmContext): Promise<ManagedVm[]> {
  const network = ctx.config.vm.network !== "user";
  const rows = await (await ctx.slow()).listDomains({
    metadataUri: METADATA_NS,
    requireMetadata: true,
    managedSave: true,
    // Network mode: the XML says whether the VM was made with a loopback forward anyway; the guest's address otherwise.
    xml: network,
    addresses: network ? ADDRESS_SOURCES : undefined,
  });
  const out: ManagedVm[] = [];
  for (const r of rows) {
    const meta = parseMetadataXml(r.metadata ?? null);
    if (meta) out.push(describeListing(ctx, r, meta));
  }
  return out;
}

/** describe for a row of the worker's listing. */
function describeListing(ctx: VmContext, r: DomainListing, meta: VmMetadata): ManagedVm {
  let state = domainStateName(r.state);
  if (state === "shutoff" && r.managedSave) state = "saved";
  const known = ctx.known.get(r.name);
  const user =
    ctx.config.vm.network === "user" || (known ? known.address.host.startsWith("127.") : r.xml !== undefined && parseDomainXml(r.xml).network?.mode === "user");
  const address = user ? { host: "127.0.0.1", port: meta.port } : (guestAddress(r.addresses, meta.port) ?? { host: "0.0.0.0", port: 0 });
  const vm: ManagedVm = { name: r.name, uuid: r.uuid, group: meta.group, role: meta.role, port: meta.port, address, state, template: meta.template };
  ctx.known.set(r.name, vm);
  return vm;
}

/** One owned VM by name (throws when it does not exist or is not virtscale's). */
export function getOwned(ctx: VmContext, name: string): ManagedVm {
  return ctx.with(name, (d) => describe(ctx, d, ownedMetadataOf(d, name)));
}

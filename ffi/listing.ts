// Every domain with what a caller needs to know of it, read in one pass on
// one thread (AsyncConnection's worker runs it, so listing a host's domains
// never blocks the caller's event loop): name, UUID, state, and on request
// one namespace's metadata, the managed-save flag, the XML and the guest's
// addresses. A domain that vanishes between listing and reading is left out.
import type { Connection } from "./connection.ts";
import type { Domain, InterfaceAddresses } from "./domain.ts";
import { LibvirtError } from "./errors.ts";
import { DomainMetadataType, ErrorNumber } from "./generated/enums.ts";

export interface ListDomainsOptions {
  /** ConnectListAllDomainsFlags (default 0: all). */
  flags?: number;
  /** Read the metadata element of this namespace URI. */
  metadataUri?: string;
  /** With metadataUri: leave out domains without it (and skip their other reads). */
  requireMetadata?: boolean;
  /** For shut-off domains: whether a managed-save image exists. */
  managedSave?: boolean;
  /** The domain XML (virDomainGetXMLDesc, flags 0). */
  xml?: boolean;
  /** For active domains: the interfaces from the first of these DomainInterfaceAddressesSource values that answers. */
  addresses?: number[];
}

export interface DomainListing {
  name: string;
  uuid: string;
  /** virDomainState and its reason. */
  state: number;
  reason: number;
  active: boolean;
  persistent: boolean;
  metadata?: string | null;
  managedSave?: boolean;
  xml?: string;
  addresses?: InterfaceAddresses[];
}

const gone = (e: unknown) => e instanceof LibvirtError && e.code === ErrorNumber.NO_DOMAIN;

export function listDomains(conn: Connection, o: ListDomainsOptions = {}): DomainListing[] {
  const out: DomainListing[] = [];
  for (const d of conn.listAllDomains(o.flags ?? 0)) {
    try {
      const row = describe(d, o);
      if (row) out.push(row);
    } catch (e) {
      if (!gone(e)) throw e;
    } finally {
      d.free();
    }
  }
  return out;
}

function describe(d: Domain, o: ListDomainsOptions): DomainListing | null {
  let metadata: string | null | undefined;
  if (o.metadataUri !== undefined) {
    metadata = d.getMetadata(DomainMetadataType.ELEMENT, o.metadataUri);
    if (metadata === null && o.requireMetadata) return null;
  }
  const { state, reason } = d.state();
  const active = d.isActive();
  const row: DomainListing = { name: d.name(), uuid: d.uuidString(), state, reason, active, persistent: d.isPersistent() };
  if (metadata !== undefined) row.metadata = metadata;
  if (o.managedSave && !active) {
    try {
      row.managedSave = d.hasManagedSaveImage();
    } catch (e) {
      if (gone(e)) throw e;
      row.managedSave = false; // not supported by this driver
    }
  }
  if (o.xml) row.xml = d.xmlDesc();
  if (o.addresses?.length && active) {
    for (const source of o.addresses) {
      try {
        row.addresses = d.interfaceAddresses(source);
        if (row.addresses.some((i) => i.addrs.length)) break;
      } catch (e) {
        if (gone(e)) throw e;
        /* this source is not available here: try the next */
      }
    }
  }
  return row;
}

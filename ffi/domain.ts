// virDomainPtr wrapper. A Domain holds its Connection (JS reference) and libvirt
// holds a reference on the C connection for as long as the domain is not freed,
// so a child never outlives its parent's C object.
import { C, runtime, check, checkPtr, cstr, cstrOrNull, takeString, borrowString, lastError, cfree, takePointerArray, type Ptr } from "./lib.ts";
import { NamedHandle } from "./handle.ts";
import { ErrorNumber } from "./generated/enums.ts";
import { LibvirtError } from "./errors.ts";
import { DomainSnapshot } from "./snapshot.ts";
import { formatUuid } from "./stats.ts";

export interface DomainInfo {
  state: number;
  maxMemKiB: number;
  memoryKiB: number;
  nrVirtCpu: number;
  cpuTimeNs: bigint;
}

export interface InterfaceAddresses {
  name: string;
  hwaddr: string | null;
  addrs: { type: "ipv4" | "ipv6"; addr: string; prefix: number }[];
}

export interface SaveOptions {
  /** Replacement domain XML stored in / used from the image. */
  dxml?: string;
  /** DomainSaveRestoreFlags. */
  flags?: number;
}

// Scratch out-parameters: calls are synchronous and each thread has its own module instance.
const info40 = new Uint8Array(40);
const infoView = new DataView(info40.buffer);
const info40Arg = runtime.pinned(info40) as Uint8Array; // hot path: no typed-array conversion per call
const stateBuf = new Int32Array(1);
const reasonBuf = new Int32Array(1);
const uuid37 = new Uint8Array(37);
const uuid16 = new Uint8Array(16);
const outPtr = new BigUint64Array(1);

const freeDomain = (p: Ptr) => {
  C.virDomainFree(p);
};

export class Domain extends NamedHandle {
  protected readonly kind = "Domain";

  /** Takes ownership of one reference to `p` (a virDomainPtr). */
  constructor(p: Ptr, readonly connection: object) {
    super(p, freeDomain);
  }

  name(): string {
    return (this.cachedName ??= borrowString(checkPtr(C.virDomainGetName(this.ptr), "virDomainGetName"))!);
  }

  uuidString(): string {
    check(C.virDomainGetUUIDString(this.ptr, uuid37), "virDomainGetUUIDString");
    return new TextDecoder().decode(uuid37.subarray(0, 36));
  }

  /** Raw 16-byte UUID formatted (cheaper than uuidString: no TextDecoder). */
  uuid(): string {
    check(C.virDomainGetUUID(this.ptr, uuid16), "virDomainGetUUID");
    return formatUuid(uuid16);
  }

  /**
   * Hypervisor id, -1 when the domain is not running. libvirt answers from the
   * handle (the id as of lookup, no round trip): look the domain up again after
   * starting it elsewhere to see the new id.
   */
  id(): number {
    const id = C.virDomainGetID(this.ptr);
    return id === 0xffffffff ? -1 : id;
  }

  info(): DomainInfo {
    if (C.virDomainGetInfo(this.ptr, info40Arg) < 0) throw lastError("virDomainGetInfo");
    // struct _virDomainInfo: state u8@0, maxMem ulong@8, memory ulong@16, nrVirtCpu u16@24, cpuTime u64@32
    return {
      state: info40[0]!,
      // two u32 halves: avoids a BigInt allocation per field
      maxMemKiB: infoView.getUint32(8, true) + infoView.getUint32(12, true) * 4294967296,
      memoryKiB: infoView.getUint32(16, true) + infoView.getUint32(20, true) * 4294967296,
      nrVirtCpu: infoView.getUint16(24, true),
      cpuTimeNs: infoView.getBigUint64(32, true),
    };
  }

  state(): { state: number; reason: number } {
    check(C.virDomainGetState(this.ptr, stateBuf, reasonBuf, 0), "virDomainGetState");
    return { state: stateBuf[0]!, reason: reasonBuf[0]! };
  }

  isActive(): boolean {
    return check(C.virDomainIsActive(this.ptr), "virDomainIsActive") === 1;
  }

  isPersistent(): boolean {
    return check(C.virDomainIsPersistent(this.ptr), "virDomainIsPersistent") === 1;
  }

  xmlDesc(flags = 0): string {
    return takeString(checkPtr(C.virDomainGetXMLDesc(this.ptr, flags), "virDomainGetXMLDesc"))!;
  }

  /** virDomainCreateWithFlags: start a defined domain (resumes from a managed save image if one exists). */
  create(flags = 0): void {
    check(C.virDomainCreateWithFlags(this.ptr, flags), "virDomainCreateWithFlags");
  }

  shutdown(): void {
    check(C.virDomainShutdown(this.ptr), "virDomainShutdown");
  }

  destroy(flags = 0): void {
    check(C.virDomainDestroyFlags(this.ptr, flags), "virDomainDestroyFlags");
  }

  suspend(): void {
    check(C.virDomainSuspend(this.ptr), "virDomainSuspend");
  }

  resume(): void {
    check(C.virDomainResume(this.ptr), "virDomainResume");
  }

  /** virDomainUndefineFlags; the JS object stays valid (free it as usual). */
  undefine(flags = 0): void {
    check(C.virDomainUndefineFlags(this.ptr, flags), "virDomainUndefineFlags");
  }

  /** Metadata of `type` (DomainMetadataType); for ELEMENT, `uri` names the namespace. null when absent. */
  getMetadata(type: number, uri?: string | null, flags = 0): string | null {
    const p = C.virDomainGetMetadata(this.ptr, type, cstrOrNull(uri), flags);
    if (runtime.isNull(p)) {
      const err = lastError("virDomainGetMetadata");
      if (err.code === ErrorNumber.NO_DOMAIN_METADATA) return null;
      throw err;
    }
    return takeString(p);
  }

  /** Sets (or with xml null, removes) metadata; ELEMENT needs `key` (namespace prefix) and `uri`. */
  setMetadata(type: number, xml: string | null, key?: string | null, uri?: string | null, flags = 0): void {
    check(
      C.virDomainSetMetadata(this.ptr, type, cstrOrNull(xml), cstrOrNull(key), cstrOrNull(uri), flags),
      "virDomainSetMetadata",
    );
  }

  /** virDomainInterfaceAddresses with a DomainInterfaceAddressesSource (lease, agent, arp). */
  interfaceAddresses(source: number, flags = 0): InterfaceAddresses[] {
    const n = check(C.virDomainInterfaceAddresses(this.ptr, outPtr, source, flags), "virDomainInterfaceAddresses");
    const arr = runtime.ptrFromAddr(outPtr[0]!);
    const out: InterfaceAddresses[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const iface = runtime.readPtr(arr, i * 8);
        // struct _virDomainInterface { char *name; char *hwaddr; unsigned int naddrs; virDomainIPAddressPtr addrs; }
        try {
          const dv = new DataView(runtime.arrayBuffer(iface, 32));
          const naddrs = dv.getUint32(16, true);
          const addrs = runtime.readPtr(iface, 24);
          const list: InterfaceAddresses["addrs"] = [];
          for (let j = 0; j < naddrs; j++) {
            // struct _virDomainIPAddress { int type; char *addr; unsigned int prefix; }  (24 bytes)
            const a = new DataView(runtime.arrayBuffer(addrs, 24, j * 24));
            list.push({
              type: a.getInt32(0, true) === 1 ? "ipv6" : "ipv4",
              addr: borrowString(runtime.ptrFromAddr(a.getBigUint64(8, true))) ?? "",
              prefix: a.getUint32(16, true),
            });
          }
          out.push({
            name: borrowString(runtime.readPtr(iface, 0)) ?? "",
            hwaddr: borrowString(runtime.readPtr(iface, 8)),
            addrs: list,
          });
        } finally {
          C.virDomainInterfaceFree(iface);
        }
      }
    } finally {
      cfree(arr);
    }
    return out;
  }

  /** virDomainSaveFlags: CPU + memory state to `path`; the domain stops (slow: prefer AsyncConnection). */
  save(path: string, opts: SaveOptions = {}): void {
    check(C.virDomainSaveFlags(this.ptr, cstr(path), cstrOrNull(opts.dxml), opts.flags ?? 0), "virDomainSaveFlags");
  }

  managedSave(flags = 0): void {
    check(C.virDomainManagedSave(this.ptr, flags), "virDomainManagedSave");
  }

  hasManagedSaveImage(): boolean {
    return check(C.virDomainHasManagedSaveImage(this.ptr, 0), "virDomainHasManagedSaveImage") === 1;
  }

  managedSaveRemove(): void {
    check(C.virDomainManagedSaveRemove(this.ptr, 0), "virDomainManagedSaveRemove");
  }

  snapshotCreateXML(xml: string, flags = 0): DomainSnapshot {
    const p = checkPtr(C.virDomainSnapshotCreateXML(this.ptr, cstr(xml), flags), "virDomainSnapshotCreateXML");
    return new DomainSnapshot(p, this);
  }

  listAllSnapshots(flags = 0): DomainSnapshot[] {
    const n = check(C.virDomainListAllSnapshots(this.ptr, outPtr, flags), "virDomainListAllSnapshots");
    return takePointerArray(runtime.ptrFromAddr(outPtr[0]!), n).map((p) => new DomainSnapshot(p, this));
  }

  snapshotLookupByName(name: string, flags = 0): DomainSnapshot {
    const p = checkPtr(C.virDomainSnapshotLookupByName(this.ptr, cstr(name), flags), "virDomainSnapshotLookupByName");
    return new DomainSnapshot(p, this);
  }

  hasCurrentSnapshot(): boolean {
    return check(C.virDomainHasCurrentSnapshot(this.ptr, 0), "virDomainHasCurrentSnapshot") === 1;
  }
}

export { LibvirtError };

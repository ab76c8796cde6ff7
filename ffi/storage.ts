// Storage pools and volumes (virStoragePoolPtr, virStorageVolPtr) as thin
// wrappers named after the C calls: what cloning a template's disk needs
// (find the pool a disk is in, create a qcow2 overlay volume there with the
// disk as its backing file, delete it again). Each object owns one reference,
// released once (free(), `using`, or the GC safety net), and, as a Domain,
// holds its Connection while it lives. They run on the caller's connection;
// AsyncConnection runs the volume create and delete on its worker.
import { C, check, checkPtr, cstr, takeString, borrowString, type Ptr } from "./lib.ts";
import { NamedHandle } from "./handle.ts";
import type { Connection } from "./connection.ts";

const freePool = (p: Ptr) => {
  C.virStoragePoolFree(p);
};
const freeVol = (p: Ptr) => {
  C.virStorageVolFree(p);
};

export class StoragePool extends NamedHandle {
  protected readonly kind = "StoragePool";

  /** Takes ownership of one reference to `p` (a virStoragePoolPtr). */
  constructor(p: Ptr, readonly connection: object) {
    super(p, freePool);
  }

  /** virStoragePoolGetName */
  name(): string {
    return (this.cachedName ??= borrowString(checkPtr(C.virStoragePoolGetName(this.ptr), "virStoragePoolGetName"))!);
  }

  /** virStoragePoolGetXMLDesc */
  xmlDesc(flags = 0): string {
    return takeString(checkPtr(C.virStoragePoolGetXMLDesc(this.ptr, flags), "virStoragePoolGetXMLDesc"))!;
  }

  /** virStoragePoolIsActive */
  isActive(): boolean {
    return check(C.virStoragePoolIsActive(this.ptr), "virStoragePoolIsActive") === 1;
  }
}

export interface StorageVolInfo {
  /** virStorageVolType (FILE, BLOCK, DIR, NETWORK, NETDIR, PLOOP). */
  type: number;
  /** Logical size in bytes (what the guest sees). */
  capacity: number;
  /** Bytes allocated on the host. */
  allocation: number;
}

// struct _virStorageVolInfo { int type; unsigned long long capacity; unsigned long long allocation; }: 24 bytes.
const volInfo24 = new Uint8Array(24);
const volInfoView = new DataView(volInfo24.buffer);

export class StorageVol extends NamedHandle {
  protected readonly kind = "StorageVol";

  /** Takes ownership of one reference to `p` (a virStorageVolPtr). */
  constructor(p: Ptr, readonly connection: object) {
    super(p, freeVol);
  }

  /** virStorageVolGetName */
  name(): string {
    return (this.cachedName ??= borrowString(checkPtr(C.virStorageVolGetName(this.ptr), "virStorageVolGetName"))!);
  }

  /** virStorageVolGetPath */
  path(): string {
    return takeString(checkPtr(C.virStorageVolGetPath(this.ptr), "virStorageVolGetPath"))!;
  }

  /** virStorageVolGetInfo */
  info(): StorageVolInfo {
    check(C.virStorageVolGetInfo(this.ptr, volInfo24), "virStorageVolGetInfo");
    return {
      type: volInfoView.getInt32(0, true),
      capacity: Number(volInfoView.getBigUint64(8, true)),
      allocation: Number(volInfoView.getBigUint64(16, true)),
    };
  }

  /** virStorageVolGetXMLDesc */
  xmlDesc(flags = 0): string {
    return takeString(checkPtr(C.virStorageVolGetXMLDesc(this.ptr, flags), "virStorageVolGetXMLDesc"))!;
  }
}

/** virStoragePoolLookupByName */
export function virStoragePoolLookupByName(conn: Connection, name: string): StoragePool {
  return new StoragePool(checkPtr(C.virStoragePoolLookupByName(conn.ptr, cstr(name)), "virStoragePoolLookupByName"), conn);
}

/** virStoragePoolLookupByTargetPath: the pool whose target (a dir pool's directory) is `path`. */
export function virStoragePoolLookupByTargetPath(conn: Connection, path: string): StoragePool {
  return new StoragePool(checkPtr(C.virStoragePoolLookupByTargetPath(conn.ptr, cstr(path)), "virStoragePoolLookupByTargetPath"), conn);
}

/** virStoragePoolLookupByVolume: the pool a volume is in. */
export function virStoragePoolLookupByVolume(vol: StorageVol): StoragePool {
  return new StoragePool(checkPtr(C.virStoragePoolLookupByVolume(vol.ptr), "virStoragePoolLookupByVolume"), vol.connection);
}

/** virStoragePoolRefresh: rescan the pool (files put into a dir pool's directory by hand become volumes). */
export function virStoragePoolRefresh(pool: StoragePool, flags = 0): void {
  check(C.virStoragePoolRefresh(pool.ptr, flags), "virStoragePoolRefresh");
}

/** virStoragePoolCreateXML: define and start a transient pool (gone once destroyed). */
export function virStoragePoolCreateXML(conn: Connection, xml: string, flags = 0): StoragePool {
  return new StoragePool(checkPtr(C.virStoragePoolCreateXML(conn.ptr, cstr(xml), flags), "virStoragePoolCreateXML"), conn);
}

/** virStoragePoolDestroy: stop a pool (a transient one is gone; its directory and files stay). */
export function virStoragePoolDestroy(pool: StoragePool): void {
  check(C.virStoragePoolDestroy(pool.ptr), "virStoragePoolDestroy");
}

/** virStorageVolCreateXML: a new volume in `pool` (a qcow2 overlay when the XML names a <backingStore>). */
export function virStorageVolCreateXML(pool: StoragePool, xml: string, flags = 0): StorageVol {
  return new StorageVol(checkPtr(C.virStorageVolCreateXML(pool.ptr, cstr(xml), flags), "virStorageVolCreateXML"), pool.connection);
}

/** virStorageVolDelete: remove the volume's storage (the file); the JS object still needs free(). */
export function virStorageVolDelete(vol: StorageVol, flags = 0): void {
  check(C.virStorageVolDelete(vol.ptr, flags), "virStorageVolDelete");
}

/** virStorageVolLookupByName: a volume of `pool` by its name (a disk given as <source pool= volume=>). */
export function virStorageVolLookupByName(pool: StoragePool, name: string): StorageVol {
  return new StorageVol(checkPtr(C.virStorageVolLookupByName(pool.ptr, cstr(name)), "virStorageVolLookupByName"), pool.connection);
}

/** virStorageVolLookupByPath: the volume of any pool whose path is `path` (NO_STORAGE_VOL when it is in none). */
export function virStorageVolLookupByPath(conn: Connection, path: string): StorageVol {
  return new StorageVol(checkPtr(C.virStorageVolLookupByPath(conn.ptr, cstr(path)), "virStorageVolLookupByPath"), conn);
}

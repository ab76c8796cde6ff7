// virDomainSnapshotPtr wrapper; holds its Domain (which holds the Connection).
import { C, check, checkPtr, takeString, borrowString, type Ptr } from "./lib.ts";
import { NamedHandle } from "./handle.ts";

const freeSnapshot = (p: Ptr) => {
  C.virDomainSnapshotFree(p);
};

export class DomainSnapshot extends NamedHandle {
  protected readonly kind = "DomainSnapshot";

  constructor(p: Ptr, readonly domain: object) {
    super(p, freeSnapshot);
  }

  name(): string {
    return (this.cachedName ??= borrowString(checkPtr(C.virDomainSnapshotGetName(this.ptr), "virDomainSnapshotGetName"))!);
  }

  xmlDesc(flags = 0): string {
    return takeString(checkPtr(C.virDomainSnapshotGetXMLDesc(this.ptr, flags), "virDomainSnapshotGetXMLDesc"))!;
  }

  revert(flags = 0): void {
    check(C.virDomainRevertToSnapshot(this.ptr, flags), "virDomainRevertToSnapshot");
  }

  /** Deletes the snapshot in libvirt; this JS object still needs free() (or `using`). */
  delete(flags = 0): void {
    check(C.virDomainSnapshotDelete(this.ptr, flags), "virDomainSnapshotDelete");
  }

  isCurrent(): boolean {
    return check(C.virDomainSnapshotIsCurrent(this.ptr, 0), "virDomainSnapshotIsCurrent") === 1;
  }
}

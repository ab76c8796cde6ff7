// virDomainSnapshotPtr wrapper; holds its Domain (which holds the Connection).
import { C, check, checkPtr, takeString, borrowString, type Ptr } from "./lib.ts";
import { Handle } from "./handle.ts";

const freeSnapshot = (p: Ptr) => {
  C.virDomainSnapshotFree(p);
};

export class DomainSnapshot extends Handle {
  protected readonly kind = "DomainSnapshot";
  #name: string | null = null;

  constructor(p: Ptr, readonly domain: object) {
    super(p, freeSnapshot);
  }

  protected override describe(): string {
    return this.#name ? `'${this.#name}'` : "object";
  }

  free(): void {
    this.releaseOnce();
  }

  name(): string {
    return (this.#name ??= borrowString(checkPtr(C.virDomainSnapshotGetName(this.ptr), "virDomainSnapshotGetName"))!);
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

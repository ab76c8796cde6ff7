// Ownership of one libvirt object reference: released exactly once, by
// free()/close(), `using`, or (only if the owner forgot) the GC safety net.
import type { Ptr } from "./lib.ts";
import { UseAfterFreeError } from "./errors.ts";

type Release = (p: Ptr) => void;

// The held value must not reference the JS object, or it would never be collected.
const registry = new FinalizationRegistry<{ p: Ptr; release: Release }>((h) => {
  try {
    h.release(h.p);
  } catch {
    // nothing to report to at GC time
  }
});

export abstract class Handle implements Disposable {
  #p: Ptr | null;
  readonly #release: Release;
  protected abstract readonly kind: string;

  protected constructor(p: Ptr, release: Release) {
    this.#p = p;
    this.#release = release;
    registry.register(this, { p, release }, this);
  }

  /** The C pointer; throws a JS error (never touches freed memory) after release. */
  get ptr(): Ptr {
    const p = this.#p;
    if (p === null) throw new UseAfterFreeError(this.kind, this.describe());
    return p;
  }

  get released(): boolean {
    return this.#p === null;
  }

  /** Name used in use-after-free messages. */
  protected describe(): string {
    return "object";
  }

  /** Releases the reference; a second call is a no-op. */
  protected releaseOnce(): void {
    const p = this.#p;
    if (p === null) return;
    this.#p = null;
    registry.unregister(this);
    this.#release(p);
  }

  [Symbol.dispose](): void {
    this.releaseOnce();
  }
}

/**
 * A handle to a named libvirt object (domain, snapshot): use-after-free
 * messages quote the name once it has been read, and `free()` releases it.
 */
export abstract class NamedHandle extends Handle {
  protected cachedName: string | null = null;

  protected override describe(): string {
    return this.cachedName ? `'${this.cachedName}'` : "object";
  }

  /** Releases this reference; a second call is a no-op. */
  free(): void {
    this.releaseOnce();
  }
}

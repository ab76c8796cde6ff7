// What the scaler needs from its neighbours, as narrow interfaces: the
// VmManager (src/vm/manager.ts) and the Balancer (src/lb/) satisfy them as they
// are; tests pass the same real classes, or a VmOps over test:///default with
// an injected serving check.
import type { BackendView } from "../events.ts";

export interface ManagedVmLike {
  name: string;
  uuid?: string;
  group?: string;
  role?: string;
  port?: number;
  address?: { host: string; port: number } | null;
  state?: string;
}

/** The VmManager calls the scaler uses: create, start, save, stop and destroy its VMs, and list the VMs it owns to adopt them. */
export interface VmOps {
  create(opts?: { name?: string; role?: string }): Promise<ManagedVmLike>;
  waitServing(name: string, timeoutMs?: number): Promise<number>;
  managedSave(name: string): Promise<void>;
  /** Start a defined domain (resumes its managed-save image when it has one). */
  start(name: string): Promise<void>;
  shutdown(name: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** destroy + undefine (+ managed save image). */
  destroy(name: string): Promise<void>;
  /** Every VM carrying our metadata, read off the caller's thread (VmManager: on its worker connection). */
  listOwnedAsync(): Promise<ManagedVmLike[]>;
  addressOf(name: string): { host: string; port: number } | null;
}

/** A backend as the balancer reports it, with the late answers the group counts as signs of life. */
export type BackendHealth = BackendView & {
  /** Answers that arrived after their request had timed out: a slow VM still answers, a broken one does not. */
  late: number;
};

/** The Balancer calls the scaler uses. */
export interface BalancerOps {
  addBackend(id: string, addr: { host: string; port: number }): void;
  /** Drains: resolves when in-flight requests are answered or timed out. */
  removeBackend(id: string): Promise<void>;
  backends(): BackendHealth[];
}

/** A domain lifecycle event (ffi's LifecycleEvent): type "stopped" | "crashed" | ..., detail "destroyed" | "failed" | ... */
export interface LifecycleEventLike {
  name: string;
  type: string;
  detailName: string;
  /** When libvirt called back (Date.now()). */
  at: number;
}

/** The event connection went down or came back (ffi's ConnectionEvent). */
export interface ConnectionEventLike {
  state: "lost" | "open";
  reason?: string;
}

/** libvirt's lifecycle events for one host (ffi DomainEvents). */
export interface LifecycleSource {
  onLifecycle(cb: (ev: LifecycleEventLike) => void): () => void;
  onConnection(cb: (ev: ConnectionEventLike) => void): () => void;
  close(): Promise<void>;
}

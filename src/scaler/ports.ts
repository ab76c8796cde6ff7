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

/** The VmManager calls the scaler uses (contract in /tmp/team/contracts.md). */
export interface VmOps {
  create(opts?: { name?: string; role?: string }): Promise<ManagedVmLike>;
  waitServing(name: string, timeoutMs?: number): Promise<number>;
  managedSave(name: string): Promise<void>;
  /** Start a defined domain (resumes its managed-save image when it has one). */
  start(name: string): Promise<void>;
  shutdown(name: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** destroy + undefine (+ managed save image). */
  destroy(name: string): Promise<void>;
  listOwned(): ManagedVmLike[] | Promise<ManagedVmLike[]>;
  addressOf(name: string): { host: string; port: number } | null;
}

/** The Balancer calls the scaler uses. */
export interface BalancerOps {
  addBackend(id: string, addr: { host: string; port: number }): void;
  /** Drains: resolves when in-flight requests are answered or timed out. */
  removeBackend(id: string): Promise<void>;
  backends(): BackendView[];
}

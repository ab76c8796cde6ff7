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
  /** A linked clone of a template domain (VmManager with scaler.template): the template, and its overlays and how each was made. */
  clone?: { template: string; overlays: readonly { path: string; via: string }[] };
  /** The libvirt host it is on (its URI), in a group over several hosts (src/scaler/hosts/). */
  host?: string;
}

/** The VmManager calls the scaler uses: create, start, save, stop and destroy its VMs, and list the VMs it owns to adopt them. */
export interface VmOps {
  /** cpuShares: the VM's cgroup CPU weight from its first start (domain XML <cputune><shares>; a warm-pool refill is defined low). */
  create(opts?: { name?: string; role?: string; cpuShares?: number }): Promise<ManagedVmLike>;
  /** Until the first correct protocol answer; `signal` ends the wait at once with its reason (the launch was cancelled). */
  waitServing(name: string, timeoutMs?: number, opts?: { signal?: AbortSignal }): Promise<number>;
  managedSave(name: string): Promise<void>;
  /** Start a defined domain (resumes its managed-save image when it has one). */
  start(name: string): Promise<void>;
  shutdown(name: string, opts?: { timeoutMs?: number }): Promise<void>;
  /** Pause / continue a running VM (virDomainSuspend / virDomainResume): the hot pool. Without them the hot tier is not used. */
  suspend?(name: string): Promise<void>;
  resume?(name: string): Promise<void>;
  /** One VM of ours by name, from its metadata (throws when it is not virtscale's). */
  get?(name: string): ManagedVmLike;
  /** Rewrite the role in the VM's ownership metadata (hot, serving, api): what a restarted virtscale adopts it as. */
  setRole?(name: string, role: string): void;
  /** destroy + undefine (+ managed save image). */
  destroy(name: string): Promise<void>;
  /** Every VM carrying our metadata, read off the caller's thread (VmManager: on its worker connection). */
  listOwnedAsync(): Promise<ManagedVmLike[]>;
  /** The VM's QEMU process on this host (qemu:///system's pid file), or null where there is none to watch. */
  pidOf?(name: string): number | null;
  addressOf(name: string): { host: string; port: number } | null;
  /** addressOf off the caller's thread (VmManager: a listing on its worker connection): a guest's lease on a libvirt network is polled with it. */
  addressOfAsync?(name: string): Promise<{ host: string; port: number } | null>;
  /** The running VM's cgroup CPU weight (libvirt's cpu_shares scheduler parameter); throws libvirt's error when this host has no cgroup CPU controller. Optional: without it refills wait for headroom. */
  cpuShares?(name: string): Promise<number>;
  /** Set a running VM's CPU weight (virDomainSetSchedulerParameters cpu_shares, live). */
  setCpuShares?(name: string, shares: number): Promise<void>;
  /** Set the CPU weight a managed-saved VM resumes with (its image's XML); false when the image has no weight to set. */
  setSavedCpuShares?(name: string, shares: number): Promise<boolean>;
}

/** A backend as the balancer reports it, with the late answers the group counts as signs of life. */
export type BackendHealth = BackendView & {
  /** Answers that arrived after their request had timed out: a slow VM still answers, a broken one does not. */
  late: number;
  /** Timed-out requests the backend still owes (queued in it): with inFlight, what it has to work off. */
  owed?: number;
};

/** The Balancer calls the scaler uses. */
export interface BalancerOps {
  addBackend(id: string, addr: { host: string; port: number }): void;
  /** Drains: resolves when in-flight requests are answered or timed out. */
  removeBackend(id: string): Promise<void>;
  backends(): BackendHealth[];
  /** "Demand with no backend": requests that find no backend are held (bounded) and `cb` is told at once (src/lb/held.ts). */
  onDemand?(cb: ((at: number) => void) | null): void;
  /** Requests held right now, waiting for a VM. */
  holding?(): number;
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

/** libvirt's lifecycle events for one host, and local processes' ends (ffi DomainEvents). */
export interface LifecycleSource {
  onLifecycle(cb: (ev: LifecycleEventLike) => void): () => void;
  onConnection(cb: (ev: ConnectionEventLike) => void): () => void;
  /** `exited` once when process `pid` ends (`already`: it had ended before); returns the unwatch. */
  watchProcess(pid: number, exited: (ev: { already: boolean }) => void, failed?: (why: string) => void): () => void;
  close(): Promise<void>;
}

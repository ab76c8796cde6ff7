// One libvirt host of a group spread over several (host-set.ts): its VM
// layer (a VmManager of its own: its own caller-thread connection and worker),
// its own stats worker and its own event connection, and its state as the
// group sees it. Nothing here waits on another host: each host's calls run on
// its own connections, and a host whose libvirt is lost only changes its state.
//
// State: "connecting" until its event connection first opens; "up" while it is
// open; "lost" from the moment libvirt's close callback says the connection
// went (a crash, libvirtd killed, the network) until it opens again; a host
// that could not be reached at start is "lost" too, and is tried again every
// RETRY_MS. The event connection is the one that says so at once: it is
// always open and libvirt calls back on its end, where the stats worker would
// only find out at the next sample.
import type { Connection } from "../../../ffi/index.ts";
import { errorMessage } from "../../errors.ts";
import type { StatsConnection } from "../monitor.ts";
import type { ConnectionEventLike, LifecycleEventLike, LifecycleSource, VmOps } from "../ports.ts";

/** config hosts[] (or -c): a libvirt URI, the most of the group's VMs it may hold, and its share of them. */
export interface HostSpec {
  uri: string;
  max_vms?: number;
  weight?: number;
}

/** A host's VM layer (VmManager, OwnedVms): the scaler's calls, its quick-call connection, and close. */
export interface HostVms extends VmOps {
  readonly conn: Connection;
  close(): Promise<void>;
}

export type HostState = "connecting" | "up" | "lost";

export interface HostEvent {
  uri: string;
  state: HostState;
  /** From the state it left. */
  from: HostState;
  reason?: string;
  at: number;
}

export interface HostDeps {
  vms: HostVms;
  /** Opens its event connection (ffi DomainEvents.open). */
  openEvents: (uri: string) => Promise<LifecycleSource>;
  /** Opens its stats worker (ffi AsyncConnection.open(uri, { readOnly: true })). */
  openStats: (uri: string) => Promise<StatsConnection>;
  changed: (ev: HostEvent) => void;
  lifecycle: (ev: LifecycleEventLike) => void;
  now: () => number;
}

/** How often a host that could not be reached is tried again. */
export const RETRY_MS = 3000;

export class Host {
  readonly uri: string;
  readonly maxVms: number | undefined;
  readonly weight: number;
  readonly vms: HostVms;
  state: HostState = "connecting";
  since: number;
  reason?: string;
  /** What its libvirt says of it (virNodeGetInfo), once read. */
  node: { cpus: number; memoryKiB: number } | null = null;
  events: LifecycleSource | null = null;
  #stats: Promise<StatsConnection> | null = null;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #unsub: (() => void)[] = [];
  #closed = false;

  constructor(
    spec: HostSpec,
    private readonly d: HostDeps,
  ) {
    this.uri = spec.uri;
    this.maxVms = spec.max_vms;
    this.weight = spec.weight ?? 1;
    this.vms = d.vms;
    this.since = d.now();
  }

  /** Open its event connection (bounded by timeoutMs: a host that does not answer is lost, tried again later). */
  async connect(timeoutMs: number): Promise<void> {
    if (this.#closed || this.events) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const opening = this.d.openEvents(this.uri);
    try {
      const ev = await Promise.race([opening, new Promise<never>((_, no) => (timer = setTimeout(() => no(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
      if (this.#closed) return void ev.close().catch(() => {});
      this.events = ev;
      this.#unsub.push(
        ev.onLifecycle((x) => this.d.lifecycle(x)),
        ev.onConnection((x) => this.#onConnection(x)),
      );
      this.#set("up");
    } catch (e) {
      // A late open still ends up closed (the race was lost, the connection must not leak).
      opening.then((ev) => (this.events === ev ? undefined : ev.close()), () => {}).catch(() => {});
      this.#set("lost", `cannot connect: ${errorMessage(e)}`);
      this.#retryLater(timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  #retryLater(timeoutMs: number): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.connect(timeoutMs);
    }, RETRY_MS);
    (this.#retry as { unref?: () => void }).unref?.();
  }

  #onConnection(ev: ConnectionEventLike): void {
    if (ev.state === "lost") this.#set("lost", `connection closed: ${ev.reason ?? "eof"}`);
    else this.#set("up");
  }

  #set(state: HostState, reason?: string): void {
    if (this.state === state) return;
    const from = this.state;
    this.state = state;
    this.since = this.d.now();
    this.reason = reason;
    // A host back up may have restarted: its cores and memory are read again.
    if (state === "up") this.node = null;
    this.d.changed({ uri: this.uri, state, from, reason, at: this.since });
  }

  /** Its stats worker (opened on first use; opened again after a failure). */
  stats(): Promise<StatsConnection> {
    if (this.#closed) return Promise.reject(new Error(`${this.uri}: closed`));
    if (!this.#stats) {
      const p = this.d.openStats(this.uri);
      this.#stats = p;
      p.catch(() => {
        if (this.#stats === p) this.#stats = null;
      });
    }
    return this.#stats;
  }

  /** Forget the stats worker (its call failed in a way only a new one mends). */
  dropStats(): void {
    const s = this.#stats;
    this.#stats = null;
    s?.then((c) => c.close()).catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    for (const u of this.#unsub.splice(0)) u();
    const ev = this.events;
    this.events = null;
    const stats = this.#stats;
    this.#stats = null;
    await Promise.allSettled([ev?.close(), stats?.then((c) => c.close()), this.vms.close()]);
  }
}

// One libvirt host of a group spread over several (host-set.ts): its VM
// layer (a VmManager of its own: its own caller-thread connection and worker),
// its own stats worker and its own event connection, and its state as the
// group sees it. Nothing here waits on another host: each host's calls run on
// its own connections, and a host whose libvirt is lost only changes its state.
//
// State: "connecting" until its event connection first opens; "up" while it is
// open and the host answers; "lost" from the moment libvirt's close callback
// says the connection went (a crash, libvirtd killed) until it opens again,
// or while the host does not answer its stats call in time (a network that
// drops its packets: no close arrives until libvirt's keepalive gives up,
// ~30 s); a host that could not be reached at start is "lost" too, and is
// tried again every RETRY_MS. The event connection says a crash at once: it
// is always open and libvirt calls back on its end.
import type { Connection } from "../../../ffi/index.ts";
import { errorMessage } from "../../errors.ts";
import type { StatsConnection } from "../monitor.ts";
import { unreachable } from "./reachable.ts";
import { within } from "./within.ts";
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
  /** Lost because it stopped answering (its connection still open), not because the connection closed. */
  silent?: boolean;
  at: number;
}

export interface HostDeps {
  vms: HostVms;
  /** Opens its event connection (ffi DomainEvents.open). */
  openEvents: (uri: string) => Promise<LifecycleSource>;
  /** Opens its stats worker (ffi AsyncConnection.open(uri, { readOnly: true })). */
  openStats: (uri: string) => Promise<StatsConnection>;
  changed: (ev: HostEvent) => void;
  /** How long after a failed connect (or a lost connection) it is tried again (default RETRY_MS). */
  retryMs?: number;
  /** Whether its daemon's port answers (reachable.ts; tests replace it): null when it does, else why not. */
  reachable?: (uri: string, ms: number) => Promise<string | null>;
  lifecycle: (ev: LifecycleEventLike) => void;
  now: () => number;
}

/** A call to a VM whose host is lost, refused at once (HostSet): nothing is sent to a host that may hold the caller. */
export class HostLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostLostError";
  }
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
    if (this.#closed || this.events || this.#connecting) return;
    this.#connecting = true;
    try {
      await this.#connect(timeoutMs);
    } finally {
      this.#connecting = false;
    }
  }
  #connecting = false;

  async #connect(timeoutMs: number): Promise<void> {
    // Asked without libvirt first: libvirt's open of an address that drops packets would hold the shared event loop.
    const why = await (this.d.reachable ?? unreachable)(this.uri, Math.min(timeoutMs, 2000));
    if (this.#closed) return;
    if (why) {
      this.#set("lost", `cannot connect: ${why}`);
      this.#retryLater(timeoutMs);
      return;
    }
    const opening = this.d.openEvents(this.uri);
    try {
      const ev = await within(opening, timeoutMs, "its event connection");
      if (this.#closed) return void ev.close().catch(() => {});
      this.events = ev;
      this.#silent = null;
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
    }
  }

  #retryLater(timeoutMs: number): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.connect(timeoutMs);
    }, this.d.retryMs ?? RETRY_MS);
    (this.#retry as { unref?: () => void }).unref?.();
  }

  /** The event connection is open (it may still not answer: `silent`). */
  get connected(): boolean {
    return this.events !== null;
  }
  #silent: string | null = null;

  #onConnection(ev: ConnectionEventLike): void {
    if (ev.state === "open") {
      if (!this.#silent) this.#set("up");
      return;
    }
    this.#set("lost", `connection closed: ${ev.reason ?? "eof"}`);
    // This host reconnects on its own terms (reachable first, then libvirt), not by the shared loop's retries.
    const ev0 = this.events;
    this.events = null;
    for (const u of this.#unsub.splice(0)) u();
    void ev0?.close().catch(() => {});
    this.#retryLater(5000);
  }

  /** Its stats call was not answered in time (why), or was answered again (null): lost while it is silent. */
  setSilent(why: string | null): void {
    if (why === this.#silent) return;
    this.#silent = why;
    if (!this.connected) return;
    if (why) this.#set("lost", why, true);
    else this.#set("up");
  }

  /** Why it is lost, by kind: closed (its connection), silent (no answers), unreachable (a connect failed). */
  #kind: "closed" | "silent" | "unreachable" | null = null;

  #set(state: HostState, reason?: string, silent = false): void {
    const kind = state !== "lost" ? null : silent ? "silent" : reason?.startsWith("cannot connect") ? "unreachable" : "closed";
    if (this.state === state) {
      // Lost again another way (closed, then refused: now the host itself is down, not only its libvirtd) is news the
      // group acts on: the VMs that answered their probe after the first loss are probed again. The same way again
      // only updates the reason shown.
      if (state !== "lost" || kind === this.#kind) {
        this.reason = reason;
        return;
      }
    }
    const from = this.state;
    this.state = state;
    this.#kind = kind;
    this.since = from === state ? this.since : this.d.now();
    this.reason = reason;
    // A host back up may have restarted: its cores and memory are read again.
    if (state === "up") this.node = null;
    this.d.changed({ uri: this.uri, state, from, reason, at: this.d.now(), ...(silent ? { silent } : {}) });
  }

  /**
   * Its stats worker (opened on first use; opened again only when the worker
   * itself died: its libvirt connection reopens by itself, and a new worker per
   * failed sample would pile up threads blocked on a host that drops packets).
   */
  stats(): Promise<StatsConnection> {
    if (this.#closed) return Promise.reject(new Error(`${this.uri}: closed`));
    if (this.#statsOpen && this.#statsOpen.usable === false) this.dropStats();
    if (!this.#stats) {
      const p = this.d.openStats(this.uri);
      this.#stats = p;
      p.then(
        (c) => (this.#statsOpen = c as StatsConnection & { usable?: boolean }),
        () => {
          if (this.#stats === p) this.#stats = null;
        },
      );
    }
    return this.#stats;
  }

  #statsOpen: (StatsConnection & { usable?: boolean }) | null = null;

  /** Forget the stats worker (it died: only a new one mends that). */
  dropStats(): void {
    const s = this.#stats;
    this.#stats = null;
    this.#statsOpen = null;
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

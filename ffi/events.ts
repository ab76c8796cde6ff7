// Domain lifecycle events and connection losses, as they happen: libvirt's
// event loop runs on one worker thread per process (ffi/event-loop.ts; the
// loop implementation is process-wide, so all watchers share it), which
// registers virConnectDomainEventRegisterAny(VIR_DOMAIN_EVENT_ID_LIFECYCLE)
// and virConnectRegisterCloseCallback on its own connection per watcher and
// posts what libvirt calls back with. A lost connection is reopened there
// (100 ms, doubling to 1 s) and its events registered again; events that
// happen while it is down are not delivered, so a watcher resynchronises
// from a fresh listing or sample once `connection: open` arrives.
//
// watchProcess(pid) watches a local process (a domain's QEMU) in the same
// loop through a pidfd: its end is seen at once, before libvirt has finished
// its own cleanup and sent STOPPED (seen here: 1.2 s later).
import { workerUrl } from "./async.ts";
import { C } from "./lib.ts";
import { LibvirtError } from "./errors.ts";
import { lifecycleDetailName, lifecycleEventName } from "./names.ts";
import type { LoopCommand, LoopMessage, WireError } from "./async-protocol.ts";

export interface LifecycleEvent {
  uri: string;
  name: string;
  uuid: string;
  /** virDomainEventType and its detail (e.g. 5 STOPPED, 1 DESTROYED). */
  event: number;
  detail: number;
  /** "stopped", "crashed", "started", ... */
  type: string;
  /** "destroyed", "failed", "shutdown", "saved", ... */
  detailName: string;
  /** Date.now() when libvirt called back (on the event thread). */
  at: number;
}

/** A watched process ended; `already`: it was gone when the watch began. */
export interface ProcessExit {
  pid: number;
  already: boolean;
  /** Date.now() on the loop thread when its pidfd turned readable. */
  at: number;
}

export interface ConnectionEvent {
  uri: string;
  /** lost: the transport closed (reason eof, keepalive, error, client); open: reopened and events registered again. */
  state: "lost" | "open";
  reason?: string;
  at: number;
}

const fromWire = (e: WireError): Error => {
  if ("libvirt" in e) return new LibvirtError(e.libvirt);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
};

/** The process's one event-loop worker, shared by every DomainEvents; it ends with the last of them. */
class LoopWorker {
  static #shared: Promise<LoopWorker> | null = null;
  readonly #worker: Worker;
  readonly #watchers = new Map<number, DomainEvents>();
  readonly #waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  readonly #processes = new Map<number, { events: DomainEvents; exited: (ev: ProcessExit) => void; failed?: (why: string) => void }>();
  #next = 1;
  #stopped: (() => void) | null = null;
  #failed: Error | null = null;
  #timer = -1;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Send a command and wake the loop for it (its timer set to 0: it runs at once, then goes back to 100 ms). */
  #send(cmd: LoopCommand): void {
    this.#worker.postMessage(cmd);
    if (this.#timer >= 0) C.virEventUpdateTimeout(this.#timer, 0);
  }

  static acquire(): Promise<LoopWorker> {
    LoopWorker.#shared ??= LoopWorker.#start().catch((e) => {
      LoopWorker.#shared = null;
      throw e;
    });
    return LoopWorker.#shared;
  }

  static async #start(): Promise<LoopWorker> {
    const worker = new Worker(workerUrl(), { type: "module" });
    const lw = new LoopWorker(worker);
    try {
      await new Promise<void>((resolve, reject) => {
        worker.onerror = (ev: any) => {
          ev?.preventDefault?.();
          reject(new Error(`libvirt event loop worker failed: ${ev?.message ?? ev}`));
        };
        worker.onmessage = (ev: MessageEvent) => {
          const m = ev.data as { ready?: boolean } | LoopMessage;
          if ((m as { ready?: boolean }).ready === true) worker.postMessage({ kind: "loop" } satisfies LoopCommand);
          else if ((m as LoopMessage).kind === "loop") {
            const lm = m as Extract<LoopMessage, { kind: "loop" }>;
            if (lm.ok) {
              lw.#timer = lm.timer;
              resolve();
            }
            else reject(fromWire(lm.error));
          }
        };
      });
    } catch (e) {
      worker.terminate();
      throw e;
    }
    worker.onmessage = (ev: MessageEvent) => lw.#onMessage(ev.data as LoopMessage);
    worker.onerror = (ev: any) => {
      ev?.preventDefault?.();
      lw.#fail(new Error(`libvirt event loop worker failed: ${ev?.message ?? ev}`));
    };
    // The loop never keeps the process alive by itself (Bun; Deno has no unref: close every DomainEvents).
    (worker as any).unref?.();
    return lw;
  }

  async watch(events: DomainEvents): Promise<number> {
    if (this.#failed) throw this.#failed;
    const id = this.#next++;
    this.#watchers.set(id, events);
    try {
      await new Promise<void>((resolve, reject) => {
        this.#waiting.set(id, { resolve, reject });
        this.#send({ kind: "watch", watch: id, uri: events.uri, reconnect: events.reconnect });
      });
    } catch (e) {
      this.#watchers.delete(id);
      await this.#releaseIfIdle();
      throw e;
    }
    return id;
  }

  watchProcess(events: DomainEvents, pid: number, exited: (ev: ProcessExit) => void, failed?: (why: string) => void): () => void {
    if (this.#failed) {
      failed?.(this.#failed.message);
      return () => {};
    }
    const token = this.#next++;
    this.#processes.set(token, { events, exited, failed });
    this.#send({ kind: "process", token, pid });
    return () => {
      if (this.#processes.delete(token) && !this.#failed) this.#send({ kind: "unprocess", token });
    };
  }

  /** A watcher closes: its process watches end with it. */
  #dropProcesses(events: DomainEvents): void {
    for (const [token, p] of this.#processes) {
      if (p.events !== events) continue;
      this.#processes.delete(token);
      if (!this.#failed) this.#send({ kind: "unprocess", token });
    }
  }

  async unwatch(id: number): Promise<void> {
    const events = this.#watchers.get(id);
    if (!events) return;
    this.#watchers.delete(id);
    this.#dropProcesses(events);
    if (!this.#failed) {
      await new Promise<void>((resolve, reject) => {
        this.#waiting.set(id, { resolve, reject });
        this.#send({ kind: "unwatch", watch: id });
      }).catch(() => {});
    }
    await this.#releaseIfIdle();
  }

  async #releaseIfIdle(): Promise<void> {
    if (this.#watchers.size > 0) return;
    LoopWorker.#shared = null;
    if (!this.#failed) {
      const done = new Promise<void>((r) => (this.#stopped = r));
      this.#send({ kind: "stop" });
      // The loop answers within one turn (~100 ms); do not hang a shutdown on a stuck libvirt call.
      await Promise.race([done, new Promise((r) => setTimeout(r, 2000))]);
    }
    this.#worker.terminate();
  }

  #fail(e: Error): void {
    this.#failed = e;
    LoopWorker.#shared = null;
    for (const w of this.#waiting.values()) w.reject(e);
    this.#waiting.clear();
    for (const ev of this.#watchers.values()) ev.deliverConnection({ uri: ev.uri, state: "lost", reason: e.message, at: Date.now() });
  }

  #onMessage(m: LoopMessage): void {
    switch (m.kind) {
      case "watched": {
        const w = this.#waiting.get(m.watch);
        this.#waiting.delete(m.watch);
        if (m.ok) w?.resolve();
        else w?.reject(fromWire(m.error));
        return;
      }
      case "unwatched":
        this.#waiting.get(m.watch)?.resolve();
        this.#waiting.delete(m.watch);
        return;
      case "lifecycle": {
        const ev = this.#watchers.get(m.watch);
        ev?.deliverLifecycle({
          uri: ev.uri,
          name: m.name,
          uuid: m.uuid,
          event: m.event,
          detail: m.detail,
          type: lifecycleEventName(m.event),
          detailName: lifecycleDetailName(m.event, m.detail),
          at: m.at,
        });
        return;
      }
      case "connection": {
        const ev = this.#watchers.get(m.watch);
        ev?.deliverConnection({ uri: ev.uri, state: m.state, reason: m.reason, at: m.at });
        return;
      }
      case "exited": {
        const p = this.#processes.get(m.token);
        this.#processes.delete(m.token);
        if (p) p.events.deliver(() => p.exited({ pid: m.pid, already: m.already, at: m.at }));
        return;
      }
      case "process": {
        const p = this.#processes.get(m.token);
        this.#processes.delete(m.token);
        if (p?.failed) p.events.deliver(() => p.failed!(m.error));
        return;
      }
      case "stopped":
        this.#stopped?.();
        return;
    }
  }
}

type Listener<T> = (ev: T) => void;

/** Lifecycle events of every domain on one libvirt URI, and that connection's losses and returns. */
export class DomainEvents implements AsyncDisposable {
  #loop: LoopWorker | null = null;
  #id = 0;
  #connected = true;
  #lifecycle = new Set<Listener<LifecycleEvent>>();
  #connection = new Set<Listener<ConnectionEvent>>();
  /** Where a listener's exception goes (it must not reach the worker's message handler). */
  onListenerError: (e: unknown) => void = (e) => console.error("DomainEvents listener failed:", e);

  private constructor(
    readonly uri: string,
    /** false: a lost connection is announced and not reopened by the loop (the caller opens another). */
    readonly reconnect = true,
  ) {}

  /**
   * Starts (or joins) the event loop and registers for `uri`; rejects with
   * libvirt's error when that fails (no events then: fall back to sampling).
   * reconnect false: once lost it stays lost (a host of several, which checks
   * its address is reachable before libvirt opens it, src/scaler/hosts/host.ts).
   */
  static async open(uri: string, opts: { reconnect?: boolean } = {}): Promise<DomainEvents> {
    const ev = new DomainEvents(uri, opts.reconnect ?? true);
    const loop = await LoopWorker.acquire();
    ev.#id = await loop.watch(ev);
    ev.#loop = loop;
    return ev;
  }

  /** False between a `lost` and the next `open`. */
  get connected(): boolean {
    return this.#connected;
  }

  onLifecycle(cb: Listener<LifecycleEvent>): () => void {
    this.#lifecycle.add(cb);
    return () => this.#lifecycle.delete(cb);
  }

  onConnection(cb: Listener<ConnectionEvent>): () => void {
    this.#connection.add(cb);
    return () => this.#connection.delete(cb);
  }

  /**
   * Call `exited` once when local process `pid` ends (a domain's QEMU, from its
   * pid file): seen through a pidfd in the loop, at once. `failed` says why it
   * cannot be watched (no pidfd on this kernel, not allowed). Returns the unwatch.
   */
  watchProcess(pid: number, exited: (ev: ProcessExit) => void, failed?: (why: string) => void): () => void {
    if (!this.#loop) {
      failed?.("DomainEvents is closed");
      return () => {};
    }
    return this.#loop.watchProcess(this, pid, exited, failed);
  }

  /** @internal a delivery from the loop worker, with listener failures kept away from it. */
  deliver(fn: () => void): void {
    this.#call(fn, undefined);
  }

  /** @internal the loop worker's delivery. */
  deliverLifecycle(ev: LifecycleEvent): void {
    for (const cb of this.#lifecycle) this.#call(cb, ev);
  }

  /** @internal */
  deliverConnection(ev: ConnectionEvent): void {
    if (this.#connected === (ev.state === "open")) return;
    this.#connected = ev.state === "open";
    for (const cb of this.#connection) this.#call(cb, ev);
  }

  #call<T>(cb: Listener<T>, ev: T): void {
    try {
      cb(ev);
    } catch (e) {
      this.onListenerError(e);
    }
  }

  /** Deregisters; the loop thread ends with the last watcher. Idempotent. */
  async close(): Promise<void> {
    const loop = this.#loop;
    this.#loop = null;
    this.#lifecycle.clear();
    this.#connection.clear();
    if (loop) await loop.unwatch(this.#id);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

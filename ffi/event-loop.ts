// libvirt's event loop, run by a worker thread (ffi/worker.ts in its "loop"
// role; ffi/events.ts is the caller's side). libvirt delivers domain events
// and connection-close notices only through an event loop, by calling C
// function pointers from inside virEventRunDefaultImpl. Those pointers are JS
// functions (bun:ffi JSCallback / Deno.UnsafeCallback) that may only be called
// on the thread that made them during that thread's own FFI call, so this one
// thread makes them, opens the watched connections, registers the callbacks
// and runs the loop; no other thread ever registers a JS callback.
//
// A blocked thread cannot receive messages: a 100 ms libvirt timer wakes
// virEventRunDefaultImpl, and between iterations the thread yields to its JS
// event loop so that watch/unwatch/stop commands get in. The sender of a
// command sets that timer to 0 (virEventUpdateTimeout is thread-safe) so the
// command is read at once rather than within 100 ms.
//
// Once the default implementation is registered, connections opened later in
// this process on any thread have their sockets watched by this loop too: an
// idle connection then sees the daemon go away (isAlive turns false) and
// answers keepalives, without any JS callback of theirs.
//
// The same loop watches local processes (a domain's QEMU, by pid) through a
// pidfd (Linux 5.3+): it turns readable the moment the process ends, before
// anyone reaps it. libvirt's own STOPPED event comes only after libvirt has
// waited for QEMU to be reaped and cleaned up (1.2 s on a host whose init
// reaps slowly), so the process watch is what sees a death at once.
import { C, borrowString, check, runtime, type Ptr } from "./lib.ts";
import { LIBC_PATH } from "./runtime/index.ts";
import { Connection } from "./connection.ts";
import { LibvirtError } from "./errors.ts";
import { ConnectCloseReason_NAMES, DomainEventID, EventHandleType } from "./generated/enums.ts";
import type { LoopCommand, LoopMessage, WireError } from "./async-protocol.ts";
import type { NativeCallback } from "./runtime/index.ts";

interface Port {
  onmessage: ((ev: MessageEvent) => void) | null;
  postMessage(msg: unknown): void;
}

/** Longest virEventRunDefaultImpl blocks: how soon a command (stop, watch) is seen. */
const WAKE_MS = 100;
/** Reconnect attempts after a loss: doubling from 100 ms up to 1 s (an attempt on a dead socket costs ~0.1 ms). */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 1000;
/** Keepalive on the watched connections: a daemon that stops answering (hung, host gone) is declared lost after ~8 s. */
const KEEPALIVE_INTERVAL_S = 2;
const KEEPALIVE_COUNT = 3;

interface Watch {
  id: number;
  uri: string;
  conn: Connection | null;
  eventId: number;
  closeRegistered: boolean;
  /** Set when libvirt reports the connection closed (or a call on it failed): reopened by maintain(). */
  lost: string | null;
  retryAt: number;
  backoffMs: number;
  /** Whether "lost" was posted (one message per state change). */
  announcedLost: boolean;
  /** false: once lost, not reopened here (the owner reopens it its own way: libvirt's open blocks this thread on an address that drops packets). */
  reconnect: boolean;
}

/** pidfd_open(2): glibc 2.36+ has the wrapper; older ones only the raw syscall (434 on x86_64 and aarch64). */
function bindPidfdOpen(): (pid: number) => number {
  try {
    const f = runtime.bind(LIBC_PATH, "pidfd_open", { args: ["i32", "u32"], returns: "i32" });
    return (pid) => f(pid, 0);
  } catch {
    const syscall = runtime.bind(LIBC_PATH, "syscall", { args: ["i64", "i64", "i64"], returns: "i64" });
    return (pid) => Number(syscall(434, pid, 0));
  }
}

const wire = (e: unknown): WireError =>
  e instanceof LibvirtError ? { libvirt: e.toFields() } : { name: (e as Error)?.name ?? "Error", message: e instanceof Error ? e.message : String(e) };
const text = (e: unknown) => (e instanceof LibvirtError ? e.libvirtMessage : e instanceof Error ? e.message : String(e));

export function startEventLoop(port: Port): void {
  const post = (m: LoopMessage) => port.postMessage(m);
  const watches = new Map<number, Watch>();
  let stopping = false;
  const uuid37 = new Uint8Array(37);
  const decoder = new TextDecoder();
  const idOf = (opaque: Ptr) => Number(runtime.addrOf(opaque));

  // The callbacks live as long as this thread: libvirt may still hold a pointer
  // to them until it has dispatched a deregistration, so they are never closed.
  let callbacks: NativeCallback[];
  let timer = -1;
  /** Process watches by token: the pidfd and libvirt's handle watch on it. */
  const processes = new Map<number, { pid: number; fd: number; handle: number }>();
  /** pidfds to close after the next loop turn (libvirt drops a removed handle only then). */
  let toClose: number[] = [];
  // libc, bound on the first process watch (assigned in closures: typed with `as` so TS does not narrow them to null).
  let pidfdOpen = null as ((pid: number) => number) | null;
  let closeFd = null as ((fd: number) => number) | null;
  let errno = null as (() => number) | null;
  try {
    check(C.virEventRegisterDefaultImpl(), "virEventRegisterDefaultImpl");
    // The caller may have set the timer to 0 to wake us for a command (LoopWorker.#poke): back to WAKE_MS.
    const tick = runtime.callback({ args: ["i32", "ptr"], returns: "void" }, (t: number) => {
      try {
        C.virEventUpdateTimeout(t, WAKE_MS);
      } catch {
        /* never throw into libvirt's C frames */
      }
    });
    // void (*)(virConnectPtr, virDomainPtr, int event, int detail, void *opaque)
    const lifecycle = runtime.callback({ args: ["ptr", "ptr", "i32", "i32", "ptr"], returns: "void" }, (_c: Ptr, dom: Ptr, event: number, detail: number, opaque: Ptr) => {
      try {
        const name = borrowString(C.virDomainGetName(dom)) ?? "";
        const uuid = C.virDomainGetUUIDString(dom, uuid37) === 0 ? decoder.decode(uuid37.subarray(0, 36)) : "";
        post({ kind: "lifecycle", watch: idOf(opaque), name, uuid, event, detail, at: Date.now() });
      } catch {
        /* never throw into libvirt's C frames */
      }
    });
    // void (*)(virConnectPtr, int reason, void *opaque): called inside the loop (or a call on that
    // connection, on this thread). libvirt is not re-entered here: maintain() reopens afterwards.
    const closed = runtime.callback({ args: ["ptr", "i32", "ptr"], returns: "void" }, (_c: Ptr, reason: number, opaque: Ptr) => {
      try {
        const w = watches.get(idOf(opaque));
        if (w && !w.lost) w.lost = (ConnectCloseReason_NAMES[reason] ?? `reason ${reason}`).replace("VIR_CONNECT_CLOSE_REASON_", "").toLowerCase();
      } catch {
        /* never throw into libvirt's C frames */
      }
    });
    // void (*)(int watch, int fd, int events, void *opaque): a watched pidfd is readable: its process ended.
    const exited = runtime.callback({ args: ["i32", "i32", "i32", "ptr"], returns: "void" }, (_watch: number, _fd: number, _events: number, opaque: Ptr) => {
      try {
        const token = idOf(opaque);
        const p = processes.get(token);
        if (!p) return;
        processes.delete(token);
        post({ kind: "exited", token, pid: p.pid, already: false, at: Date.now() });
        C.virEventRemoveHandle(p.handle);
        toClose.push(p.fd);
      } catch {
        /* never throw into libvirt's C frames */
      }
    });
    callbacks = [tick, lifecycle, closed, exited];
    timer = check(C.virEventAddTimeout(WAKE_MS, tick.ptr, null, null), "virEventAddTimeout");
  } catch (e) {
    post({ kind: "loop", ok: false, error: wire(e) });
    return;
  }
  const [, lifecycleCb, closeCb, exitedCb] = callbacks;

  function watchProcess(token: number, pid: number): void {
    pidfdOpen ??= bindPidfdOpen();
    closeFd ??= runtime.bind(LIBC_PATH, "close", { args: ["i32"], returns: "i32" });
    errno ??= (() => {
      const loc = runtime.bind(LIBC_PATH, "__errno_location", { args: [], returns: "ptr" });
      return () => runtime.readI32(loc(), 0);
    })();
    const fd = pidfdOpen(pid);
    if (fd < 0) {
      const e = errno();
      // ESRCH (3): no such process: it has already ended.
      if (e === 3) post({ kind: "exited", token, pid, already: true, at: Date.now() });
      else post({ kind: "process", token, ok: false, error: `pidfd_open(${pid}) failed: errno ${e}` });
      return;
    }
    const handle = C.virEventAddHandle(fd, EventHandleType.READABLE, exitedCb!.ptr, runtime.ptrFromAddr(BigInt(token)), null);
    if (handle < 0) {
      C.virResetLastError();
      closeFd(fd);
      post({ kind: "process", token, ok: false, error: `virEventAddHandle(pidfd of ${pid}) failed` });
      return;
    }
    processes.set(token, { pid, fd, handle });
  }

  function unwatchProcess(token: number): void {
    const p = processes.get(token);
    if (!p) return;
    processes.delete(token);
    C.virEventRemoveHandle(p.handle);
    toClose.push(p.fd);
  }

  /** Open `w`'s connection and register both callbacks; throws what failed (the connection is closed again). */
  function attach(w: Watch): void {
    const conn = Connection.open(w.uri, { readOnly: true });
    const opaque = runtime.ptrFromAddr(BigInt(w.id));
    try {
      // Remote drivers only; others say "not supported", which is fine: they cannot lose a transport.
      if (C.virConnectSetKeepAlive(conn.ptr, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT) < 0) C.virResetLastError();
      check(C.virConnectRegisterCloseCallback(conn.ptr, closeCb!.ptr, opaque, null), "virConnectRegisterCloseCallback");
      w.closeRegistered = true;
      w.eventId = check(C.virConnectDomainEventRegisterAny(conn.ptr, null, DomainEventID.LIFECYCLE, lifecycleCb!.ptr, opaque, null), "virConnectDomainEventRegisterAny");
    } catch (e) {
      w.conn = conn;
      detach(w);
      throw e;
    }
    w.conn = conn;
    w.lost = null;
    w.backoffMs = RETRY_MIN_MS;
  }

  /** Deregister and close (a dead connection refuses the deregistration: it is closed all the same). */
  function detach(w: Watch): void {
    const conn = w.conn;
    w.conn = null;
    if (!conn) return;
    if (w.eventId >= 0 && C.virConnectDomainEventDeregisterAny(conn.ptr, w.eventId) < 0) C.virResetLastError();
    if (w.closeRegistered && C.virConnectUnregisterCloseCallback(conn.ptr, closeCb!.ptr) < 0) C.virResetLastError();
    w.eventId = -1;
    w.closeRegistered = false;
    try {
      conn.close();
    } catch {
      /* already gone */
    }
  }

  /** After each loop turn: notice losses, reopen what was lost once its retry time came. */
  function maintain(): void {
    const now = performance.now();
    for (const w of watches.values()) {
      if (!w.lost && w.conn) {
        let alive = true;
        try {
          alive = w.conn.isAlive();
        } catch {
          alive = false;
        }
        if (!alive) w.lost = "eof";
      }
      if (!w.lost) continue;
      if (!w.announcedLost) {
        w.announcedLost = true;
        post({ kind: "connection", watch: w.id, state: "lost", reason: w.lost, at: Date.now() });
        detach(w);
        w.retryAt = now + w.backoffMs;
        continue;
      }
      if (now < w.retryAt || !w.reconnect) continue;
      try {
        attach(w);
        w.announcedLost = false;
        post({ kind: "connection", watch: w.id, state: "open", at: Date.now() });
      } catch (e) {
        w.lost ??= text(e);
        w.retryAt = now + w.backoffMs;
        w.backoffMs = Math.min(w.backoffMs * 2, RETRY_MAX_MS);
      }
    }
  }

  function command(cmd: LoopCommand): void {
    if (cmd.kind === "watch") {
      const w: Watch = { id: cmd.watch, uri: cmd.uri, conn: null, eventId: -1, closeRegistered: false, lost: null, retryAt: 0, backoffMs: RETRY_MIN_MS, announcedLost: false, reconnect: cmd.reconnect !== false };
      try {
        attach(w);
        watches.set(w.id, w);
        post({ kind: "watched", watch: w.id, ok: true });
      } catch (e) {
        post({ kind: "watched", watch: w.id, ok: false, error: wire(e) });
      }
    } else if (cmd.kind === "unwatch") {
      const w = watches.get(cmd.watch);
      watches.delete(cmd.watch);
      if (w) detach(w);
      post({ kind: "unwatched", watch: cmd.watch });
    } else if (cmd.kind === "process") watchProcess(cmd.token, cmd.pid);
    else if (cmd.kind === "unprocess") unwatchProcess(cmd.token);
    else if (cmd.kind === "stop") stopping = true;
  }

  port.onmessage = (ev: MessageEvent) => command(ev.data as LoopCommand);
  post({ kind: "loop", ok: true, timer });

  const yieldToMessages = () => new Promise<void>((r) => setTimeout(r, 0));
  void (async () => {
    while (!stopping) {
      // Handles removed before this turn are gone from the loop now: their fds can close.
      const closing = toClose;
      toClose = [];
      if (C.virEventRunDefaultImpl() < 0) C.virResetLastError();
      for (const fd of closing) closeFd?.(fd);
      maintain();
      await yieldToMessages();
    }
    for (const w of watches.values()) detach(w);
    watches.clear();
    for (const token of [...processes.keys()]) unwatchProcess(token);
    if (timer >= 0) C.virEventRemoveTimeout(timer);
    post({ kind: "stopped" });
  })();
}

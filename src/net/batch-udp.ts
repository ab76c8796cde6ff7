// The batch UDP engine: sockets driven by libc through FFI (libc.ts), read
// with recvmmsg (up to RECV_BATCH datagrams per system call) and written with
// sendmmsg (everything queued on a socket during one loop turn in one call).
//
// Why: the balancer's cost was the four datagram system calls per request
// plus the runtime's per-datagram objects (node:dgram's rinfo and Buffer,
// Bun.udpSocket's callback). Here a loop turn is epoll_wait, then one
// recvmmsg per readable socket, the callbacks, and one sendmmsg per socket
// that has something to send; the datagrams handed to callbacks are views on
// preallocated memory (no allocation per datagram).
//
// One loop per thread (module state is per thread). The owning thread never
// blocks: while datagrams keep coming it polls (epoll_wait with no wait) in
// time slices and yields between them with setImmediate, so its timers,
// messages and other I/O still run (a flood cannot starve them); once a poll
// finds nothing, a waker thread (batch-waker.ts) blocks in epoll_wait on the
// same epoll descriptor and posts a message when a socket is readable again.
//
// This file is the loop itself (its states, a turn, the reads and the
// flushes: the per-datagram code stays in read() and BatchSocket.send()); the
// struct layouts and arenas are in batch-arena.ts, the sockets' send side in
// batch-socket.ts, opening and closing descriptors in batch-fd.ts, the waker
// thread's handle in batch-waker-link.ts, addresses in sockaddr.ts.
import { setImmediate } from "node:timers";
import { runtime } from "../../ffi/runtime/index.ts";
import { EPOLL_DATA, EPOLL_EVENT, MMSGHDR, MSG_LEN, MSG_NAMELEN, MsgArena } from "./batch-arena.ts";
import { closeSocket, epollCreate, openSocket } from "./batch-fd.ts";
import { BatchSocket, type SocketOwner } from "./batch-socket.ts";
import { WakerLink } from "./batch-waker-link.ts";
import { AF_INET, EAGAIN, EINTR, MSG_DONTWAIT, MSG_TRUNC, errno, libc } from "./libc.ts";
import type { OnDatagram } from "./socket.ts";
import { NAME, v4Name, v6Name } from "./sockaddr.ts";

export { SEND_BYTES } from "./batch-socket.ts";

/** Datagrams read per recvmmsg call. */
export const RECV_BATCH = 256;
/** Bytes kept of a received datagram; a longer one is reported with its real length (MSG_TRUNC) and zero content. */
const RECV_BYTES = 72;
/** Busy work per loop turn before yielding to the thread's event loop. */
const SLICE_MS = 4;
/** Idle poll period if the waker thread cannot run. */
const POLL_FALLBACK_MS = 2;
/** Reads per socket per readiness event (fairness between a flooded socket and the others). */
const READS_PER_EVENT = 4;
const MAX_EVENTS = 64;

export interface BatchBindOptions {
  host: string;
  port: number;
  onMessage: OnDatagram;
  /** SO_RCVBUF/SO_SNDBUF wish (the kernel clamps it to net.core.rmem_max/wmem_max). */
  bufferBytes?: number;
  /** Datagrams queued per socket before a send is forced (default 64). */
  sendBatch?: number;
  /** Called for each datagram the kernel refused (sendmmsg failed for it): it is lost, and counted by the caller. */
  onSendFailed?: () => void;
}

export interface BatchCounters {
  /** Loop turns that found a socket readable. */
  turns: number;
  /** Datagrams read, and recvmmsg calls that read them. */
  received: number;
  recvCalls: number;
  /** Datagrams sent, and sendmmsg calls that sent them. */
  sent: number;
  sendCalls: number;
  /** Times the waker thread woke the idle loop. */
  wakeups: number;
}

export class BatchLoop implements SocketOwner {
  private ep = -1;
  private readonly byFd: (BatchSocket | undefined)[] = [];
  private open = 0;
  private readonly dirty: BatchSocket[] = [];
  private readonly recv = new MsgArena(RECV_BATCH, RECV_BYTES);
  private readonly views4: Uint8Array[] = [];
  private readonly views8: Uint8Array[] = [];
  private readonly events = new Uint8Array(MAX_EVENTS * EPOLL_EVENT);
  private readonly eventsDv = new DataView(this.events.buffer);
  private readonly eventsPinned = runtime.pinned(this.events);
  /** idle: no sockets; polling: slices scheduled; armed: the waker watches. */
  private state: "idle" | "polling" | "armed" = "idle";
  private inTurn = false;
  private flushScheduled = false;
  /** Loop turns, system calls and datagrams (the view's `io`). */
  readonly counters: BatchCounters = { turns: 0, received: 0, recvCalls: 0, sent: 0, sendCalls: 0, wakeups: 0 };

  private readonly waker = new WakerLink(
    () => this.state === "armed",
    () => this.wake(),
    (why, first) => this.wakerBroke(why, first),
  );

  constructor() {
    for (let i = 0; i < RECV_BATCH; i++) {
      const off = this.recv.dataOff + i * RECV_BYTES;
      this.views4.push(this.recv.u8.subarray(off, off + 4));
      this.views8.push(this.recv.u8.subarray(off, off + 8));
    }
  }

  bind(o: BatchBindOptions): BatchSocket {
    if (this.ep < 0) this.ep = epollCreate();
    const { fd, port } = openSocket(this.ep, o.host, o.port, o.bufferBytes);
    const s = new BatchSocket(this, fd, o.host, port, o.onMessage, o.sendBatch ?? 64, o.onSendFailed);
    this.byFd[fd] = s;
    this.open++;
    this.start();
    return s;
  }

  markDirty(s: BatchSocket): void {
    if (!s.dirty) {
      s.dirty = true;
      this.dirty.push(s);
    }
    // Sends outside a loop turn (timers, promise callbacks) go out at the end of this job.
    if (!this.inTurn && !this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flushAll);
    }
  }

  /** Hand everything queued on `s` to the kernel (sendmmsg until all are taken; a refused datagram is counted and skipped). */
  flush(s: BatchSocket): void {
    const q = s.out;
    if (!q || q.count === 0 || s.closed) return;
    let off = 0;
    while (off < q.count) {
      const r = libc.sendmmsg(s.fd, q.from(off), q.count - off, 0);
      this.counters.sendCalls++;
      if (r > 0) {
        off += r;
        this.counters.sent += r;
        continue;
      }
      if (r < 0 && errno() === EINTR) continue;
      // The datagram at `off` was refused (say, EPERM from a firewall, or a bad address): count and skip it.
      s.onSendFailed?.();
      off++;
    }
    q.count = 0;
  }

  private readonly flushAll = (): void => {
    this.flushScheduled = false;
    const d = this.dirty;
    for (let i = 0; i < d.length; i++) {
      const s = d[i]!;
      s.dirty = false;
      this.flush(s);
    }
    d.length = 0;
  };

  remove(s: BatchSocket): void {
    if (this.byFd[s.fd] !== s) return;
    closeSocket(this.ep, s.fd);
    this.byFd[s.fd] = undefined;
    this.open--;
    // No socket left: the waker goes (it kept the process alive, as an open
    // socket does). The epoll descriptor stays open for the loop's life: a
    // terminated waker may still be inside epoll_wait on it for WAIT_MS.
    if (this.open === 0) this.stopWaker();
  }

  private stopWaker(): void {
    this.waker.stop();
    if (this.state === "armed") this.state = "idle";
  }

  private start(): void {
    if (this.state !== "idle") return;
    this.state = "polling";
    setImmediate(this.pump);
  }

  /** Serve readiness until a poll finds nothing or the slice is used up; then yield (busy) or arm the waker (idle). */
  private readonly pump = (): void => {
    if (this.open === 0) {
      this.state = "idle";
      return;
    }
    const end = performance.now() + SLICE_MS;
    for (;;) {
      const n = libc.epoll_wait(this.ep, this.eventsPinned, MAX_EVENTS, 0);
      if (n <= 0) break;
      try {
        this.turn(n);
      } catch (e) {
        // A callback threw (a bug): the loop goes on, the error is reported as uncaught.
        setImmediate(this.pump);
        throw e;
      }
      if (this.open === 0 || performance.now() >= end) {
        setImmediate(this.pump);
        return;
      }
    }
    if (this.waker.failed) {
      // No waker: poll every POLL_FALLBACK_MS instead (costs a little CPU when idle, never stalls).
      setTimeout(this.pump, POLL_FALLBACK_MS);
      return;
    }
    this.state = "armed";
    this.waker.watch(this.ep);
  };

  /** The waker cannot watch (it failed to load, or epoll_wait failed): say so once and poll from now on. */
  private wakerBroke(why: string, first: boolean): void {
    if (first) console.error(`virtscale: batch UDP engine: waker thread failed (${why}); polling every ${POLL_FALLBACK_MS} ms instead`);
    if (this.state === "armed") {
      this.state = "polling";
      setTimeout(this.pump, POLL_FALLBACK_MS);
    }
  }

  private readonly wake = (): void => {
    if (this.state !== "armed") return;
    this.counters.wakeups++;
    this.state = "polling";
    this.pump();
  };

  private turn(n: number): void {
    this.counters.turns++;
    this.inTurn = true;
    try {
      for (let e = 0; e < n; e++) {
        const fd = this.eventsDv.getUint32(e * EPOLL_EVENT + EPOLL_DATA, true);
        const s = this.byFd[fd];
        if (s && !s.closed) this.read(s);
      }
    } finally {
      this.inTurn = false;
      this.flushAll();
    }
  }

  private read(s: BatchSocket): void {
    const r = this.recv;
    const dv = r.dv;
    const u8 = r.u8;
    for (let round = 0; round < READS_PER_EVENT; round++) {
      const n = libc.recvmmsg(s.fd, r.pinned, RECV_BATCH, MSG_DONTWAIT | MSG_TRUNC, null);
      this.counters.recvCalls++;
      if (n <= 0) {
        // EAGAIN: drained. Anything else (a queued ICMP error on some kernels) is dropped with the read.
        if (n < 0 && errno() !== EAGAIN) continue;
        return;
      }
      this.counters.received += n;
      for (let i = 0; i < n; i++) {
        const h = i * MMSGHDR;
        const len = dv.getUint32(h + MSG_LEN, true);
        const no = r.nameOff + i * NAME;
        dv.setUint32(h + MSG_NAMELEN, NAME, true); // recvmmsg wrote the name's length: room again for the next read
        const port = (u8[no + 2]! << 8) | u8[no + 3]!;
        const host = u8[no] === AF_INET ? v4Name(dv.getUint32(no + 4, false)) : v6Name(u8, no + 8);
        const data =
          len === 4 ? this.views4[i]! : len === 8 ? this.views8[i]! : len <= RECV_BYTES ? u8.subarray(r.dataOff + i * RECV_BYTES, r.dataOff + i * RECV_BYTES + len) : new Uint8Array(len);
        s.onMessage(data, port, host);
        if (s.closed) return;
      }
      if (n < RECV_BATCH) return;
    }
  }
}

let threadLoop: BatchLoop | null = null;
/** This thread's loop (created on first use). */
export function batchLoop(): BatchLoop {
  return (threadLoop ??= new BatchLoop());
}

/** Linux with glibc: where the batch engine can run. */
export function batchAvailable(): boolean {
  if (process.platform !== "linux") return false;
  try {
    void libc.recvmmsg;
    void libc.epoll_wait;
    return true;
  } catch {
    return false;
  }
}

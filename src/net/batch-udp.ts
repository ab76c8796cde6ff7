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
import { setImmediate } from "node:timers";
import { runtime } from "../../ffi/runtime/index.ts";
import {
  AF_INET, AF_INET6, EAGAIN, EINTR, EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLLIN, MSG_DONTWAIT, MSG_TRUNC,
  SO_RCVBUF, SO_SNDBUF, SOCK_CLOEXEC, SOCK_DGRAM, SOL_SOCKET, SysError, errno, libc,
} from "./libc.ts";
import type { OnDatagram, Udp } from "./socket.ts";
import { NAME, addrLen, hostAddr, v4Name, v6Name } from "./sockaddr.ts";

/** Datagrams read per recvmmsg call. */
export const RECV_BATCH = 256;
/** Bytes kept of a received datagram; a longer one is reported with its real length (MSG_TRUNC) and zero content. */
const RECV_BYTES = 72;
/** Largest datagram send() takes (requests are 4 bytes, answers 8). */
export const SEND_BYTES = 64;
/** Busy work per loop turn before yielding to the thread's event loop. */
const SLICE_MS = 4;
/** Idle poll period if the waker thread cannot run. */
const POLL_FALLBACK_MS = 2;
/** Reads per socket per readiness event (fairness between a flooded socket and the others). */
const READS_PER_EVENT = 4;

// struct layouts, Linux LP64 (x86_64, aarch64)
const MMSGHDR = 64; // struct msghdr (56) + unsigned msg_len + padding
const MSG_LEN = 56;
const MSG_NAMELEN = 8;
const IOVEC = 16;
const EPOLL_EVENT = process.arch === "x64" ? 12 : 16; // packed on x86_64 only
const EPOLL_DATA = process.arch === "x64" ? 4 : 8;
const MAX_EVENTS = 64;

/**
 * `count` mmsghdr slots, each with one iovec, a name and `dataBytes` of data,
 * in one buffer whose pointers are written once.
 */
class MsgArena {
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly pinned: unknown;
  readonly nameOff: number;
  readonly dataOff: number;
  count = 0;

  constructor(
    readonly slots: number,
    readonly dataBytes: number,
  ) {
    const iovOff = slots * MMSGHDR;
    this.nameOff = iovOff + slots * IOVEC;
    this.dataOff = this.nameOff + slots * NAME;
    this.u8 = new Uint8Array(this.dataOff + slots * dataBytes);
    this.dv = new DataView(this.u8.buffer);
    this.pinned = runtime.pinned(this.u8);
    const base = runtime.bufferAddress(this.u8);
    for (let i = 0; i < slots; i++) {
      const h = i * MMSGHDR;
      this.dv.setBigUint64(h, base + BigInt(this.nameOff + i * NAME), true); // msg_name
      this.dv.setUint32(h + MSG_NAMELEN, NAME, true); // msg_namelen
      this.dv.setBigUint64(h + 16, base + BigInt(iovOff + i * IOVEC), true); // msg_iov
      this.dv.setBigUint64(h + 24, 1n, true); // msg_iovlen
      this.dv.setBigUint64(iovOff + i * IOVEC, base + BigInt(this.dataOff + i * dataBytes), true); // iov_base
      this.dv.setBigUint64(iovOff + i * IOVEC + 8, BigInt(dataBytes), true); // iov_len
    }
  }

  /** The arena from slot `first` on, as a pointer argument. */
  from(first: number): unknown {
    if (first === 0) return this.pinned;
    return runtime.name === "bun" ? (this.pinned as number) + first * MMSGHDR : this.u8.subarray(first * MMSGHDR);
  }
}

// ---------------- sockets ----------------

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

export class BatchSocket implements Udp {
  readonly engine = "batch" as const;
  closed = false;
  out: MsgArena | null = null;
  dirty = false;

  constructor(
    private readonly loop: BatchLoop,
    readonly fd: number,
    readonly host: string,
    readonly port: number,
    readonly onMessage: OnDatagram,
    private readonly sendBatch: number,
    readonly onSendFailed?: () => void,
  ) {}

  send(data: Uint8Array, port: number, host: string): boolean {
    if (this.closed || data.byteLength > SEND_BYTES) return false;
    let q = this.out;
    if (!q) q = this.out = new MsgArena(this.sendBatch, SEND_BYTES);
    else if (q.count === q.slots) this.loop.flush(this);
    const i = q.count;
    let a: Uint8Array;
    try {
      a = hostAddr(host);
    } catch {
      return false;
    }
    const no = q.nameOff + i * NAME;
    q.u8.set(a, no);
    q.u8[no + 2] = port >>> 8; // sin_port / sin6_port, network order
    q.u8[no + 3] = port & 255;
    q.dv.setUint32(i * MMSGHDR + MSG_NAMELEN, addrLen(a), true);
    q.u8.set(data, q.dataOff + i * SEND_BYTES);
    q.dv.setUint32(q.slots * MMSGHDR + i * IOVEC + 8, data.byteLength, true); // iov_len (low half; the high half stays 0)
    q.count = i + 1;
    this.loop.markDirty(this);
    return true;
  }

  close(): void {
    if (this.closed) return;
    // What is queued goes out first (an answer relayed just before close).
    if (this.out && this.out.count > 0) this.loop.flush(this);
    this.closed = true;
    this.loop.remove(this);
  }
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

export class BatchLoop {
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
  private readonly ctlEvent = new Uint8Array(16);
  /** idle: no sockets; polling: slices scheduled; armed: the waker watches. */
  private state: "idle" | "polling" | "armed" = "idle";
  private waker: Worker | null = null;
  private wakerStarted = false;
  private wakerFailed = false;
  private inTurn = false;
  private flushScheduled = false;
  /** Loop turns, system calls and datagrams (the view's `io`). */
  readonly counters: BatchCounters = { turns: 0, received: 0, recvCalls: 0, sent: 0, sendCalls: 0, wakeups: 0 };

  constructor() {
    for (let i = 0; i < RECV_BATCH; i++) {
      const off = this.recv.dataOff + i * RECV_BYTES;
      this.views4.push(this.recv.u8.subarray(off, off + 4));
      this.views8.push(this.recv.u8.subarray(off, off + 8));
    }
  }

  bind(o: BatchBindOptions): BatchSocket {
    if (this.ep < 0) {
      this.ep = libc.epoll_create1(EPOLL_CLOEXEC);
      if (this.ep < 0) throw new SysError("epoll_create1", errno(), "");
    }
    const a = hostAddr(o.host).slice();
    a[2] = o.port >>> 8;
    a[3] = o.port & 255;
    const family = a[0] === AF_INET6 ? AF_INET6 : AF_INET;
    const fd = libc.socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw new SysError("socket", errno(), `for ${o.host}`);
    const where = family === AF_INET6 ? `[${o.host}]:${o.port}` : `${o.host}:${o.port}`;
    try {
      if (o.bufferBytes) {
        const v = new Int32Array([o.bufferBytes]);
        const b = new Uint8Array(v.buffer);
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, b, 4);
        libc.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, b, 4);
      }
      if (libc.bind(fd, a, addrLen(a)) < 0) throw new SysError("bind", errno(), where);
      const name = new Uint8Array(NAME);
      const len = new Uint32Array([NAME]);
      if (libc.getsockname(fd, name, new Uint8Array(len.buffer)) < 0) throw new SysError("getsockname", errno(), where);
      const port = (name[2]! << 8) | name[3]!;
      const dv = new DataView(this.ctlEvent.buffer);
      dv.setUint32(0, EPOLLIN, true);
      dv.setUint32(EPOLL_DATA, fd, true);
      if (libc.epoll_ctl(this.ep, EPOLL_CTL_ADD, fd, this.ctlEvent) < 0) throw new SysError("epoll_ctl", errno(), where);
      const s = new BatchSocket(this, fd, o.host, port, o.onMessage, o.sendBatch ?? 64, o.onSendFailed);
      this.byFd[fd] = s;
      this.open++;
      this.start();
      return s;
    } catch (e) {
      libc.close(fd);
      throw e;
    }
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
    libc.epoll_ctl(this.ep, EPOLL_CTL_DEL, s.fd, this.ctlEvent);
    libc.close(s.fd);
    this.byFd[s.fd] = undefined;
    this.open--;
    // No socket left: the waker goes (it kept the process alive, as an open
    // socket does). The epoll descriptor stays open for the loop's life: a
    // terminated waker may still be inside epoll_wait on it for WAIT_MS.
    if (this.open === 0) this.stopWaker();
  }

  private stopWaker(): void {
    this.waker?.terminate();
    this.waker = null;
    this.wakerStarted = false;
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
    if (this.wakerFailed) {
      // No waker: poll every POLL_FALLBACK_MS instead (costs a little CPU when idle, never stalls).
      setTimeout(this.pump, POLL_FALLBACK_MS);
      return;
    }
    this.state = "armed";
    this.arm();
  };

  /** Ask the waker to watch (once it has started: a message sent while its module still loads would be lost). */
  private arm(): void {
    const w = this.wakerThread();
    if (this.wakerStarted) w.postMessage({ ep: this.ep });
  }

  private wakerThread(): Worker {
    if (this.waker) return this.waker;
    const w = new Worker(wakerUrl(), { type: "module" });
    w.onmessage = (ev: MessageEvent) => {
      const m = ev.data as { ready?: boolean; error?: string; started?: boolean };
      if (m.started) {
        this.wakerStarted = true;
        if (this.state === "armed") w.postMessage({ ep: this.ep });
      } else if (m.error) this.wakerBroke(m.error);
      else if (m.ready) this.wake();
    };
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      this.wakerBroke(ev.message);
    };
    this.waker = w;
    return w;
  }

  /** The waker cannot watch (it failed to load, or epoll_wait failed): say so once and poll from now on. */
  private wakerBroke(why: string): void {
    if (!this.wakerFailed) console.error(`virtscale: batch UDP engine: waker thread failed (${why}); polling every ${POLL_FALLBACK_MS} ms instead`);
    this.wakerFailed = true;
    this.waker?.terminate();
    this.waker = null;
    this.wakerStarted = false;
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

/** The waker's module: next to this file from source, at its embedded path in the compiled binary (build.ts WORKER_ENTRYPOINTS). */
function wakerUrl(): string {
  const here = import.meta.url;
  if (here.includes("/$bunfs/") || here.includes("/~BUN/")) return "/$bunfs/root/src/net/batch-waker.ts";
  return new URL("./batch-waker.ts", here).href;
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

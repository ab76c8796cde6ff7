// The UDP balancer: one front socket for clients, per-request backend choice,
// per-(client, backend) upstream sessions (session.ts), timeouts, health with
// probes, draining, and the stats table (stats.ts).
//
// Hot path (one request): size check, client lookup (Map by "host:port"),
// policy pick, session lookup, push send time, send. Answer: source check,
// size check, shift send time, relay on the front socket to that session's
// client. Timers (sweep every <=100 ms: timeouts, probes, drains; tick every
// second: rates, latency windows, idle eviction) run beside it.
import { isIP } from "node:net";
import type { Config } from "../config.ts";
import type { BackendView, LbView } from "../events.ts";
import { decodeReply, encodeRequest, expectedReply, REPLY_BYTES, REQUEST_BYTES } from "../protocol.ts";
import type { Store } from "../store.ts";
import { makePicker, type Picker, type PolicyName } from "./policy.ts";
import { Session, type ClientAddr } from "./session.ts";
import { kernelUdpDrops } from "../net/kernel-drops.ts";
import { StatsRow, type LbCountersExt } from "./stats.ts";
import { batchLoop, type BatchCounters } from "../net/batch-udp.ts";
import { bindUdp, resolveEngine, type Udp, type UdpEngine } from "../net/udp.ts";

export type LbConfig = Config["lb"];
export type BackendState = BackendView["state"];

/** Continuous request processing without a timer tick beyond this sheds load (see onRequest). */
export const OVERLOAD_MS = 100;
/** Requests held while the event loop catches up; more are shed as `overload`. */
export const BACKLOG_MAX = 32768;
/** Backlog requests forwarded per event-loop turn. */
const BACKLOG_CHUNK = 512;
/** The heartbeat that tells the hot path timers still run. */
const HEARTBEAT_MS = 20;

/** Client datagrams above this size are `oversized` rather than `bad_size`. */
export const MAX_SANE_DATAGRAM = 64;

export interface BalancerOptions {
  listen: { host: string; port: number };
  config: LbConfig;
  store?: Store;
  /** Work scale of the backends (config vm.work_scale): probe answers are checked with expectedReply(n, scale). Without it any 8-byte answer counts as alive. */
  workScale?: number;
  /** UDP engine of the upstream sockets, and of the front unless lb.front_engine says otherwise (default: lb.engine). */
  engine?: UdpEngine;
  /** Clock in ms (tests); default performance.now. */
  now?: () => number;
  random?: () => number;
}

/** Probes remembered per backend for late answers (one is sent per max(timeout, probe interval) at most). */
const MAX_PROBES_KEPT = 64;

/** How long a timed-out request (or a probe) is remembered for its late answer: a FIFO guest over capacity answers seconds late (the load generator keeps the same window). */
export const lateWindowMs = (timeoutMs: number): number => Math.max(60_000, 20 * timeoutMs);

export type BackendViewExt = BackendView &
  LbCountersExt & {
    /** Requests timed out since the backend's last answer (any answer: on time, late or probe). */
    consecutiveTimeouts: number;
    /** Timed-out requests whose answer may still come (queued in a busy backend); counted by lb.max_in_flight_per_backend with inFlight. */
    owed: number;
    /** Time since the backend's last answer (ms). */
    silentMs: number;
    sessions: number;
  };
export type LbViewExt = LbView & {
  total: LbCountersExt;
  backends: BackendViewExt[];
  engine: UdpEngine;
  frontEngine: UdpEngine;
  clients: number;
  sessions: number;
  backlog: number;
  /** batch engine: system calls and datagrams of this thread's loop (all its sockets), to see the batching. */
  io?: BatchCounters;
};

class Backend {
  state: BackendState = "active";
  /** Timeouts since the last answer (reset by any answer). */
  consecutiveTimeouts = 0;
  /** When the backend last answered anything (a session answer, on time or late, or a probe). */
  lastAnswerAt: number;
  /** Send time of the newest request known answered: a FIFO backend has served everything sent before it. */
  answeredUpTo = -Infinity;
  /** Timed-out requests still owed over all its sessions (sum of their `owed`). */
  owed = 0;
  readonly sessions = new Set<Session>();
  readonly stats: StatsRow;
  readonly address: string;
  /** Recent probes, oldest first (expected null: no workScale, any 8-byte answer counts). */
  probes: { n: number; expected: bigint | null; sentAt: number }[] = [];
  lastProbeAt = -Infinity;
  drain: { deadline: number; done: () => void; promise: Promise<void> } | null = null;

  constructor(
    readonly id: string,
    readonly host: string,
    readonly port: number,
    now: number,
  ) {
    this.stats = new StatsRow(now);
    this.lastAnswerAt = now;
    this.address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  }
  /** What the backend owes: in flight plus timed out and still queued in it (the policies and the cap read this). */
  inFlight(): number {
    return this.stats.inFlight + this.owed;
  }
}

interface Client {
  addr: ClientAddr;
  sessions: Map<Backend, Session>;
}

export class Balancer {
  readonly config: LbConfig;
  private readonly opts: BalancerOptions;
  private front: Udp | null = null;
  private prober: Udp | null = null;
  private readonly all = new Map<string, Backend>();
  private active: Backend[] = [];
  private unhealthy: Backend[] = [];
  private frontDropsAtStart: number | null = null;
  private readonly clients = new Map<string, Client>();
  private readonly total: StatsRow;
  private readonly picker: Picker<Backend>;
  private readonly now: () => number;
  private readonly random: () => number;
  private sweepTimer: ReturnType<typeof setInterval> | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private beatTimer: ReturnType<typeof setInterval> | null = null;
  /** When the current stretch of requests without a timer tick began (-1: a timer ran since). */
  private busySince = -1;
  /** Requests waiting while the loop catches up (see onRequest); `backlogHead` is the next to forward. */
  private backlog: { data: Uint8Array; port: number; host: string; at: number }[] = [];
  private backlogHead = 0;
  private drainScheduled = false;
  private listenAddr = "";
  private sessionCount = 0;
  /** UDP engine of the upstream sockets. */
  readonly engine: UdpEngine;
  /** UDP engine of the front socket. */
  readonly frontEngine: UdpEngine;
  private closed = false;
  /** How often the timers actually ran (the flood test reads these). */
  readonly timerRuns = { sweep: 0, tick: 0 };

  constructor(opts: BalancerOptions) {
    this.opts = opts;
    this.config = opts.config;
    this.now = opts.now ?? (() => performance.now());
    this.random = opts.random ?? Math.random;
    this.total = new StatsRow(this.now());
    this.engine = opts.engine ?? resolveEngine(opts.config.engine);
    // The front is node:dgram beside the bun and node engines: it takes every
    // client's bursts and needs a large SO_RCVBUF, which Bun.udpSocket cannot
    // set (its 208 KiB default holds ~256 datagrams). The batch engine sets one.
    this.frontEngine = resolveEngine(opts.config.front_engine ?? (this.engine === "batch" ? "batch" : "node"), "lb.front_engine");
    this.picker = makePicker<Backend>(opts.config.policy as PolicyName, this.random);
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.front) throw new Error("balancer already started");
    this.front = await bindUdp({
      host: this.opts.listen.host,
      port: this.opts.listen.port,
      engine: this.frontEngine,
      bufferBytes: 4 << 20,
      sendBatch: 1024,
      onMessage: (d, p, h) => this.onRequest(d, p, h),
      // Answers the kernel refused after they were queued (batch engine): lost, counted.
      onSendFailed: () => this.total.drop("relay_failed"),
    });
    this.prober = await bindUdp({
      host: this.opts.listen.host.includes(":") ? "::1" : "127.0.0.1",
      port: 0,
      engine: "node",
      onMessage: (d, p, h) => this.onProbeAnswer(d, p, h),
    });
    const { host, port } = this.front;
    this.frontDropsAtStart = kernelUdpDrops(port);
    this.listenAddr = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    const sweepMs = Math.max(10, Math.min(100, Math.floor(this.config.timeout_ms / 4), this.config.probe_interval_ms));
    this.sweepTimer = setInterval(() => this.sweep(), sweepMs);
    this.tickTimer = setInterval(() => this.tick(), 1000);
    this.beatTimer = setInterval(() => (this.busySince = -1), HEARTBEAT_MS);
    this.opts.store?.setLbSource(() => this.view());
    return { host, port };
  }

  addBackend(id: string, addr: { host: string; port: number }): void {
    if (!id) throw new Error("addBackend: empty backend id");
    if (!Number.isInteger(addr.port) || addr.port < 1 || addr.port > 65535)
      throw new Error(`addBackend ${id}: bad port ${addr.port}`);
    // Answers are matched by source address, so the host must be the literal address the backend answers from.
    const host = addr.host === "localhost" ? "127.0.0.1" : addr.host.replace(/^\[|\]$/g, "");
    if (!isIP(host)) throw new Error(`addBackend ${id}: host must be an IP address, got '${addr.host}'`);
    addr = { host, port: addr.port };
    const prev = this.all.get(id);
    if (prev) {
      if (prev.host !== addr.host || prev.port !== addr.port)
        throw new Error(`addBackend: backend '${id}' exists with address ${prev.address}`);
      // Re-adding a draining backend cancels the drain.
      if (prev.state === "draining") {
        prev.state = "active";
        this.finishDrain(prev, false);
        this.rebuildActive();
      }
      return;
    }
    const b = new Backend(id, addr.host, addr.port, this.now());
    this.all.set(id, b);
    this.rebuildActive();
    this.opts.store?.log(`lb: backend ${id} (${b.address}) added`);
  }

  /** Take a backend out: no new requests; resolves when its in-flight requests are answered or timed out (or lb.drain_timeout_s passed). Unknown ids resolve at once. */
  removeBackend(id: string): Promise<void> {
    const b = this.all.get(id);
    if (!b) return Promise.resolve();
    if (b.drain) return b.drain.promise;
    b.state = "draining";
    this.rebuildActive();
    let done!: () => void;
    const promise = new Promise<void>((r) => (done = r));
    b.drain = { deadline: this.now() + this.config.drain_timeout_s * 1000, done, promise };
    this.opts.store?.log(`lb: backend ${id} draining (${b.stats.inFlight} in flight)`);
    this.checkDrain(b);
    return promise;
  }

  backends(): BackendViewExt[] {
    const now = this.now();
    return [...this.all.values()].map((b) => ({
      id: b.id,
      address: b.address,
      state: b.state,
      consecutiveTimeouts: b.consecutiveTimeouts,
      owed: b.owed,
      silentMs: Math.round(now - b.lastAnswerAt),
      sessions: b.sessions.size,
      ...b.stats.counters(),
    }));
  }

  view(): LbViewExt {
    return {
      listen: this.listenAddr,
      policy: this.config.policy,
      engine: this.engine,
      frontEngine: this.frontEngine,
      ...(this.engine === "batch" || this.frontEngine === "batch" ? { io: { ...batchLoop().counters } } : {}),
      clients: this.clients.size,
      backlog: this.backlog.length - this.backlogHead,
      sessions: this.sessionCount,
      total: this.total.counters(),
      backends: this.backends(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.beatTimer) clearInterval(this.beatTimer);
    for (const b of this.all.values()) {
      for (const s of b.sessions) s.close();
      b.sessions.clear();
      this.finishDrain(b, false);
    }
    this.clients.clear();
    this.sessionCount = 0;
    this.backlog = [];
    this.backlogHead = 0;
    this.front?.close();
    this.prober?.close();
    const store = this.opts.store;
    if (store) {
      // Leave the last picture in the store after the live source goes away.
      store.setLb(this.view());
      store.setLbSource(undefined);
    }
  }

  // ---------------- hot path ----------------

  private onRequest(data: Uint8Array, port: number, host: string): void {
    const total = this.total;
    total.requestsIn++;
    const size = data.byteLength;
    if (size !== REQUEST_BYTES) {
      total.drop(size === 0 ? "empty" : size > MAX_SANE_DATAGRAM ? "oversized" : "bad_size");
      return;
    }
    const now = this.now();
    // Starvation guard: the runtime reads a UDP socket until it is empty, so a
    // flood faster than we forward would never let timers run. Once requests
    // kept us busy OVERLOAD_MS without a timer tick, they go to a bounded
    // backlog (cheap: no send) that is forwarded in chunks between event-loop
    // turns; beyond the bound they are shed and counted as `overload`.
    if (this.backlog.length > this.backlogHead) return this.enqueue(data, port, host, now);
    if (this.busySince < 0) this.busySince = now;
    else if (now - this.busySince > OVERLOAD_MS) return this.enqueue(data, port, host, now);
    this.forward(data, port, host, now);
  }

  private enqueue(data: Uint8Array, port: number, host: string, now: number): void {
    if (this.backlog.length - this.backlogHead >= BACKLOG_MAX) {
      this.total.drop("overload");
      return;
    }
    this.backlog.push({ data: data.slice(), port, host, at: now });
    this.total.queued++;
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      setImmediate(this.drainBacklog);
    }
  }

  /** Forward a chunk of the backlog, then give the event loop a turn (timers, I/O) before the next. */
  private readonly drainBacklog = (): void => {
    this.drainScheduled = false;
    if (this.closed) return;
    const q = this.backlog;
    const end = Math.min(q.length, this.backlogHead + BACKLOG_CHUNK);
    for (let i = this.backlogHead; i < end; i++) {
      const r = q[i]!;
      this.forward(r.data, r.port, r.host, r.at);
    }
    this.backlogHead = end;
    if (end < q.length) {
      this.drainScheduled = true;
      setImmediate(this.drainBacklog);
    } else {
      this.backlog = [];
      this.backlogHead = 0;
    }
  };

  /** lb.max_in_flight_per_backend: a backend owing this many requests gets no new one. */
  private readonly belowCap = (b: Backend): boolean => b.inFlight() < this.config.max_in_flight_per_backend;

  /** Route one request (arrived at `now`) to a backend. */
  private forward(data: Uint8Array, port: number, host: string, now: number): void {
    const total = this.total;
    // The cap bounds each backend's queue (the guest serves one request at a
    // time): past it, latency would grow without bound, so overload is shed
    // here, counted, and visible to the scaler, instead of queued.
    const accept = this.config.max_in_flight_per_backend > 0 ? this.belowCap : undefined;
    let b = this.picker.pick(this.active, accept);
    if (!b) {
      if (this.active.length > 0) {
        total.drop("backend_full");
        return;
      }
      // Panic routing (Envoy's idea): with no healthy backend, an unhealthy one
      // may only be overloaded; trying it beats dropping everything.
      b = this.picker.pick(this.unhealthy, accept);
      if (!b) {
        total.drop(this.unhealthy.length > 0 ? "backend_full" : "no_backend");
        return;
      }
      b.stats.panic++;
      total.panic++;
    }
    const key = host + ":" + port;
    let c = this.clients.get(key);
    if (!c) {
      c = { addr: { host, port, key }, sessions: new Map() };
      this.clients.set(key, c);
    }
    let s = c.sessions.get(b);
    if (!s || s.closed) {
      // Each session holds a socket (a file descriptor): many source addresses must not exhaust them.
      if (this.sessionCount >= this.config.max_sessions) {
        if (c.sessions.size === 0) this.clients.delete(key);
        total.drop("session_limit");
        return;
      }
      s = this.openSession(c, b);
    }
    s.lastUsed = now;
    s.pending.push(now);
    b.stats.requestsIn++;
    b.stats.inFlight++;
    total.inFlight++;
    if (s.sock) {
      if (s.sock.send(data, b.port, b.host)) {
        b.stats.forwarded++;
        total.forwarded++;
      } else this.sendFailed(s, b);
    } else {
      s.waiting!.push(data.slice());
    }
  }

  private onAnswer(s: Session, b: Backend, data: Uint8Array, port: number, host: string): void {
    if (port !== b.port || host !== b.host) {
      // Anyone can aim at an upstream socket's port: only the backend may answer.
      b.stats.drop("foreign_source");
      this.total.drop("foreign_source");
      return;
    }
    if (data.byteLength !== REPLY_BYTES) {
      b.stats.drop("backend_bad_size");
      this.total.drop("backend_bad_size");
      return;
    }
    const now = this.now();
    s.lastUsed = now;
    // Any answer, late ones included, proves the backend alive (health: busy is not dead).
    b.consecutiveTimeouts = 0;
    b.lastAnswerAt = now;
    if (s.owed.length > 0) {
      // FIFO backend: the oldest request owed is the one answered (timed-out ones are older than pending ones).
      const sentAt = s.owed.shift();
      if (sentAt > b.answeredUpTo) b.answeredUpTo = sentAt;
      b.owed--;
      b.stats.late++;
      this.total.late++;
    } else if (s.pending.length > 0) {
      const sentAt = s.pending.shift();
      if (sentAt > b.answeredUpTo) b.answeredUpTo = sentAt;
      const us = (now - sentAt) * 1000;
      b.stats.inFlight--;
      this.total.inFlight--;
      b.stats.answered++;
      this.total.answered++;
      b.stats.latency.record(us);
      this.total.latency.record(us);
    } else {
      b.stats.drop("unsolicited");
      this.total.drop("unsolicited");
      return;
    }
    if (!this.front!.send(data, s.client.port, s.client.host)) {
      b.stats.drop("relay_failed");
      this.total.drop("relay_failed");
    }
    if (b.drain && b.stats.inFlight === 0) this.checkDrain(b);
  }

  private sendFailed(s: Session, b: Backend): void {
    s.pending.pop();
    b.stats.inFlight--;
    this.total.inFlight--;
    b.stats.sendFailed++;
    this.total.sendFailed++;
  }

  private openSession(c: Client, b: Backend): Session {
    const s = new Session(c.addr, b.id, this.now());
    c.sessions.set(b, s);
    b.sessions.add(s);
    this.sessionCount++;
    bindUdp({
      host: upstreamBindHost(b.host),
      port: 0,
      engine: this.engine,
      bufferBytes: 1 << 20,
      onMessage: (d, p, h) => this.onAnswer(s, b, d, p, h),
      // Requests the kernel refused after they were queued (batch engine): counted here, and timed out later like any unanswered request.
      onSendFailed: () => {
        b.stats.sendFailed++;
        this.total.sendFailed++;
      },
    }).then(
      (sock) => {
        if (s.closed) {
          sock.close();
          return;
        }
        s.sock = sock;
        const waiting = s.waiting ?? [];
        s.waiting = null;
        for (const d of waiting) {
          if (sock.send(d, b.port, b.host)) {
            b.stats.forwarded++;
            this.total.forwarded++;
          } else this.sendFailed(s, b);
        }
      },
      () => {
        // No socket (fd limit, say): every waiting request is a counted send failure.
        const n = s.waiting?.length ?? 0;
        for (let i = 0; i < n; i++) this.sendFailed(s, b);
        this.closeSession(s, b);
      },
    );
    return s;
  }

  private closeSession(s: Session, b: Backend): void {
    if (s.closed && !b.sessions.has(s)) return;
    // Requests still pending on it are accounted as timed out.
    const n = s.pending.length;
    if (n > 0) {
      b.stats.inFlight -= n;
      this.total.inFlight -= n;
      b.stats.timedOut += n;
      this.total.timedOut += n;
      while (s.pending.length) s.pending.shift();
    }
    // Its socket closes: answers still owed can no longer arrive.
    b.owed -= s.owed.length;
    while (s.owed.length) s.owed.shift();
    s.close();
    b.sessions.delete(s);
    this.sessionCount--;
    const c = this.clients.get(s.client.key);
    if (c && c.sessions.get(b) === s) {
      c.sessions.delete(b);
      if (c.sessions.size === 0) this.clients.delete(s.client.key);
    }
  }

  // ---------------- timers ----------------

  /** Timeouts, health, probes, drains. */
  private sweep(): void {
    this.timerRuns.sweep++;
    const now = this.now();
    const timeout = this.config.timeout_ms;
    const lateWindow = lateWindowMs(timeout);
    for (const b of this.all.values()) {
      let expired = 0;
      // Owed requests sent before this are known lost (they would hold the cap
      // forever): a FIFO backend already answered one sent timeout_ms after
      // them (the slack covers reordering between sockets), or it has answered
      // nothing for 2 x timeout_ms since they were sent (a backend working
      // through a queue answers every request's service time). Else they are
      // forgotten after the late window.
      const silentSince = now - b.lastAnswerAt >= 2 * timeout ? now - 2 * timeout : -Infinity;
      const lostBefore = Math.max(b.answeredUpTo - timeout, now - lateWindow, silentSince);
      for (const s of b.sessions) {
        const p = s.pending;
        const o = s.owed;
        while (p.length > 0 && now - p.peek() >= timeout) {
          o.push(p.shift());
          expired++;
        }
        while (o.length > 0 && o.peek() < lostBefore) {
          o.shift();
          b.owed--;
        }
      }
      if (expired > 0) {
        b.owed += expired;
        b.stats.inFlight -= expired;
        this.total.inFlight -= expired;
        b.stats.timedOut += expired;
        this.total.timedOut += expired;
        b.consecutiveTimeouts += expired;
      }
      // Busy is not dead: a FIFO backend over capacity answers late but keeps
      // answering. Out of rotation only after silence (no answer at all, on
      // time, late or probe) for timeout_ms with unhealthy_after timeouts in it.
      if (b.state === "active" && b.consecutiveTimeouts >= this.config.unhealthy_after && now - b.lastAnswerAt >= timeout) this.markUnhealthy(b, now);
      if (b.state === "unhealthy") this.maybeProbe(b, now);
      if (b.drain) this.checkDrain(b);
    }
  }

  private tick(): void {
    this.timerRuns.tick++;
    const now = this.now();
    this.total.tick(now);
    this.readKernelDrops();
    const idleMs = this.config.idle_evict_s * 1000;
    for (const b of this.all.values()) {
      b.stats.tick(now);
      for (const s of b.sessions) if (s.pending.length === 0 && now - s.lastUsed >= idleMs) this.closeSession(s, b);
    }
  }

  private readKernelDrops(): void {
    if (!this.front || this.frontDropsAtStart === null) return;
    const d = kernelUdpDrops(this.front.port);
    if (d !== null) this.total.kernelDrops = Math.max(0, d - this.frontDropsAtStart);
  }

  // ---------------- health ----------------

  private markUnhealthy(b: Backend, now: number): void {
    b.state = "unhealthy";
    b.lastProbeAt = -Infinity;
    this.rebuildActive();
    const silent = Math.round(now - b.lastAnswerAt);
    this.opts.store?.log(`lb: backend ${b.id} (${b.address}) out of rotation: no answer for ${silent} ms, ${b.consecutiveTimeouts} requests timed out meanwhile`, "warn");
  }

  private maybeProbe(b: Backend, now: number): void {
    const last = b.probes[b.probes.length - 1];
    if (last && now - last.sentAt < this.config.timeout_ms) return;
    if (now - b.lastProbeAt < this.config.probe_interval_ms) return;
    b.lastProbeAt = now;
    // Small n: the probe costs the backend almost nothing.
    const n = 1 + Math.floor(this.random() * 32);
    const scale = this.opts.workScale;
    // Earlier probes stay remembered: a busy backend answers them late, after this one left.
    const lateWindow = lateWindowMs(this.config.timeout_ms);
    while (b.probes.length > 0 && (b.probes.length >= MAX_PROBES_KEPT || now - b.probes[0]!.sentAt >= lateWindow)) b.probes.shift();
    b.probes.push({ n, expected: scale === undefined ? null : expectedReply(n, scale), sentAt: now });
    this.prober?.send(encodeRequest(n), b.port, b.host);
  }

  private onProbeAnswer(data: Uint8Array, port: number, host: string): void {
    let b: Backend | undefined;
    for (const x of this.all.values()) if (x.port === port && x.host === host && (!b || x.probes.length > 0)) b = x;
    if (!b || b.probes.length === 0) {
      this.total.drop("unsolicited");
      return;
    }
    const value = decodeReply(data);
    if (value === null) {
      b.stats.drop("backend_bad_size");
      this.total.drop("backend_bad_size");
      return;
    }
    // A late answer to an earlier probe is as good as one to the newest: match
    // any recent probe (without workScale, any 8-byte answer takes the oldest).
    const i = b.probes.findIndex((p) => p.expected === null || p.expected === value);
    if (i < 0) {
      b.stats.drop("probe_wrong_answer");
      this.total.drop("probe_wrong_answer");
      return;
    }
    const probe = b.probes.splice(i, 1)[0]!;
    const now = this.now();
    b.lastAnswerAt = now;
    b.consecutiveTimeouts = 0;
    if (probe.sentAt > b.answeredUpTo) b.answeredUpTo = probe.sentAt;
    if (b.state === "unhealthy") {
      b.state = "active";
      b.consecutiveTimeouts = 0;
      this.rebuildActive();
      this.opts.store?.log(`lb: backend ${b.id} (${b.address}) answered a probe: back in rotation`);
    }
  }

  // ---------------- draining ----------------

  private checkDrain(b: Backend): void {
    if (!b.drain) return;
    if (b.stats.inFlight > 0 && this.now() < b.drain.deadline) return;
    this.finishDrain(b, true);
  }

  private finishDrain(b: Backend, remove: boolean): void {
    const d = b.drain;
    if (!d) return;
    b.drain = null;
    if (remove) {
      for (const s of [...b.sessions]) this.closeSession(s, b);
      b.state = "removed";
      this.all.delete(b.id);
      this.rebuildActive();
      this.opts.store?.log(`lb: backend ${b.id} removed`);
    }
    d.done();
  }

  private rebuildActive(): void {
    this.active = [...this.all.values()].filter((b) => b.state === "active");
    this.unhealthy = [...this.all.values()].filter((b) => b.state === "unhealthy");
  }
}

/** Bind upstream sockets to loopback when the backend is on loopback (nothing else can reach them). */
function upstreamBindHost(backendHost: string): string {
  if (backendHost === "::1") return "::1";
  if (backendHost.startsWith("127.")) return "127.0.0.1";
  return backendHost.includes(":") ? "::" : "0.0.0.0";
}

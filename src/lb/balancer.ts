// The UDP balancer's hot path; like Envoy's UDP proxy filter it routes, and
// health, host choice and balancing sit beside it. Per request: size check,
// backlog guard (backlog.ts), pick among the backends in rotation (cluster.ts,
// policy.ts), the (client, backend) session (clients.ts, session.ts), push the
// send time, send. Per answer: source and size checks, shift the send time,
// relay to that session's client. Health (health.ts) runs on the sweep timer,
// the stats tick once a second. Each event is counted once, on its backend's
// row or the front row (stats.ts).
import type { Config } from "../config.ts";
import type { LbView } from "../events.ts";
import { REPLY_BYTES, REQUEST_BYTES } from "../protocol.ts";
import type { Store } from "../store.ts";
import { kernelUdpDrops } from "../net/kernel-drops.ts";
import { batchLoop, type BatchCounters } from "../net/batch-udp.ts";
import { bindUdp, resolveEngine, type Udp, type UdpEngine } from "../net/udp.ts";
import type { LogHistogram } from "../net/histogram.ts";
import { Backlog } from "./backlog.ts";
import { HeldQueue } from "./held.ts";
import { ClientTable, type Client } from "./clients.ts";
import { Cluster, type Backend, type BackendViewExt } from "./cluster.ts";
import { Health } from "./health.ts";
import { makePicker, type Picker, type PolicyName } from "./policy.ts";
import type { Session } from "./session.ts";
import { Totals, type LbCountersExt, type StatsRow } from "./stats.ts";
import type { ServiceCheck } from "../protocol/service.ts";

export { OVERLOAD_MS, BACKLOG_MAX } from "./backlog.ts";
export type { BackendState, BackendViewExt } from "./cluster.ts";

export type LbConfig = Config["lb"];

/** Client datagrams above this size are `oversized` rather than `bad_size`. */
export const MAX_SANE_DATAGRAM = 64;

export interface BalancerOptions {
  listen: { host: string; port: number };
  config: LbConfig;
  store?: Store;
  /** Work scale of the backends (config vm.work_scale): probe answers are checked with expectedReply(n, scale). Without it any 8-byte answer counts as alive. */
  workScale?: number;
  /** The service check probe answers are held to (config service.check, src/protocol/service.ts); wins over workScale. */
  check?: ServiceCheck;
  /** UDP engine of the upstream sockets, and of the front unless lb.front_engine says otherwise (default: lb.engine). */
  engine?: UdpEngine;
  /** Clock in ms (tests); default performance.now. */
  now?: () => number;
  random?: () => number;
}

export type LbViewExt = LbView & {
  total: LbCountersExt;
  backends: BackendViewExt[];
  engine: UdpEngine;
  frontEngine: UdpEngine;
  clients: number;
  sessions: number;
  backlog: number;
  /** Requests held right now while no backend is in rotation (held.ts). */
  holding: number;
  /** batch engine: system calls and datagrams of this thread's loop (all its sockets), to see the batching. */
  io?: BatchCounters;
};

export class Balancer {
  readonly config: LbConfig;
  /** UDP engine of the upstream sockets. */
  readonly engine: UdpEngine;
  /** UDP engine of the front socket. */
  readonly frontEngine: UdpEngine;
  /** How often the timers actually ran (the flood test reads these). */
  readonly timerRuns = { sweep: 0, tick: 0 };
  private readonly opts: BalancerOptions;
  private readonly now: () => number;
  private readonly cluster = new Cluster();
  private readonly clients: ClientTable;
  private readonly totals: Totals;
  /** What the front socket saw before a backend was chosen (the totals add the backends' rows). */
  private readonly front: StatsRow;
  private readonly picker: Picker<Backend>;
  private readonly health: Health;
  private readonly backlog: Backlog;
  private readonly held: HeldQueue;
  private sock: Udp | null = null;
  private frontDropsAtStart: number | null = null;
  private listenAddr = "";
  private timers: ReturnType<typeof setInterval>[] = [];
  private closed = false;

  constructor(opts: BalancerOptions) {
    this.opts = opts;
    this.config = opts.config;
    this.now = opts.now ?? (() => performance.now());
    const random = opts.random ?? Math.random;
    this.totals = new Totals(this.now());
    this.front = this.totals.front;
    this.clients = new ClientTable(opts.config.max_sessions);
    this.engine = opts.engine ?? resolveEngine(opts.config.engine);
    // The front is node:dgram beside the bun and node engines: it takes every
    // client's bursts and needs a large SO_RCVBUF, which Bun.udpSocket cannot
    // set (its 208 KiB default holds ~256 datagrams). The batch engine sets one.
    this.frontEngine = resolveEngine(opts.config.front_engine ?? (this.engine === "batch" ? "batch" : "node"), "lb.front_engine");
    this.picker = makePicker<Backend>(opts.config.policy as PolicyName, random);
    const { config, workScale, check, store } = opts;
    this.health = new Health(this.cluster, { config, workScale, check, store, now: this.now, random, front: this.front, onRemove: (b) => this.retire(b) });
    this.backlog = new Backlog((d, p, h, at) => this.forward(d, p, h, at), this.front);
    this.held = new HeldQueue({ max: opts.config.hold_queue, timeoutMs: opts.config.hold_timeout_ms, front: this.front });
  }

  async start(): Promise<{ host: string; port: number }> {
    if (this.sock) throw new Error("balancer already started");
    this.sock = await bindUdp({
      host: this.opts.listen.host,
      port: this.opts.listen.port,
      engine: this.frontEngine,
      bufferBytes: 4 << 20,
      sendBatch: 1024,
      onMessage: (d, p, h) => this.onRequest(d, p, h),
      // Answers the kernel refused after they were queued (batch engine): lost, counted.
      onSendFailed: () => this.front.drop("relay_failed"),
    });
    await this.health.start(this.opts.listen.host);
    const { host, port } = this.sock;
    this.frontDropsAtStart = kernelUdpDrops(port);
    this.listenAddr = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
    this.timers.push(setInterval(() => this.sweep(), this.health.sweepMs), setInterval(() => this.tick(), 1000));
    this.backlog.start();
    this.opts.store?.setLbSource(() => this.view());
    return { host, port };
  }

  addBackend(id: string, addr: { host: string; port: number }): void {
    const { backend, added } = this.cluster.add(id, addr, this.now());
    // Re-adding a draining backend cancels the drain.
    if (!added) this.health.undrain(backend);
    else this.opts.store?.log(`lb: backend ${id} (${backend.address}) added`);
    // Requests held while there was none go to it now, in arrival order.
    if (this.held.length > 0 && this.cluster.active.length > 0) this.held.release((d, p, h, at) => this.forward(d, p, h, at), this.now());
  }

  /**
   * The scaler's "demand with no backend" signal: from now on a request that
   * finds no backend in rotation is held (lb.hold_queue, lb.hold_timeout_ms)
   * and `cb` is told at once, so a VM wakes on the request. null: no holding.
   */
  onDemand(cb: ((at: number) => void) | null): void {
    this.held.onDemand(cb);
  }

  /** Requests held right now (a group that holds some is not idle). */
  holding(): number {
    return this.held.length;
  }

  /** Take a backend out: no new requests; resolves when its in-flight requests are answered or timed out (or lb.drain_timeout_s passed). Unknown ids resolve at once. */
  removeBackend(id: string): Promise<void> {
    const b = this.cluster.get(id);
    return b ? this.health.drain(b) : Promise.resolve();
  }

  backends(): BackendViewExt[] {
    const now = this.now();
    return this.cluster.list().map((b) => b.view(now));
  }

  view(): LbViewExt {
    return {
      listen: this.listenAddr,
      policy: this.config.policy,
      engine: this.engine,
      frontEngine: this.frontEngine,
      ...(this.engine === "batch" || this.frontEngine === "batch" ? { io: { ...batchLoop().counters } } : {}),
      clients: this.clients.size,
      backlog: this.backlog.length,
      holding: this.held.length,
      sessions: this.clients.sessions,
      total: this.totals.counters(this.cluster.rows()),
      backends: this.backends(),
    };
  }

  /** Answer latencies since the start: the group's (removed backends too) and each backend's; /metrics' histograms (lb/metrics.ts). Shared scratch objects: read them at once. */
  latencyHistograms(): { total: LogHistogram; backends: { id: string; latency: LogHistogram }[] } {
    return { total: this.totals.latencyCumulative(this.cluster.rows()), backends: this.cluster.list().map((b) => ({ id: b.id, latency: b.stats.latency.cumulative() })) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.clients.clear(this.cluster.all());
    this.health.close();
    this.backlog.close();
    this.held.close();
    this.sock?.close();
    const store = this.opts.store;
    if (store) {
      // Leave the last picture in the store after the live source goes away.
      store.setLb(this.view());
      store.setLbSource(undefined);
    }
  }

  // ---------------- hot path ----------------

  private onRequest(data: Uint8Array, port: number, host: string): void {
    const front = this.front;
    front.requestsIn++;
    const size = data.byteLength;
    if (size !== REQUEST_BYTES) return front.drop(size === 0 ? "empty" : size > MAX_SANE_DATAGRAM ? "oversized" : "bad_size");
    const now = this.now();
    if (this.backlog.takes(data, port, host, now)) return;
    this.forward(data, port, host, now);
  }

  /** lb.max_in_flight_per_backend: a backend owing this many requests gets no new one. */
  private readonly belowCap = (b: Backend): boolean => b.inFlight() < this.config.max_in_flight_per_backend;

  /** Route one request (arrived at `now`) to a backend. */
  private forward(data: Uint8Array, port: number, host: string, now: number): void {
    // The cap bounds each backend's queue (the guest serves one request at a
    // time): past it, latency would grow without bound, so overload is shed
    // here, counted, and visible to the scaler, instead of queued.
    const accept = this.config.max_in_flight_per_backend > 0 ? this.belowCap : undefined;
    const cluster = this.cluster;
    let b = this.picker.pick(cluster.active, accept);
    if (!b) {
      if (cluster.active.length > 0) return this.front.drop("backend_full");
      // Panic routing (Envoy's idea): with no healthy backend, an unhealthy one
      // may only be overloaded; trying it beats dropping everything.
      b = this.picker.pick(cluster.unhealthy, accept);
      if (!b) {
        if (cluster.unhealthy.length > 0) return this.front.drop("backend_full");
        // None at all (scaled to zero, or the last one draining): held while the scaler wakes one.
        return this.held.enabled ? this.held.hold(data, port, host, now) : this.front.drop("no_backend");
      }
      b.stats.panic++;
    }
    const c = this.clients.get(host, port);
    let s = c.sessions.get(b);
    if (!s || s.closed) {
      const opened = this.openSession(c, b, now);
      if (!opened) return this.front.drop("session_limit");
      s = opened;
    }
    s.lastUsed = now;
    s.pending.push(now);
    const st = b.stats;
    st.requestsIn++;
    st.inFlight++;
    if (s.sock) this.send(s, b, data);
    else s.waiting!.push(data.slice());
  }

  private send(s: Session, b: Backend, data: Uint8Array): void {
    if (s.sock!.send(data, b.port, b.host)) b.stats.forwarded++;
    else this.sendFailed(s, b);
  }

  private onAnswer(s: Session, b: Backend, data: Uint8Array, port: number, host: string): void {
    const st = b.stats;
    // Anyone can aim at an upstream socket's port: only the backend may answer.
    if (port !== b.port || host !== b.host) return st.drop("foreign_source");
    if (data.byteLength !== REPLY_BYTES) return st.drop("backend_bad_size");
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
      st.late++;
    } else if (s.pending.length > 0) {
      const sentAt = s.pending.shift();
      if (sentAt > b.answeredUpTo) b.answeredUpTo = sentAt;
      st.inFlight--;
      st.answered++;
      st.latency.record((now - sentAt) * 1000);
    } else return st.drop("unsolicited");
    if (!this.sock!.send(data, s.client.port, s.client.host)) st.drop("relay_failed");
    if (b.drain && st.inFlight === 0) this.health.checkDrain(b);
  }

  private sendFailed(s: Session, b: Backend): void {
    s.pending.pop();
    b.stats.inFlight--;
    b.stats.sendFailed++;
  }

  /** A new session of client `c` towards `b` (null at lb.max_sessions); its socket opens in the background, requests wait meanwhile. */
  private openSession(c: Client, b: Backend, now: number): Session | null {
    const s = this.clients.add(c, b, now);
    if (!s) return null;
    s.open(this.engine, b.host, {
      onMessage: (d, p, h) => this.onAnswer(s, b, d, p, h),
      // Requests the kernel refused after they were queued (batch engine): counted here, and timed out later like any unanswered request.
      onSendFailed: () => b.stats.sendFailed++,
      ready: (waiting) => waiting.forEach((d) => this.send(s, b, d)),
      // No socket (fd limit, say): every waiting request is a counted send failure.
      failed: (n) => {
        for (let i = 0; i < n; i++) this.sendFailed(s, b);
        this.clients.close(s, b);
      },
    });
    return s;
  }

  // ---------------- timers ----------------

  /** Timeouts, health, probes, drains (health.ts). */
  private sweep(): void {
    this.timerRuns.sweep++;
    this.health.sweep();
    this.held.expire(this.now());
  }

  /** Rates and latency windows, the front's kernel drops, idle sessions. */
  private tick(): void {
    this.timerRuns.tick++;
    const now = this.now();
    this.totals.tick(now, this.cluster.rows());
    if (this.sock && this.frontDropsAtStart !== null) {
      const d = kernelUdpDrops(this.sock.port);
      if (d !== null) this.front.kernelDrops = Math.max(0, d - this.frontDropsAtStart);
    }
    this.clients.evictIdle(this.cluster.all(), now, this.config.idle_evict_s * 1000);
  }

  /** A drained backend leaves: its sessions close, its counts stay in the totals. */
  private retire(b: Backend): void {
    this.clients.closeAll(b);
    this.totals.retire(b.stats);
  }

}

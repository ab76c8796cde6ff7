// Health: busy is not dead (README "Health"). The guest server answers in
// order, so over capacity its answers come back late, but they come back. The
// sweep (every <= 100 ms) times requests out (pending -> owed: their answer may
// still come), forgets owed ones known lost, and takes a backend out of
// rotation only after silence: no answer at all for timeout_ms with
// unhealthy_after timeouts in it. An unhealthy backend is probed; an answer
// to any recent probe, however late, brings it back. Draining takes a backend
// out for good once its in-flight requests are answered or timed out.
import type { Config } from "../config.ts";
import { decodeReply, encodeRequest, expectedReply, lateWindowMs } from "../protocol.ts";
import type { ServiceCheck } from "../protocol/service.ts";
import type { Store } from "../store.ts";
import { bindUdp, sourceAddressFor, type Udp } from "../net/udp.ts";
import type { Backend, Cluster } from "./cluster.ts";
import type { StatsRow } from "./stats.ts";

/** Probes remembered per backend for late answers (one is sent per max(timeout, probe interval) at most). */
const MAX_PROBES_KEPT = 64;

type LbConfig = Config["lb"];

export interface HealthOptions {
  config: LbConfig;
  /** Work scale of the backends: probe answers are checked with expectedReply(n, scale); without it (and without `check`) any 8-byte answer counts. */
  workScale?: number;
  /** The service check probe answers are held to (config service.check); wins over workScale. */
  check?: ServiceCheck;
  store?: Store;
  now: () => number;
  random: () => number;
  /** Probe answers that belong to no backend are counted here. */
  front: StatsRow;
  /** A drained backend leaves: close its sessions, keep its counts in the totals. */
  onRemove: (b: Backend) => void;
}

export class Health {
  private prober: Udp | null = null;
  private readonly config: LbConfig;

  constructor(
    private readonly cluster: Cluster,
    private readonly o: HealthOptions,
  ) {
    this.config = o.config;
  }

  /** How often sweep() should run: a fraction of the timeout, at most 100 ms, at least 10 ms. */
  get sweepMs(): number {
    return Math.max(10, Math.min(100, Math.floor(this.config.timeout_ms / 4), this.config.probe_interval_ms));
  }

  /** Bind the probe socket (node:dgram: a probe or two a second needs no batching), on the front's address family. */
  async start(listenHost: string): Promise<void> {
    // The wildcard of the front's family: probes go to loopback forwards and to guests on libvirt networks
    // alike (a loopback source could not reach those); the kernel picks the source per route.
    this.prober = await bindUdp({
      host: sourceAddressFor([], listenHost.includes(":")),
      port: 0,
      engine: "node",
      onMessage: (d, p, h) => this.onProbeAnswer(d, p, h),
    });
  }

  /** Every pending drain resolves (nothing is removed), the probe socket closes. */
  close(): void {
    for (const b of this.cluster.all()) this.finishDrain(b, false);
    this.prober?.close();
  }

  /** Timeouts, health, probes, drains. */
  sweep(): void {
    const now = this.o.now();
    const timeout = this.config.timeout_ms;
    const lateWindow = lateWindowMs(timeout);
    for (const b of this.cluster.all()) {
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
        b.stats.timedOut += expired;
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

  private markUnhealthy(b: Backend, now: number): void {
    b.lastProbeAt = -Infinity;
    this.cluster.setState(b, "unhealthy");
    const silent = Math.round(now - b.lastAnswerAt);
    this.o.store?.log(`lb: backend ${b.id} (${b.address}) out of rotation: no answer for ${silent} ms, ${b.consecutiveTimeouts} requests timed out meanwhile`, "warn");
  }

  private maybeProbe(b: Backend, now: number): void {
    const last = b.probes[b.probes.length - 1];
    if (last && now - last.sentAt < this.config.timeout_ms) return;
    if (now - b.lastProbeAt < this.config.probe_interval_ms) return;
    b.lastProbeAt = now;
    // Small n: the probe costs the backend almost nothing.
    const n = 1 + Math.floor(this.o.random() * 32);
    const scale = this.o.workScale;
    const check = this.o.check;
    // Earlier probes stay remembered: a busy backend answers them late, after this one left.
    const lateWindow = lateWindowMs(this.config.timeout_ms);
    while (b.probes.length > 0 && (b.probes.length >= MAX_PROBES_KEPT || now - b.probes[0]!.sentAt >= lateWindow)) b.probes.shift();
    // null: any 8-byte answer counts (service.check any, or no scale given).
    const expected = check ? check.expected(n) : scale === undefined ? null : expectedReply(n, scale);
    b.probes.push({ n, expected, sentAt: now });
    this.prober?.send(encodeRequest(n), b.port, b.host);
  }

  private onProbeAnswer(data: Uint8Array, port: number, host: string): void {
    let b: Backend | undefined;
    for (const x of this.cluster.all()) if (x.port === port && x.host === host && (!b || x.probes.length > 0)) b = x;
    if (!b || b.probes.length === 0) {
      this.o.front.drop("unsolicited");
      return;
    }
    const value = decodeReply(data);
    if (value === null) {
      b.stats.drop("backend_bad_size");
      return;
    }
    // A late answer to an earlier probe is as good as one to the newest: match
    // any recent probe (unchecked, any 8-byte answer takes the oldest).
    const i = b.probes.findIndex((p) => p.expected === null || p.expected === value);
    if (i < 0) {
      b.stats.drop("probe_wrong_answer");
      return;
    }
    const probe = b.probes.splice(i, 1)[0]!;
    b.lastAnswerAt = this.o.now();
    b.consecutiveTimeouts = 0;
    if (probe.sentAt > b.answeredUpTo) b.answeredUpTo = probe.sentAt;
    if (b.state === "unhealthy") {
      this.cluster.setState(b, "active");
      this.o.store?.log(`lb: backend ${b.id} (${b.address}) answered a probe: back in rotation`);
    }
  }

  // ---------------- draining ----------------

  /** No new requests to `b`; resolves once its in-flight requests are answered or timed out, or after lb.drain_timeout_s. */
  drain(b: Backend): Promise<void> {
    if (b.drain) return b.drain.promise;
    this.cluster.setState(b, "draining");
    let done!: () => void;
    const promise = new Promise<void>((r) => (done = r));
    b.drain = { deadline: this.o.now() + this.config.drain_timeout_s * 1000, done, promise };
    this.o.store?.log(`lb: backend ${b.id} draining (${b.stats.inFlight} in flight)`);
    this.checkDrain(b);
    return promise;
  }

  /** Re-added while draining: back in rotation, the drain resolves without removing it. */
  undrain(b: Backend): void {
    if (b.state !== "draining") return;
    this.cluster.setState(b, "active");
    this.finishDrain(b, false);
  }

  /** Remove `b` if its drain is over (the hot path calls this when its last in-flight request is answered). */
  checkDrain(b: Backend): void {
    if (!b.drain) return;
    if (b.stats.inFlight > 0 && this.o.now() < b.drain.deadline) return;
    this.finishDrain(b, true);
  }

  private finishDrain(b: Backend, remove: boolean): void {
    const d = b.drain;
    if (!d) return;
    b.drain = null;
    if (remove) {
      this.o.onRemove(b);
      this.cluster.remove(b);
      this.o.store?.log(`lb: backend ${b.id} removed`);
    }
    d.done();
  }
}

// The assignment's client, open loop: requests leave on schedule whether or
// not answers came back. A paced scheduler (timer every 10 ms) sends what is
// due since the rate was set, in a batch when the timer ran late, so high
// rates work with coarse timers. Requests go round robin over a pool of
// client sockets; answers are checked order-free (matcher.ts). Every rate
// change starts a phase; a request counts in the phase that sent it, so a
// phase's figures say how the group served that load. Named levels follow
// one VM's measured capacity (setCost, cost.ts) unless the config pins them.
// Answers are checked with the config's service check (protocol/service.ts);
// with `any` they are taken unchecked and counted as unverified. Without the
// balancer it spreads requests round robin over a server list of its own,
// which the assignment's FIFO commands change (+ IP PORT, - IP PORT, ...).
import type { Config } from "../config.ts";
import type { LoadPhaseView, LoadView } from "../events.ts";
import { LogHistogram, WindowedHistogram } from "../net/histogram.ts";
import { bindUdp, type Udp, type UdpEngine } from "../net/udp.ts";
import { encodeRequest, lateWindowMs, REPLY_BYTES } from "../protocol.ts";
import { serviceCheckOf, type ServiceCheck } from "../protocol/service.ts";
import { vmCapacityPerS, type RequestCost } from "./cost.ts";
import { AnswerMatcher, ExpectedCache, UnverifiedMatcher, type Matcher, type Pending } from "./matcher.ts";
import { parseRate, type Rate, type RateContext, type RateName } from "./rate.ts";

export interface Target {
  host: string;
  port: number;
}

export interface LoadGeneratorOptions {
  /** Where requests go: the balancer's front, or the first server of the list. */
  target: Target;
  /** More servers: requests go round robin over target and these (the assignment's client without a balancer). */
  servers?: Target[];
  /** The server list may change while it runs (addServer, the FIFO's + IP PORT): the sockets bind the wildcard address, not loopback. */
  serverList?: boolean;
  /** How answers are checked (default the config's service.check at `scale`). */
  check?: ServiceCheck;
  config: Config;
  rate: string;
  /** Work scale the answers are checked at (default config vm.work_scale, whose own default is the guest server's). */
  scale?: number;
  /** Client sockets in the pool (default 4). */
  sockets?: number;
  /** A request unanswered this long is timed out (default config lb.timeout_ms). */
  timeoutMs?: number;
  /** Request values, uniform in [nLow, nHigh] (default config req_num_low / req_num_high). */
  nLow?: number;
  nHigh?: number;
  engine?: UdpEngine;
  random?: () => number;
  /** One VM's measured request cost: low / mid / high are fractions of its capacity (cost.ts LEVELS). */
  cost?: RequestCost;
  /** The cost is being measured (setCost follows): until then a named level sends nothing. */
  awaitCost?: boolean;
}

export interface LoadViewExt extends LoadView {
  /** The first server ("none" with an empty list). */
  target: string;
  /** Every server requests go to, round robin. */
  servers: string[];
  /** The service check answers are held to (service.check). */
  check: string;
  /** Answers taken without a check (service.check any), in time or late: also in answered / late. */
  unverified: number;
  scale: number;
  /** Answers that matched a request that had timed out (right value, late). */
  late: number;
  /** Timed-out requests forgotten before the late window ended (more than MAX_REMEMBERED remembered); a later answer for one counts as wrong. */
  lateForgotten: number;
  inFlight: number;
  /** Answers that were not 8 bytes (also counted in wrong). */
  badSize: number;
  /** Requests the socket refused to send. */
  sendFailed: number;
  /** Requests skipped because the scheduler fell more than a second behind. */
  skipped: number;
  sentPerS: number;
  answeredPerS: number;
  p90Ms: number | null;
  elapsedS: number;
  /** Where the current rate comes from (a named level's basis), when it is a named level. */
  basis?: string;
  /** Requests per second one VM serves for this request mix (from the measured cost), null when not measured. */
  vmCapacityPerS: number | null;
  /** answered / sent over the run in %, null before anything was sent. */
  inTimePct: number | null;
  phases: LoadPhaseView[];
}

/** Phases kept for the view (the oldest are dropped beyond; their requests still count in the totals). */
const MAX_PHASES = 32;

interface Phase {
  phase: string;
  rate: string;
  perSecond: number;
  startedAt: number;
  endedAt: number | null;
  sent: number;
  answered: number;
  late: number;
  timedOut: number;
  wrong: number;
  hist: LogHistogram;
}

const PACE_MS = 10;
/** The scheduler never owes more than this much time's worth of requests (a stalled process does not burst). */
const MAX_BACKLOG_S = 1;

export class LoadGenerator {
  private readonly opts: LoadGeneratorOptions;
  private readonly scale: number;
  private readonly timeoutMs: number;
  private readonly nLow: number;
  private readonly nHigh: number;
  private readonly random: () => number;
  private readonly check: ServiceCheck;
  private readonly expected: ExpectedCache | null;
  private readonly matcher: Matcher;
  private socks: Udp[] = [];
  private nextSock = 0;
  private servers: Target[];
  private nextServer = 0;
  private readonly ipv6: boolean;
  private stopHooks: (() => void)[] = [];
  private rate: Rate;
  private rateBase = 0;
  private sentSinceBase = 0;
  private pace: ReturnType<typeof setInterval> | null = null;
  private second: ReturnType<typeof setInterval> | null = null;
  private startedAt = 0;
  private stopped = false;
  private stoppedAt = 0;
  private readonly window = new WindowedHistogram(10);
  private readonly whole = new LogHistogram();
  private readonly c = { sent: 0, answered: 0, wrong: 0, late: 0, timedOut: 0, badSize: 0, sendFailed: 0, skipped: 0, unverified: 0 };
  private lastSent = 0;
  private lastAnswered = 0;
  private lastTick = 0;
  private sentPerS = 0;
  private answeredPerS = 0;
  private readonly req = new Uint8Array(4);
  private readonly exp = { hi: 0, lo: 0 };
  private readonly lat: { ms: number; phase?: number } = { ms: 0 };
  private cost: RequestCost | undefined;
  private awaitCost: boolean;
  private costWaiters: ((c: RequestCost | undefined) => void)[] = [];
  private phases: Phase[] = [];
  /** Index (in the run) of phases[0]: the requests' phase tags count from the run's first phase. */
  private phaseBase = 0;
  private readonly onTimeout = (p: Pending) => {
    const ph = this.phaseAt(p.phase);
    if (ph) ph.timedOut++;
  };

  constructor(opts: LoadGeneratorOptions) {
    this.opts = opts;
    const cfg = opts.config;
    this.scale = opts.scale ?? cfg.vm.work_scale;
    this.timeoutMs = opts.timeoutMs ?? cfg.lb.timeout_ms;
    this.nLow = opts.nLow ?? cfg.req_num_low;
    this.nHigh = opts.nHigh ?? cfg.req_num_high;
    if (!(Number.isInteger(this.nLow) && Number.isInteger(this.nHigh) && this.nLow >= 0 && this.nHigh <= 0xffffffff && this.nLow <= this.nHigh))
      throw new Error(`load: request range [${this.nLow}, ${this.nHigh}] must be integers with 0 <= low <= high <= 4294967295`);
    if (!(Number.isInteger(this.scale) && this.scale >= 0)) throw new Error(`load: scale must be an integer >= 0, got ${this.scale}`);
    this.random = opts.random ?? Math.random;
    this.check = opts.check ?? serviceCheckOf(cfg, this.scale);
    const check = this.check;
    this.expected = check.verifies ? new ExpectedCache((n) => check.expected(n)!, this.nLow, this.nHigh) : null;
    this.matcher = check.verifies ? new AnswerMatcher() : new UnverifiedMatcher();
    this.servers = [opts.target, ...(opts.servers ?? [])];
    this.ipv6 = opts.target.host.includes(":");
    this.cost = opts.cost;
    this.awaitCost = Boolean(opts.awaitCost) && !opts.cost;
    this.rate = parseRate(opts.rate, cfg, this.rateContext());
    this.beginPhase(this.rate.label, 0);
  }

  private rateContext(): RateContext {
    const capacityPerS = this.capacity() ?? undefined;
    return { capacityPerS, pending: this.awaitCost };
  }

  private capacity(): number | null {
    return this.cost ? vmCapacityPerS(this.cost, { nLow: this.nLow, nHigh: this.nHigh, scale: this.scale }) : null;
  }

  /** One VM's request cost is known now (null: it could not be measured; named levels fall back, see rate.ts). */
  setCost(cost: RequestCost | null): void {
    this.cost = cost ?? undefined;
    this.awaitCost = false;
    // A named level follows the new capacity; the phase goes on (same load level, now at its real rate).
    if (this.rate.label === "low" || this.rate.label === "mid" || this.rate.label === "high") {
      this.rate = parseRate(this.rate.label, this.opts.config, this.rateContext());
      this.rateBase = performance.now();
      this.sentSinceBase = 0;
      const cur = this.phases.at(-1);
      if (cur) cur.perSecond = this.rate.perSecond;
    }
    for (const w of this.costWaiters.splice(0)) w(this.cost);
  }

  get requestCost(): RequestCost | undefined {
    return this.cost;
  }

  /** Resolves once setCost was called (at once when the cost is known or not awaited). */
  whenCost(): Promise<RequestCost | undefined> {
    if (!this.awaitCost) return Promise.resolve(this.cost);
    return new Promise((r) => this.costWaiters.push(r));
  }

  async start(): Promise<void> {
    if (this.socks.length) throw new Error("load generator already started");
    const n = Math.max(1, Math.min(64, this.opts.sockets ?? 4));
    // Loopback when every server is (tests, the balancer's front); a server elsewhere (a VM on libvirt's network) needs the wildcard.
    const local = !this.opts.serverList && this.servers.every((t) => isLoopback(t.host));
    const host = this.ipv6 ? (local ? "::1" : "::") : local ? "127.0.0.1" : "0.0.0.0";
    for (let i = 0; i < n; i++)
      this.socks.push(
        await bindUdp({
          host,
          port: 0,
          engine: this.opts.engine,
          bufferBytes: 1 << 20,
          onMessage: (d) => this.onAnswer(d),
          // The batch engine hands datagrams to the kernel after send() returned: one it refuses is counted here (and times out).
          onSendFailed: () => this.c.sendFailed++,
        }),
      );
    this.startedAt = this.lastTick = performance.now();
    this.rateBase = this.startedAt;
    this.sentSinceBase = 0;
    this.pace = setInterval(() => this.paceTick(), PACE_MS);
    this.second = setInterval(() => this.secondTick(), 1000);
    this.paceTick();
  }

  /** Change the rate; a new phase starts (named `phase`, else the rate's label) unless it is the same phase at the same rate. */
  setRate(rate: RateName | string, phase?: string): void {
    const next = parseRate(rate, this.opts.config, this.rateContext());
    const now = performance.now();
    const name = phase ?? next.label;
    const cur = this.phases.at(-1);
    if (!cur || cur.phase !== name || cur.rate !== next.label) this.beginPhase(name, now, next);
    else cur.perSecond = next.perSecond;
    this.rate = next;
    this.rateBase = now;
    this.sentSinceBase = 0;
    this.paceTick();
  }

  private beginPhase(name: string, now: number, rate: Rate = this.rate): void {
    const cur = this.phases.at(-1);
    // A phase that saw nothing (off, pending, set and changed at once) is replaced, not listed.
    if (cur && cur.sent === 0 && cur.wrong === 0) this.phases.pop();
    else if (cur) cur.endedAt = now;
    this.phases.push({ phase: name, rate: rate.label, perSecond: rate.perSecond, startedAt: now, endedAt: null, sent: 0, answered: 0, late: 0, timedOut: 0, wrong: 0, hist: new LogHistogram() });
    if (this.phases.length > MAX_PHASES) {
      this.phases.shift();
      this.phaseBase++;
    }
  }

  /** The phase a request's tag names, undefined when it was dropped from the view. */
  private phaseAt(tag: number | undefined): Phase | undefined {
    return tag === undefined ? undefined : this.phases[tag - this.phaseBase];
  }

  private phaseViews(now: number): LoadPhaseView[] {
    const t0 = this.startedAt;
    const ms = (h: LogHistogram, q: number) => {
      const v = h.quantile(q);
      return v === null ? null : Math.round(v) / 1000;
    };
    const s = (t: number) => Math.round((Math.max(t, t0) - t0) / 100) / 10;
    return this.phases
      .filter((p) => p.sent > 0 || p.wrong > 0 || p === this.phases.at(-1))
      .map((p) => ({
        phase: p.phase,
        rate: p.rate,
        perSecond: p.perSecond,
        startS: t0 ? s(p.startedAt) : 0,
        durationS: t0 ? Math.round((Math.max(p.endedAt ?? now, t0) - Math.max(p.startedAt, t0)) / 100) / 10 : 0,
        sent: p.sent,
        answered: p.answered,
        late: p.late,
        timedOut: p.timedOut,
        wrong: p.wrong,
        inFlight: Math.max(0, p.sent - p.answered - p.timedOut),
        inTimePct: p.sent ? Math.round((p.answered / p.sent) * 1000) / 10 : null,
        p50Ms: ms(p.hist, 0.5),
        p99Ms: ms(p.hist, 0.99),
      }));
  }

  get currentRate(): Rate {
    return this.rate;
  }

  get config(): Config {
    return this.opts.config;
  }

  get serviceCheck(): ServiceCheck {
    return this.check;
  }

  /** The servers requests go to, round robin. */
  get serverList(): readonly Target[] {
    return this.servers;
  }

  /** Add a server (false when it is in the list already). */
  addServer(t: Target): boolean {
    if (t.host.includes(":") !== this.ipv6) throw new Error(`load: ${formatTarget(t)}: the generator's sockets are ${this.ipv6 ? "IPv6" : "IPv4"}`);
    if (this.servers.some((s) => sameTarget(s, t))) return false;
    this.servers.push({ host: t.host, port: t.port });
    return true;
  }

  /** Remove a server (false when it was not in the list). Requests to it still outstanding are answered or time out as usual. */
  removeServer(t: Target): boolean {
    const i = this.servers.findIndex((s) => sameTarget(s, t));
    if (i < 0) return false;
    this.servers.splice(i, 1);
    return true;
  }

  /** Replace the list (an empty one sends nothing until a server is added). */
  setServers(list: readonly Target[]): void {
    const next: Target[] = [];
    for (const t of list) {
      if (t.host.includes(":") !== this.ipv6) throw new Error(`load: ${formatTarget(t)}: the generator's sockets are ${this.ipv6 ? "IPv6" : "IPv4"}`);
      if (!next.some((s) => sameTarget(s, t))) next.push({ host: t.host, port: t.port });
    }
    this.servers = next;
  }

  /** Run `fn` once the generator has stopped (a FIFO reader's close, say). */
  onStop(fn: () => void): void {
    if (this.stopped && this.stoppedAt) fn();
    else this.stopHooks.push(fn);
  }

  view(): LoadViewExt {
    return this.build(this.window.percentilesMs());
  }

  /** Stop sending, wait for outstanding answers (at most the timeout), close; the whole run's figures. */
  async stop(): Promise<LoadViewExt> {
    if (!this.stopped) {
      this.stopped = true;
      if (this.pace) clearInterval(this.pace);
      const deadline = performance.now() + this.timeoutMs;
      while (this.matcher.outstanding > 0 && performance.now() < deadline && this.socks.length) await new Promise((r) => setTimeout(r, 10));
      this.sweep(performance.now(), true);
      if (this.second) clearInterval(this.second);
      this.secondTick();
      for (const s of this.socks) s.close();
      this.stoppedAt = performance.now();
      const cur = this.phases.at(-1);
      if (cur) cur.endedAt = this.stoppedAt;
      for (const f of this.stopHooks.splice(0)) {
        try {
          f();
        } catch {
          /* a hook's failure must not lose the run's figures */
        }
      }
    }
    const q = (x: number) => {
      const v = this.whole.quantile(x);
      return v === null ? null : Math.round(v) / 1000;
    };
    const v = this.build({ p50Ms: q(0.5), p90Ms: q(0.9), p99Ms: q(0.99) });
    // The summary's rates are whole-run averages.
    const s = v.elapsedS > 0 ? v.elapsedS : 1;
    v.sentPerS = Math.round(v.sent / s);
    v.answeredPerS = Math.round(v.answered / s);
    return v;
  }

  private build(p: { p50Ms: number | null; p90Ms: number | null; p99Ms: number | null }): LoadViewExt {
    const t = this.servers[0];
    return {
      rate: this.rate.label,
      perSecond: this.rate.perSecond,
      sent: this.c.sent,
      answered: this.c.answered,
      wrong: this.c.wrong,
      timedOut: this.c.timedOut,
      p50Ms: p.p50Ms,
      p99Ms: p.p99Ms,
      p90Ms: p.p90Ms,
      target: t ? formatTarget(t) : "none",
      servers: this.servers.map(formatTarget),
      check: this.check.name,
      unverified: this.c.unverified,
      scale: this.scale,
      late: this.c.late,
      lateForgotten: this.matcher.forgotten,
      inFlight: this.matcher.outstanding,
      badSize: this.c.badSize,
      sendFailed: this.c.sendFailed,
      skipped: this.c.skipped,
      sentPerS: this.sentPerS,
      answeredPerS: this.answeredPerS,
      elapsedS: this.startedAt ? Math.round(((this.stoppedAt || performance.now()) - this.startedAt) / 100) / 10 : 0,
      basis: this.rate.basis,
      vmCapacityPerS: this.capacity(),
      inTimePct: this.c.sent ? Math.round((this.c.answered / this.c.sent) * 1000) / 10 : null,
      phases: this.phaseViews(this.stoppedAt || performance.now()),
    };
  }

  private paceTick(): void {
    if (this.stopped || !this.socks.length) return;
    const now = performance.now();
    const perS = this.rate.perSecond;
    if (this.servers.length === 0) {
      // Nowhere to send (clear_servers): nothing is owed meanwhile, the first request leaves once a server is added.
      this.rateBase = now;
      this.sentSinceBase = 0;
    } else if (perS > 0) {
      // The first request leaves at once, then one every 1/rate seconds.
      let due = Math.floor(((now - this.rateBase) / 1000) * perS) + 1 - this.sentSinceBase;
      const cap = Math.max(1, Math.ceil(perS * MAX_BACKLOG_S));
      if (due > cap) {
        this.c.skipped += due - cap;
        this.sentSinceBase += due - cap;
        due = cap;
      }
      for (let i = 0; i < due; i++) this.sendOne(now);
      this.sentSinceBase += Math.max(0, due);
    }
    this.sweep(now, false);
  }

  private sendOne(now: number): void {
    const span = this.nHigh - this.nLow + 1;
    const n = this.nLow + Math.floor(this.random() * span);
    if (this.expected) this.expected.get(n, this.exp);
    const sock = this.socks[this.nextSock++ % this.socks.length]!;
    const target = this.servers[this.nextServer++ % this.servers.length]!;
    encodeRequest(n, this.req);
    const phase = this.phases.at(-1)!;
    const p: Pending = { hi: this.exp.hi, lo: this.exp.lo, sentAt: now, state: 0, phase: this.phaseBase + this.phases.length - 1 };
    this.matcher.add(p);
    this.c.sent++;
    phase.sent++;
    if (!sock.send(this.req, target.port, target.host)) {
      this.c.sendFailed++;
      // Not on the wire: it can neither be answered nor time out.
      this.matcher.cancel(p);
      this.c.sent--;
      phase.sent--;
    }
  }

  private onAnswer(d: Uint8Array): void {
    if (d.byteLength !== REPLY_BYTES) {
      this.c.badSize++;
      this.c.wrong++;
      this.phases.at(-1)!.wrong++;
      return;
    }
    const hi = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
    const lo = ((d[4]! << 24) | (d[5]! << 16) | (d[6]! << 8) | d[7]!) >>> 0;
    const r = this.matcher.match(hi, lo, performance.now(), this.lat);
    if (r !== "wrong" && !this.check.verifies) this.c.unverified++;
    if (r === "answered") {
      this.c.answered++;
      const us = this.lat.ms * 1000;
      this.window.record(us);
      this.whole.record(us);
      const ph = this.phaseAt(this.lat.phase);
      if (ph) {
        ph.answered++;
        ph.hist.record(us);
      }
    } else if (r === "late") {
      this.c.late++;
      const ph = this.phaseAt(this.lat.phase);
      if (ph) ph.late++;
    } else {
      this.c.wrong++;
      // A wrong answer matches no request: it counts in the phase it arrived in.
      this.phases.at(-1)!.wrong++;
    }
  }

  private sweep(now: number, final: boolean): void {
    // Timed-out requests are remembered long after (an overloaded guest's FIFO
    // queue answers seconds late, in order) so a late answer is never taken for
    // a wrong one; matcher.ts bounds the memory (MAX_REMEMBERED, oldest forgotten).
    this.c.timedOut += this.matcher.sweep(final ? Infinity : now, this.timeoutMs, lateWindowMs(this.timeoutMs), this.onTimeout);
  }

  private secondTick(): void {
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    if (dt > 0) {
      this.sentPerS = Math.round((this.c.sent - this.lastSent) / dt);
      this.answeredPerS = Math.round((this.c.answered - this.lastAnswered) / dt);
    }
    this.lastSent = this.c.sent;
    this.lastAnswered = this.c.answered;
    this.lastTick = now;
    this.window.tick();
  }
}

function isLoopback(host: string): boolean {
  return host.startsWith("127.") || host === "::1" || host === "localhost";
}

function sameTarget(a: Target, b: Target): boolean {
  return a.port === b.port && a.host === b.host;
}

export function formatTarget(t: Target): string {
  return t.host.includes(":") ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

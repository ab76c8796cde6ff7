// The assignment's client, open loop: requests leave on schedule whether or
// not answers came back (pacer.ts). Requests go round robin over a pool of
// client sockets and over the servers (servers.ts: the balancer's front, or
// without the balancer a list of its own, which the assignment's FIFO
// commands change: + IP PORT, - IP PORT, ...); answers are checked
// order-free (matcher.ts) with the config's service check
// (protocol/service.ts; with `any` they are taken unchecked and counted as
// unverified). Every rate change starts a phase (phases.ts); the run's
// figures are in figures.ts. Named levels follow one VM's measured capacity
// (setCost, cost.ts) unless the config pins them. This file ties them
// together: the options, the sockets, a send, an answer, start and stop.
import type { Config } from "../config.ts";
import { bindUdp, sourceAddressFor, type Udp, type UdpEngine } from "../net/udp.ts";
import { encodeRequest, lateWindowMs, REPLY_BYTES } from "../protocol.ts";
import { serviceCheckOf, type ServiceCheck } from "../protocol/service.ts";
import { vmCapacityPerS, type RequestCost } from "./cost.ts";
import { Figures, type LoadViewExt, type Percentiles } from "./figures.ts";
import { AnswerMatcher, ExpectedCache, UnverifiedMatcher, type Matcher, type Pending } from "./matcher.ts";
import { Pacer } from "./pacer.ts";
import { Phases } from "./phases.ts";
import { parseRate, type Rate, type RateContext, type RateName } from "./rate.ts";
import { formatTarget, ServerList, type Target } from "./servers.ts";

export type { LoadViewExt } from "./figures.ts";
export { formatTarget, type Target } from "./servers.ts";

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
  private readonly servers: ServerList;
  private stopHooks: (() => void)[] = [];
  private rate: Rate;
  private readonly pacer = new Pacer();
  private second: ReturnType<typeof setInterval> | null = null;
  private startedAt = 0;
  private stopped = false;
  private stoppedAt = 0;
  private readonly figures = new Figures();
  private readonly c = this.figures.c;
  private readonly req = new Uint8Array(4);
  private readonly exp = { hi: 0, lo: 0 };
  private readonly lat: { ms: number; phase?: number } = { ms: 0 };
  private cost: RequestCost | undefined;
  private awaitCost: boolean;
  private costWaiters: ((c: RequestCost | undefined) => void)[] = [];
  private readonly phases = new Phases();
  private readonly onTimeout = (p: Pending) => {
    const ph = this.phases.at(p.phase);
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
    this.servers = new ServerList(opts.target, opts.servers);
    this.cost = opts.cost;
    this.awaitCost = Boolean(opts.awaitCost) && !opts.cost;
    this.rate = parseRate(opts.rate, cfg, this.rateContext());
    this.phases.begin(this.rate.label, 0, this.rate);
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
      this.pacer.restart(performance.now());
      const cur = this.phases.current();
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
    // Loopback when every server is (tests, the balancer's front); a server elsewhere (a VM on a libvirt
    // network), or a list that may grow while it runs, needs the wildcard (a loopback source cannot leave).
    const host = sourceAddressFor(this.opts.serverList ? [] : this.servers.items.map((t) => t.host), this.servers.ipv6);
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
    this.startedAt = performance.now();
    this.figures.start(this.startedAt);
    this.pacer.restart(this.startedAt);
    this.pacer.start(() => this.paceTick());
    this.second = setInterval(() => this.figures.tick(), 1000);
    this.paceTick();
  }

  /** Change the rate; a new phase starts (named `phase`, else the rate's label) unless it is the same phase at the same rate. */
  setRate(rate: RateName | string, phase?: string): void {
    const next = parseRate(rate, this.opts.config, this.rateContext());
    const now = performance.now();
    const name = phase ?? next.label;
    const cur = this.phases.current();
    if (!cur || cur.phase !== name || cur.rate !== next.label) this.phases.begin(name, now, next);
    else cur.perSecond = next.perSecond;
    this.rate = next;
    this.pacer.restart(now);
    this.paceTick();
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
    return this.servers.items;
  }

  /** Add a server (false when it is in the list already). */
  addServer(t: Target): boolean {
    return this.servers.add(t);
  }

  /** Remove a server (false when it was not in the list). Requests to it still outstanding are answered or time out as usual. */
  removeServer(t: Target): boolean {
    return this.servers.remove(t);
  }

  /** Replace the list (an empty one sends nothing until a server is added). */
  setServers(list: readonly Target[]): void {
    this.servers.set(list);
  }

  /** Run `fn` once the generator has stopped (a FIFO reader's close, say). */
  onStop(fn: () => void): void {
    if (this.stopped && this.stoppedAt) fn();
    else this.stopHooks.push(fn);
  }

  view(): LoadViewExt {
    return this.build(this.figures.recent());
  }

  /** Stop sending, wait for outstanding answers (at most the timeout), close; the whole run's figures. */
  async stop(): Promise<LoadViewExt> {
    if (!this.stopped) {
      this.stopped = true;
      this.pacer.stop();
      const deadline = performance.now() + this.timeoutMs;
      while (this.matcher.outstanding > 0 && performance.now() < deadline && this.socks.length) await new Promise((r) => setTimeout(r, 10));
      this.sweep(performance.now(), true);
      if (this.second) clearInterval(this.second);
      this.figures.tick();
      for (const s of this.socks) s.close();
      this.stoppedAt = performance.now();
      const cur = this.phases.current();
      if (cur) cur.endedAt = this.stoppedAt;
      for (const f of this.stopHooks.splice(0)) {
        try {
          f();
        } catch {
          /* a hook's failure must not lose the run's figures */
        }
      }
    }
    const v = this.build(this.figures.overall());
    // The summary's rates are whole-run averages.
    const s = v.elapsedS > 0 ? v.elapsedS : 1;
    v.sentPerS = Math.round(v.sent / s);
    v.answeredPerS = Math.round(v.answered / s);
    return v;
  }

  private build(p: Percentiles): LoadViewExt {
    const t = this.servers.items[0];
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
      servers: this.servers.items.map(formatTarget),
      check: this.check.name,
      unverified: this.c.unverified,
      scale: this.scale,
      late: this.c.late,
      lateForgotten: this.matcher.forgotten,
      inFlight: this.matcher.outstanding,
      badSize: this.c.badSize,
      sendFailed: this.c.sendFailed,
      skipped: this.pacer.skipped,
      sentPerS: this.figures.sentPerS,
      answeredPerS: this.figures.answeredPerS,
      elapsedS: this.startedAt ? Math.round(((this.stoppedAt || performance.now()) - this.startedAt) / 100) / 10 : 0,
      basis: this.rate.basis,
      vmCapacityPerS: this.capacity(),
      inTimePct: this.c.sent ? Math.round((this.c.answered / this.c.sent) * 1000) / 10 : null,
      phases: this.phases.views(this.stoppedAt || performance.now(), this.startedAt),
    };
  }

  private paceTick(): void {
    if (this.stopped || !this.socks.length) return;
    const now = performance.now();
    const perS = this.rate.perSecond;
    if (this.servers.length === 0) {
      // Nowhere to send (clear_servers): nothing is owed meanwhile, the first request leaves once a server is added.
      this.pacer.restart(now);
    } else if (perS > 0) {
      const due = this.pacer.due(now, perS);
      for (let i = 0; i < due; i++) this.sendOne(now);
    }
    this.sweep(now, false);
  }

  private sendOne(now: number): void {
    const span = this.nHigh - this.nLow + 1;
    const n = this.nLow + Math.floor(this.random() * span);
    if (this.expected) this.expected.get(n, this.exp);
    const sock = this.socks[this.nextSock++ % this.socks.length]!;
    const target = this.servers.next();
    encodeRequest(n, this.req);
    const phase = this.phases.current()!;
    const p: Pending = { hi: this.exp.hi, lo: this.exp.lo, sentAt: now, state: 0, phase: this.phases.tag };
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
      this.phases.current()!.wrong++;
      return;
    }
    const hi = ((d[0]! << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
    const lo = ((d[4]! << 24) | (d[5]! << 16) | (d[6]! << 8) | d[7]!) >>> 0;
    const r = this.matcher.match(hi, lo, performance.now(), this.lat);
    if (r !== "wrong" && !this.check.verifies) this.c.unverified++;
    if (r === "answered") {
      this.c.answered++;
      const us = this.lat.ms * 1000;
      this.figures.record(us);
      const ph = this.phases.at(this.lat.phase);
      if (ph) {
        ph.answered++;
        ph.hist.record(us);
      }
    } else if (r === "late") {
      this.c.late++;
      const ph = this.phases.at(this.lat.phase);
      if (ph) ph.late++;
    } else {
      this.c.wrong++;
      // A wrong answer matches no request: it counts in the phase it arrived in.
      this.phases.current()!.wrong++;
    }
  }

  private sweep(now: number, final: boolean): void {
    // Timed-out requests are remembered long after (an overloaded guest's FIFO
    // queue answers seconds late, in order) so a late answer is never taken for
    // a wrong one; matcher.ts bounds the memory (MAX_REMEMBERED, oldest forgotten).
    this.c.timedOut += this.matcher.sweep(final ? Infinity : now, this.timeoutMs, lateWindowMs(this.timeoutMs), this.onTimeout);
  }
}

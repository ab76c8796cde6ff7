// The group: monitor -> policy -> actuator, once per period, and the state the
// dashboard, --json and the API see (ScalerView, scale events, commands).
//
// Each step: read one bulk sample; take VMs that died (libvirt state known
// and not running) or that the balancer marked unhealthy for too long out of
// the balancer at once and drop them (reconcile replaces them); ask the pure
// policy; reconcile the group to the desired size (launch or retire); keep the
// warm pool filled; publish. Ownership: at start the group adopts the running
// VMs and the warm pool it owns (VmManager.listOwned, our <metadata>), so a
// restarted virtscale starts nothing twice and touches nothing it does not own.
//
// Death is seen at once: libvirt's lifecycle events (GroupOptions.events,
// ffi DomainEvents) take a member that stopped or crashed out of the balancer
// when libvirt says so and start its replacement then; the sample's state is
// the fallback (no events on this driver, or the event connection down).
//
// The data plane never dies with the control plane: every libvirt call of a
// step runs on a worker thread, a step never throws (a failure is logged once
// per distinct error, the next step waits longer: exponential, capped), and a
// libvirt that cannot be reached leaves every member as it is, serving.
import type { Config } from "../config.ts";
import type { ScalerView } from "../events.ts";
import type { Store } from "../store.ts";
import { Actuator, type LaunchRecord, type Member } from "./actuator.ts";
import { Monitor, type ConnectFn, type MonitorSample } from "./monitor.ts";
import { clamp, decide, policyConfigFrom, servingAverage, type Decision, type GroupState, type PolicyConfig } from "./policy.ts";
import type { BalancerOps, ConnectionEventLike, LifecycleEventLike, LifecycleSource, VmOps } from "./ports.ts";
import { markStale } from "../vm/operations.ts";
import { HostCapacity } from "./capacity.ts";
import { InFlightSampler } from "./concurrency.ts";
import { historyNeededS } from "./policy.ts";
import { describeOperation } from "../store.ts";
import { errorMessage } from "../errors.ts";
import { hasPool, nextFill, poolSizes, retireTier, type PoolSizes } from "./pool.ts";
import { IdleClock } from "./idle.ts";
import { LaunchBackoff } from "./backoff.ts";

/** Longest wait between two steps while steps keep failing (ms). */
const LOOP_BACKOFF_MAX_MS = 30_000;

/**
 * The lifecycle events that mean a VM is gone, whoever did it: destroyed,
 * QEMU died (kill -9: "failed"), the guest crashed, or shut itself down.
 * Saved, migrated, restored from a snapshot: someone's operation, which the
 * sample path judges with the operation registry (busy, not dead).
 */
function deathOf(ev: LifecycleEventLike): string | null {
  if (ev.type === "stopped" && ["destroyed", "failed", "crashed", "shutdown"].includes(ev.detailName)) return `stopped (${ev.detailName})`;
  if (ev.type === "crashed") return `crashed (${ev.detailName})`;
  if (ev.type === "shutdown" && ev.detailName === "finished") return "shut down by its guest";
  return null;
}

export interface GroupOptions {
  config: Config;
  store: Store;
  balancer: BalancerOps;
  vms: VmOps;
  /** Opens the monitor's libvirt connection (ffi Connection.open(uri), or a wrapper that injects failures). */
  connect: ConnectFn;
  /** Group name in our metadata: VMs of other groups are not adopted. */
  group?: string;
  now?: () => number;
  /** A backend the balancer marks unhealthy this long, with no answer at all meanwhile, is replaced (ms). */
  unhealthyGraceMs?: number;
  /** Wait this long after a failed launch before the next one (ms); a launch that keeps failing the same way waits twice as long each time (backoff.ts), up to launchBackoffMaxMs. */
  launchRetryMs?: number;
  /** The longest wait between launches that keep failing the same way (ms; default 60 s). */
  launchBackoffMaxMs?: number;
  shutdownTimeoutMs?: number;
  /** Emit a store tick after every step (the --json writer and SSE read ticks). */
  tick?: boolean;
  /** Do not run steps on a timer: the caller calls step() (tests). */
  manual?: boolean;
  /** How often to look for running VMs of our group that the group does not track (ms; default 10 s). */
  orphanCheckMs?: number;
  /** Subscribes to libvirt's lifecycle events (ffi DomainEvents.open(uri)); without it, or when it fails, deaths are seen by the sample only. */
  events?: () => Promise<LifecycleSource>;
  /** Marks a VM the group adopts as this process's (the lease's owner mark, src/scaler/lease.ts); it reports its own failures. */
  claim?: (name: string) => void;
}

/** At the end of a run, how long a VM under an operation of this process (a snapshot, say) is waited for before it is left. */
const END_OPERATION_WAIT_MS = 60_000;

export interface GroupSummary {
  launches: LaunchRecord[];
  scaleEvents: { ts: number; action: "out" | "in"; from: number; to: number; reason: string }[];
  replaced: number;
  adopted: string[];
  removed: string[];
  left: string[];
  /** Why each VM in `left` is still there (kept with --keep, halted by a snapshot, under another process's operation, a removal that failed). */
  leftReasons: Record<string, string>;
}

export class Group {
  readonly monitor: Monitor;
  readonly actuator: Actuator;
  private pc: PolicyConfig;
  private readonly now: () => number;
  private desired: number;
  private lastScaleAt: number | null = null;
  private servingChangedAt: number | null = null;
  private paused: boolean;
  private lastDecision?: Decision & { ts: number; current: number };
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ops = new Set<Promise<unknown>>();
  /** Launches and pool refills that keep failing the same way wait longer each time (a crash loop backs off). */
  private readonly launchBackoff: LaunchBackoff;
  private readonly fillBackoff: LaunchBackoff;
  private filling = 0;
  private stopped = false;
  private servingNames = "";
  private lastOrphanCheck = 0;
  /** The step running now (steps never overlap; step() during one returns it). */
  private stepping: Promise<Decision | undefined> | null = null;
  /** Steps failed in a row, and the last failure's message (logged once per distinct message). */
  private stepFailures = 0;
  private stepError: string | null = null;
  private events: LifecycleSource | null = null;
  private unsubscribe: (() => void)[] = [];
  private libvirtLostAt: number | null = null;
  /** The host's capacity, and how pool refills run beside the serving VMs (capacity.ts). */
  readonly host: HostCapacity;
  /** The balancer's requests in flight per backend, read every 100 ms: the concurrency policy's input (concurrency.ts). */
  private readonly inFlight: InFlightSampler;
  /** Why the due pool refill waits (null: none waits). */
  private refillWaiting: string | null = null;
  /** The desired size a launch was last held back at by the host's capacity (logged once per size). */
  private refusedAt: number | null = null;
  private procWatches = new Map<string, { pid: number; stop: () => void }>();
  /** Members taken out because their QEMU process ended: which pid it was (a new one running means it came back). */
  private endedPid = new Map<string, number>();
  private procWatchFailed = false;
  /** Members that left the group halted by a snapshot: restored and adopted again, they are the last to go at scale-in (the user brought them back). */
  private halted = new Set<string>();
  private restored = new Set<string>();
  /** The pool tier sizes (pool.ts), the idle clock (scale to zero), per-restore join choices of the API (by save image path). */
  private readonly sizes: PoolSizes;
  private readonly idle: IdleClock;
  private readonly restoreJoin = new Map<string, boolean>();
  readonly summary: GroupSummary = { launches: [], scaleEvents: [], replaced: 0, adopted: [], removed: [], left: [], leftReasons: {} };

  constructor(private readonly o: GroupOptions) {
    this.now = o.now ?? (() => Date.now());
    this.pc = policyConfigFrom(o.config);
    this.desired = this.pc.min;
    this.paused = o.config.scaler.paused;
    const backoff = { baseMs: o.launchRetryMs ?? 3000, maxMs: Math.max(o.launchRetryMs ?? 3000, o.launchBackoffMaxMs ?? 60_000) };
    this.launchBackoff = new LaunchBackoff(backoff);
    this.fillBackoff = new LaunchBackoff(backoff);
    this.actuator = new Actuator({
      vms: o.vms,
      balancer: o.balancer,
      config: o.config,
      store: o.store,
      now: this.now,
      knownDomains: () => this.monitor.allDomains,
      shutdownTimeoutMs: o.shutdownTimeoutMs,
      changed: () => this.publish(),
      weights: () => this.host.refillShares,
      // A repeat of the last failure is said by the backoff's step line alone.
      quietFailure: (name, message) => this.launchBackoff.isRepeat(message, name) || this.fillBackoff.isRepeat(message, name),
    });
    this.summary.launches = this.actuator.launches;
    const sc = o.config.scaler;
    this.host = new HostCapacity(
      { overcommit: sc.overcommit, reserveCores: sc.reserve_cores, vcpusPerVm: o.config.vm.vcpus, memoryMiBPerVm: o.config.vm.memory_mib, refillWeight: sc.refill_weight },
      { canWeigh: typeof o.vms.cpuShares === "function" && typeof o.vms.setCpuShares === "function" },
    );
    this.inFlight = new InFlightSampler(() => o.balancer.backends());
    this.sizes = poolSizes(o.config, this.actuator.canPause);
    this.actuator.setPoolWanted(hasPool(this.sizes));
    this.idle = new IdleClock(this.now());
    const windowMs = 1000 * historyNeededS(this.pc);
    this.monitor = new Monitor({
      connect: o.connect,
      members: () =>
        [...this.actuator.members.values()].map((m) => ({ name: m.name, role: m.role, address: m.address ? `${m.address.host}:${m.address.port}` : undefined })),
      historyMs: windowMs + 3 * o.config.scaler.period_s * 1000,
      store: o.store,
      now: this.now,
      lb: () => this.inFlight.take(),
    });
    this.registerCommands();
  }

  /** Watch libvirt's events, adopt what we own, then run one step per period. */
  async start(): Promise<void> {
    if ((this.o.config.scaler.pool?.hot ?? 0) > 0 && this.sizes.hot === 0 && this.o.config.scaler.source !== "predefined")
      this.o.store.log("scaler.pool.hot: this VM layer cannot pause VMs: no hot tier", "warn");
    // A request that finds no VM is held by the balancer, which tells us at once (scale from zero).
    this.o.balancer.onDemand?.(() => this.guard("demand with no backend", () => this.onDemand()));
    this.unsubscribe.push(
      this.o.store.subscribe((ev) => {
        if (ev.type === "snapshot" && ev.action === "restore" && ev.status === "done") this.guard("restored VM", () => this.onRestored(ev.name, ev.path));
      }),
    );
    await this.watchEvents();
    await this.adopt();
    this.lastOrphanCheck = this.now();
    await this.monitor.sample(); // the first sample only primes the CPU deltas and the domain list
    this.publish();
    if (this.o.manual) return;
    this.syncSampler();
    this.schedule(this.o.config.scaler.period_s * 1000);
  }

  /** Whether lifecycle events arrive (false: not asked for, refused, or their connection is down). */
  get watchingEvents(): boolean {
    return this.events !== null && this.libvirtLostAt === null;
  }

  /**
   * One period's work; public so tests can drive it sample by sample. Never
   * rejects: a failure is logged (once per distinct message) and makes the
   * timer wait longer before the next step. A call during a step returns that step.
   */
  step(): Promise<Decision | undefined> {
    this.stepping ??= this.guardedStep().finally(() => (this.stepping = null));
    return this.stepping;
  }

  private async guardedStep(): Promise<Decision | undefined> {
    try {
      const d = await this.stepBody();
      if (this.stepFailures > 0) this.o.store.log(`scaler: control loop works again after ${this.stepFailures} failed step(s)`);
      this.stepFailures = 0;
      this.stepError = null;
      return d;
    } catch (e) {
      this.stepFailures++;
      const msg = errorMessage(e);
      if (msg !== this.stepError) {
        this.o.store.error("scaler: control step failed (the balancer keeps serving; retrying with backoff)", e);
        this.stepError = msg;
      }
      return undefined;
    }
  }

  /** The timer: the next step after `ms`; while steps fail, period × 2^failures, capped. */
  private schedule(ms: number): void {
    if (this.stopped || this.o.manual) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.step().then(() => {
        const period = this.o.config.scaler.period_s * 1000;
        this.schedule(this.stepFailures ? Math.min(period * 2 ** this.stepFailures, Math.max(period, LOOP_BACKOFF_MAX_MS)) : period);
      });
    }, ms);
  }

  private async stepBody(): Promise<Decision | undefined> {
    const sample = await this.monitor.sample();
    if (this.stopped) return undefined;
    this.reapDead(sample);
    await this.readCapacity();
    if (this.stopped) return undefined;
    let d: Decision | undefined;
    const now = this.now();
    this.idle.observe(this.o.balancer.backends(), now);
    const state = this.groupState();
    if (!this.paused) {
      d = decide(this.monitor.history(), state, this.pc, now);
      this.lastDecision = { ...d, ts: now, current: state.serving };
      if (d.action !== "none" && d.desired !== this.desired) this.scaleTo(d.desired, d.reason, d.action);
    } else {
      const last = this.monitor.history().at(-1);
      const avgCpu = last ? servingAverage(last) : null;
      this.lastDecision = { desired: this.desired, reason: "paused", action: "none", avgCpu, windowRemainingS: null, ts: now, current: state.serving };
    }
    if (sample.ok && now - this.lastOrphanCheck >= (this.o.orphanCheckMs ?? 10_000)) {
      this.lastOrphanCheck = now;
      this.sweepOrphans();
    }
    this.reconcile();
    this.publish();
    return d;
  }

  // ---- the host's capacity ----

  /** vCPUs running at normal CPU weight: members serving, starting or draining, and pool refills that could not be given a low weight. */
  private busyVcpus(): number {
    const per = this.o.config.vm.vcpus;
    const lowWeight = this.host.refillShares !== null;
    let n = 0;
    for (const m of this.actuator.members.values()) {
      if (m.outSince !== undefined) continue;
      if (m.role === "serving" || m.role === "starting" || m.role === "draining") n += per;
      else if (m.filling && !lowWeight) n += per;
    }
    return n;
  }

  /** The host's figures for this period (through the monitor's worker connection), and the CPU weights once a VM serves. */
  private async readCapacity(): Promise<void> {
    const reading = await this.monitor.readHost();
    this.host.update(reading, this.busyVcpus(), performance.now());
    const first = this.serving()[0];
    const read = this.o.vms.cpuShares;
    if (first && read && this.host.needsWeights) this.track(this.host.learnWeights(() => read.call(this.o.vms, first.name)));
  }

  /** How many more VMs the host lets this group launch now (reconcile's bound; the policy's decision already respects it). */
  private launchRoom(active: number): number {
    const cap = this.host.current;
    if (!cap) return Infinity;
    // A group must serve: scaler.min is kept even past the cap.
    return Math.max(this.pc.min - active, cap.maxVms - active, 0);
  }

  /** Why the pool refill due now waits, or null (capacity.ts HostCapacity.refillWait). */
  private refillWait(): string | null {
    const s = this.groupState();
    return this.host.refillWait({ starting: s.starting, busyVcpus: this.busyVcpus(), hot: Boolean(this.lastDecision?.hot) });
  }

  /**
   * The concurrency policy averages ten in-flight readings a period; the
   * other policies need only the one the step takes (the view shows it).
   */
  private syncSampler(): void {
    if (this.pc.policy === "concurrency" && !this.o.manual && !this.stopped) this.inFlight.start();
    else this.inFlight.stop();
  }

  /** ScalerView's host part: capacity, the balancer's view, the refill's state. */
  private hostView(s: GroupState): Pick<ScalerView, "capacity" | "refill" | "concurrency" | "p99Ms" | "concurrencyTarget"> {
    const cap = this.host.current;
    const filling = this.members().find((m) => m.filling);
    const state = filling ? (this.o.store.operations.get(filling.name)?.kind === "pause" ? "saving" : "booting") : this.refillWaiting ? "waiting" : "idle";
    const out: Pick<ScalerView, "capacity" | "refill" | "concurrency" | "p99Ms" | "concurrencyTarget"> = {
      // At the cap only when the cap, not scaler.max, is what holds the group.
      capacity: cap ? { ...cap, atCap: s.desired >= cap.maxVms && cap.maxVms < this.pc.max } : null,
      ...balancerView(this.monitor.history()),
    };
    if (this.pc.policy === "concurrency") out.concurrencyTarget = this.pc.concurrencyTarget;
    const pool = this.actuator.poolCounts();
    if (this.o.config.scaler.source !== "predefined" && (filling || this.refillWaiting || pool.hot + pool.warm > 0))
      out.refill = this.host.refillView(state, state === "waiting" ? this.refillWaiting! : undefined);
    return out;
  }

  // ---- commands ----
  scaleBy(n: number, reason = "manual"): number {
    const cap = this.host.current;
    if (n > 0 && cap && this.desired >= cap.maxVms && this.desired >= this.pc.min) {
      this.o.store.log(`scale +${n}: at host capacity: ${cap.text}`, "warn");
      return this.desired;
    }
    if (this.resize(this.desired + n, reason)) this.publish();
    else this.o.store.log(`scale ${n > 0 ? "+" : ""}${n}: already at ${this.desired === this.pc.max ? "max" : "min"} ${this.desired}`, "warn");
    return this.desired;
  }
  pause(): void {
    this.paused = true;
    this.o.store.log("scaler paused: no automatic decisions (dead VMs are still replaced)");
    this.publish();
  }
  resume(): void {
    this.paused = false;
    this.o.store.log("scaler resumed");
    this.publish();
  }

  /** The policy settings in force (the API's GET /v1/scaler). */
  settings(): PolicyConfig {
    return { ...this.pc };
  }
  /**
   * Change policy settings while running (the API's PATCH /v1/scaler; the
   * caller validates them). The sampling window keeps the length it started with.
   */
  configure(next: Partial<Omit<PolicyConfig, "windowS" | "upStabilizationS" | "downStabilizationS">>): PolicyConfig {
    Object.assign(this.pc, next);
    this.syncSampler();
    this.o.store.log(`scaler settings changed: ${Object.entries(next).map(([k, v]) => `${k}=${v}`).join(" ")}`);
    this.resize(this.desired, "settings");
    this.publish();
    return { ...this.pc };
  }

  get desiredSize(): number {
    return this.desired;
  }
  serving(): Readonly<Member>[] {
    return [...this.actuator.members.values()].filter((m) => m.role === "serving");
  }
  members(): Readonly<Member>[] {
    return [...this.actuator.members.values()];
  }
  view(): ScalerView {
    const s = this.groupState();
    return {
      policy: this.pc.policy,
      paused: this.paused,
      current: s.serving,
      desired: this.desired,
      min: this.pc.min,
      max: this.pc.max,
      high: this.pc.policy === "threshold" ? this.pc.high : this.pc.target,
      low: this.pc.policy === "threshold" ? this.pc.low : this.pc.target,
      avgCpu: this.lastDecision?.avgCpu ?? null,
      lastDecision: this.lastDecision
        ? { ts: this.lastDecision.ts, current: this.lastDecision.current, desired: this.lastDecision.desired, reason: this.lastDecision.reason }
        : undefined,
      windowRemainingS: this.lastDecision?.windowRemainingS ?? null,
      warmPool: this.actuator.warmReady().length,
      ...this.hostView(s),
      ...(hasPool(this.sizes) ? { pool: this.poolView() } : {}),
      ...(this.pc.min === 0 ? { idle: { forS: s.idleS ?? null, timeoutS: this.o.config.scaler.idle_timeout_s } } : {}),
    };
  }

  private poolView(): NonNullable<ScalerView["pool"]> {
    const c = this.actuator.poolCounts();
    return { hot: c.hotReady, warm: c.warmReady, hotSize: this.sizes.hot, warmSize: this.sizes.warm, filling: c.filling };
  }

  /** Wait until no launch, retire or fill is running (tests, bench). */
  async settle(): Promise<void> {
    while (this.ops.size) await Promise.allSettled([...this.ops]);
  }

  /**
   * Stop scaling. With removeVms, every member is drained and destroyed +
   * undefined with its managed-save image, adopted ones included (the group
   * owns them now), predefined VMs this run started are shut down; then every
   * other VM of the group (made through the API, or found stopped) is removed
   * too. A VM halted by a snapshot, or under another process's operation,
   * stays, and summary.leftReasons says why; so does every VM with --keep.
   */
  async stop(opts: { removeVms: boolean }): Promise<GroupSummary> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // No VM wakes any more: the balancer drops what finds none (no_backend) instead of holding it.
    this.o.balancer.onDemand?.(null);
    this.actuator.halt();
    this.inFlight.stop();
    await this.stepping;
    await this.closeEvents();
    await this.settle();
    const predefined = new Set(this.members().filter((m) => m.kind === "predefined").map((m) => m.name));
    if (opts.removeVms) {
      await Promise.allSettled(this.members().map((m) => this.removeMember(m)));
      await this.removeLeftovers(predefined);
    } else {
      for (const m of this.members()) this.leave(m.name, "kept (--keep): the next run of the group adopts it");
      await this.keepLeftovers(predefined);
    }
    await this.monitor.stop();
    this.publish();
    return this.summary;
  }

  // ---- internals ----
  private groupState(): GroupState {
    let serving = 0;
    let starting = 0;
    for (const m of this.actuator.members.values()) {
      if (m.outSince !== undefined) continue; // out of the balancer, awaiting libvirt's verdict
      if (m.role === "serving") serving++;
      else if (m.role === "starting") starting++;
    }
    starting += this.actuator.waitingLaunches;
    // Idleness only matters to a group that may go to zero. It is not idle while a VM starts or requests wait for
    // one (a wake that takes longer than the timeout, a cold boot, must not be undone), and it counts from the last
    // request or the last change of the serving set, whichever came later.
    let idleS: number | null = null;
    if (this.pc.min === 0 && starting === 0 && !(this.o.balancer.holding?.() ?? 0)) {
      const now = this.now();
      idleS = this.idle.idleS(now);
      if (this.servingChangedAt !== null) idleS = Math.min(idleS, Math.max(0, (now - this.servingChangedAt) / 1000));
    }
    return { desired: this.desired, serving, starting, lastScaleAt: this.lastScaleAt, servingChangedAt: this.servingChangedAt, idleS, capacity: this.host.policyCap() };
  }

  /** Drive the group to n, brought within [min, max], outside the policy (a command, new settings); false when it is there already. */
  private resize(n: number, why: string): boolean {
    const to = clamp(n, this.pc.min, this.pc.max);
    if (to === this.desired) return false;
    this.scaleTo(to, `${why}: ${this.desired} → ${to}`, to > this.desired ? "out" : "in");
    this.reconcile();
    return true;
  }

  private scaleTo(to: number, reason: string, action: "out" | "in"): void {
    const from = this.desired;
    this.desired = to;
    this.lastScaleAt = this.now();
    const ev = { ts: this.lastScaleAt, action, from, to, reason };
    this.summary.scaleEvents.push(ev);
    this.o.store.emit({ type: "scale", ...ev });
  }

  /** VMs that died: state known (libvirt answered) and not running, or unhealthy in the balancer for too long. */
  private reapDead(sample: MonitorSample): void {
    const now = this.now();
    const backends = new Map(this.o.balancer.backends().map((b) => [b.id, b]));
    const grace = this.o.unhealthyGraceMs ?? 5000;
    // A VM under an operation of this run (store.operations: a snapshot pauses it, a halt stops it) is busy, not
    // dead; a sample taken during one can be read just after it ends, so the VM is spared a few seconds more.
    const ops = this.o.store.operations;
    for (const m of this.actuator.members.values()) {
      const underOp = ops.activeWithin(m.name, Math.max(grace, 5000));
      if (m.busy || underOp || (m.role !== "serving" && m.role !== "starting")) continue;
      const r = sample.readings.get(m.name);
      const dead = sample.ok && m.booted && r && r.state !== "running" && r.state !== "unknown";
      if (m.outSince !== undefined && sample.ok && r?.state === "running") {
        // Out since its QEMU ended, and libvirt says it runs: still cleaning up, or a new QEMU (restored).
        const ended = this.endedPid.get(m.name);
        const pid = this.o.vms.pidOf?.(m.name) ?? null;
        if ((pid !== null && ended !== undefined && pid !== ended) || now - m.outSince > 15_000) {
          this.endedPid.delete(m.name);
          this.actuator.putBack(m, `runs again${pid !== null ? ` (QEMU process ${pid})` : ""}`);
        }
        continue;
      }
      const wasUnhealthy = m.unhealthySince !== undefined;
      this.actuator.observe(m, backends.get(m.name), now);
      if (!wasUnhealthy && m.unhealthySince !== undefined && m.role === "serving") this.recheckAddress(m);
      const silentMs = now - (m.lastAnswerAt ?? now);
      const stuck = sample.ok && m.unhealthySince !== undefined && now - m.unhealthySince >= grace && silentMs >= grace;
      if (!dead && !stuck) continue;
      const seen = this.outsideOperation(m, Boolean(dead));
      if (seen === "spared") continue;
      const why = (dead ? `VM is ${r!.state}` : `unhealthy in the balancer for ${((now - m.unhealthySince!) / 1000).toFixed(1)} s`) + (seen ? ` and ${seen}` : "");
      this.summary.replaced++;
      this.o.store.log(`${m.name}: ${why}; taken out and replaced`, "warn");
      this.track(this.actuator.fail(m, why));
    }
  }

  /**
   * A member the sample calls dead (or the balancer stuck), as libvirt sees it
   * now (store.operations.inspect, the domain's metadata): under an operation
   * another process marked (`virtscale snapshot` in another shell), it is
   * busy: "spared"; halted on purpose by a snapshot, it leaves the group still
   * defined (the user may restore it; a sweep adopts it again once it runs),
   * and reconcile launches another in its place: "spared" too; running again
   * (the operation ended after the sample): "spared". A mark whose process is
   * gone or that lasts past MARK_BOUND_MS protects nothing: the reason why,
   * for the log. null: nothing says it is not dead.
   */
  private outsideOperation(m: Readonly<Member>, dead: boolean): "spared" | string | null {
    const seen = this.o.store.operations.inspect(m.name);
    if (!seen) return null;
    // A halt mark on a running domain is a leftover (started again by hand): not a reason to let it go.
    if (seen.halted && seen.state !== "running") {
      const detail = `halted by a snapshot (${seen.halted.path}): left the group, still defined; restore it with virtscale restore`;
      this.o.store.log(`${m.name}: ${detail}`, "warn");
      this.leave(m.name, detail);
      this.halted.add(m.name);
      this.actuator.release(m, detail);
      return "spared";
    }
    if (seen.mark) {
      const stale = markStale(seen.mark, Date.now());
      return stale ?? "spared";
    }
    return dead && seen.state === "running" ? "spared" : null;
  }

  /** Launch or retire VMs until serving + starting = desired; keep the warm pool filled. */
  private reconcile(): void {
    if (this.stopped) return;
    // A member out of the balancer since its QEMU ended (awaiting libvirt's verdict) is not capacity: its replacement starts now.
    const active = this.members().filter((m) => (m.role === "serving" || m.role === "starting") && m.outSince === undefined);
    // Launches waiting for a VM that is entering the pool have no member yet: they count as starting.
    const diff = this.desired - active.length - this.actuator.waitingLaunches;
    const now = this.now();
    if (diff > 0 && !this.launchBackoff.blocked(now)) {
      const decisionAt = this.lastScaleAt ?? now;
      const room = this.launchRoom(active.length);
      if (room < diff && this.refusedAt !== this.desired) {
        this.refusedAt = this.desired;
        this.o.store.log(`scale-out to ${this.desired} held: at host capacity: ${this.host.current!.text}`, "warn");
      }
      for (let i = 0; i < Math.min(diff, room); i++) {
        this.track(
          this.actuator.launch(decisionAt).then((rec) => this.launched(rec)),
        );
      }
    } else if (diff < 0) {
      // Leave first the VMs still starting (newest first: retire cancels its launch, which ends quietly),
      // then the newest serving ones, a VM the user restored from a snapshot last. Not a VM resuming from
      // the pool (busy: it serves in a moment), nor one under an operation (a snapshot from the dashboard or the API).
      const restored = (m: Readonly<Member>) => Number(this.restored.has(m.name));
      const victims = active
        .filter((m) => !m.busy && !this.o.store.operations.get(m.name))
        .sort((a, b) => (a.role !== b.role ? (a.role === "starting" ? -1 : 1) : restored(a) - restored(b) || b.roleSince - a.roleSince))
        .slice(0, -diff);
      // Into the fastest pool tier below its size (pool.ts), counted as they go; at zero, the last go to the best tier anyway.
      const counts = this.actuator.poolCounts();
      for (const m of victims) {
        const tier = m.role === "serving" ? retireTier(counts, this.sizes, { toZero: this.desired === 0 }) : null;
        if (tier) counts[tier]++;
        this.track(this.actuator.retire(m, { tier, reason: `scale in to ${this.desired}` }));
      }
    }
    this.refillPool();
  }

  /** A launch ended: a failure backs off the next one (one line per step, backoff.ts); one that served ends a crash loop. */
  private launched(rec: LaunchRecord): void {
    if (this.stopped || rec.cancelled) return;
    if (rec.error !== undefined) {
      const step = this.launchBackoff.failed(rec.error, rec.name || undefined, this.now());
      this.o.store.log(step.message, step.count > 1 ? "warn" : "info");
      return;
    }
    if (rec.servingAt === undefined) return;
    const n = this.launchBackoff.succeeded();
    if (n > 1) this.o.store.log(`${rec.name} serves: launches work again after ${n} failed the same way`);
  }

  /** Keep the pool tiers filled, one VM at a time (boots are CPU-heavy): hot first, promoted from warm when it can be (pool.ts nextFill). */
  private refillPool(): void {
    if (this.filling > 0 || !hasPool(this.sizes)) return;
    const plan = nextFill(this.actuator.poolCounts(), this.sizes);
    this.refillWaiting = plan ? this.refillWait() : null;
    if (!plan || this.refillWaiting) return;
    // A refill that keeps failing the same way waits as a launch does.
    if (this.fillBackoff.blocked(this.now())) return;
    this.filling++;
    this.track(
      this.actuator
        .fill(plan.tier, plan.from)
        .then((error) => {
          if (this.stopped) return;
          if (error === undefined) {
            this.fillBackoff.succeeded();
            return;
          }
          const step = this.fillBackoff.failed(error, undefined, this.now());
          this.o.store.log(`${plan.tier} pool refill: ${step.message}`, step.count > 1 ? "warn" : "info");
        })
        .finally(() => this.filling--),
    );
  }

  /**
   * The balancer holds a request that found no VM serving: wake one now (a
   * group at zero goes to one, from the fastest pool tier), not at the next
   * step. With VMs already starting, this only nudges reconcile.
   */
  private onDemand(): void {
    if (this.stopped) return;
    this.idle.demand(this.now());
    if (this.desired === 0 && this.pc.max > 0) this.scaleTo(1, "a request arrived with no VM serving (held by the balancer): 0 → 1", "out");
    this.reconcile();
    this.publish();
  }

  /**
   * The API's choice for one restore (POST /create with resume true and a
   * `join` field), by the save image's path: it wins over scaler.restored_join
   * when that restore's done event arrives.
   */
  setRestoreJoin(imagePath: string, join: boolean): void {
    this.restoreJoin.set(imagePath, join);
  }

  /**
   * A VM was restored from a snapshot (the dashboard, the CLI's command line,
   * the API): with scaler.restored_join (or the request's `join`), it joins
   * the group as a serving member within max (the group grows by one, and it
   * is the last to go at scale-in); else, or at max, it stays a one-off VM
   * (role "api" in its metadata, so no sweep or restart adopts it).
   */
  private onRestored(name: string, path?: string): void {
    if (this.stopped) return;
    const asked = path !== undefined ? this.restoreJoin.get(path) : undefined;
    if (path !== undefined) this.restoreJoin.delete(path);
    const join = asked ?? this.o.config.scaler.restored_join;
    if (this.actuator.members.has(name)) return;
    // Only a VM of this group (a snapshot of another group's VM restored here is that group's business).
    let group: string | undefined;
    try {
      group = this.o.vms.get?.(name).group;
    } catch {
      return; // not virtscale's, or gone already
    }
    if (group !== undefined && group !== this.groupName) return;
    const alone = (why: string) => {
      try {
        this.o.vms.setRole?.(name, "api");
      } catch (e) {
        this.o.store.error(`${name}: cannot mark it a one-off VM (role api)`, e);
      }
      this.o.store.log(`${name}: restored from a snapshot; stays a one-off VM (${why})`);
    };
    if (!join) return alone(asked === false ? "the request said join: false" : "scaler.restored_join is false");
    const refused = this.joinVm(name, "restored from a snapshot");
    if (refused) alone(refused);
    else {
      this.restored.add(name);
      this.halted.delete(name);
    }
  }

  /**
   * A running VM of ours made outside the scaler (restored from a snapshot,
   * or created through the API with join) joins the group as a serving
   * member: the group grows by one within max (no launch for it), its
   * metadata role becomes "serving" (a restart adopts it), and it enters the
   * balancer once it answers. Returns why it cannot (null: it joins).
   */
  joinVm(name: string, what: string): string | null {
    if (this.stopped) return "the run is ending";
    if (this.actuator.members.has(name)) return null;
    const s = this.groupState();
    if (s.serving + s.starting >= this.pc.max) return `the group is at max ${this.pc.max}`;
    try {
      this.o.vms.setRole?.(name, "serving");
    } catch (e) {
      this.o.store.error(`${name}: cannot mark it a group member (role serving)`, e);
    }
    this.o.claim?.(name);
    if (!this.summary.adopted.includes(name)) this.summary.adopted.push(name);
    this.summary.left = this.summary.left.filter((n) => n !== name);
    delete this.summary.leftReasons[name];
    // Capacity the user added: the group grows by one (no launch), and the VM joins once it answers.
    this.desired = Math.min(this.pc.max, this.desired + 1);
    this.lastScaleAt = this.now();
    this.o.store.log(`${name}: ${what}; joins the group as a member (desired ${this.desired})`);
    this.track(this.actuator.adoptRunning(name));
    this.publish();
    return null;
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e) => this.o.store.error("scaler", e)).finally(() => this.ops.delete(q));
    this.ops.add(q);
  }

  private async adopt(): Promise<void> {
    const group = this.o.group ?? this.o.config.auto_scaler_domain_prefix;
    for (const vm of await this.o.vms.listOwnedAsync()) this.adoptOne(vm, group, true);
    const running = this.members().filter((m) => m.role === "starting").length;
    this.desired = clamp(running, this.pc.min, this.pc.max);
    if (this.summary.adopted.length) this.o.store.log(`adopted ${this.summary.adopted.length} VM(s) of group ${group}: ${this.summary.adopted.join(", ")}`);
  }

  /**
   * Running VMs of our group that the group does not track (a destroy that failed
   * while libvirt was down, a VM restored from a snapshot): adopted, so nothing
   * of ours runs unaccounted; reconcile then retires what is over the desired size.
   */
  private sweepOrphans(): void {
    const group = this.o.group ?? this.o.config.auto_scaler_domain_prefix;
    // Through the worker, and inside the task: a failure (libvirt gone meanwhile) is logged as this task's, never thrown out of the step.
    this.track(
      (async () => {
        const owned = await this.o.vms.listOwnedAsync();
        if (this.stopped) return;
        for (const vm of owned) if (vm.state === "running" && this.adoptOne(vm, group, false)) this.o.store.log(`adopted ${vm.name}: a running VM of group ${group} the group did not track`, "warn");
        // The same listing carries each guest's address on a libvirt network: a lease that changed moves its backend.
        for (const vm of owned) if (vm.state === "running" && vm.address) await this.followAddress(vm.name, vm.address);
      })(),
    );
  }

  /**
   * A serving member on a libvirt network whose guest libvirt now reports at
   * another address (its DHCP lease changed): the balancer follows it
   * (Actuator.readdress). Loopback forwards never move (their address is their metadata's).
   */
  private async followAddress(name: string, to: { host: string; port: number }): Promise<void> {
    if (this.o.config.vm.network !== "network") return;
    const m = this.actuator.members.get(name);
    if (!m?.address || m.role !== "serving" || m.busy || to.host === "0.0.0.0" || to.port <= 0) return;
    if (m.address.host === to.host && m.address.port === to.port) return;
    if (await this.actuator.readdress(name, to)) this.o.store.log(`${name}: its guest's address changed to ${to.host}:${to.port} (libvirt's lease); the balancer follows`, "warn");
  }

  /** A member on a libvirt network just went silent: its lease may have changed; ask libvirt now, not at the next sweep. */
  private recheckAddress(m: Readonly<Member>): void {
    const read = this.o.vms.addressOfAsync;
    if (!read || !m.address || this.o.config.vm.network !== "network") return;
    this.track(
      (async () => {
        const to = await read.call(this.o.vms, m.name);
        if (to && !this.stopped) await this.followAddress(m.name, to);
      })(),
    );
  }

  /** Take one owned VM into the group: a running one joins once it answers; a saved one goes to the warm pool. */
  private adoptOne(vm: { name: string; group?: string; role?: string; state?: string; address?: { host: string; port: number } | null }, group: string, initial: boolean): boolean {
    if (vm.group !== undefined && vm.group !== group) return false;
    // Only the roles the group itself gives: a VM made through the API (role "api") is the API's, not the scaler's.
    if (vm.role !== undefined && vm.role !== "serving" && vm.role !== "warm" && vm.role !== "hot") return false;
    if (this.actuator.members.has(vm.name)) return false;
    if (vm.state === "running") this.track(this.actuator.adoptRunning(vm.name, vm.address));
    // A paused pool VM of ours (a hot tier of an earlier run): the hot pool again, ready to resume.
    else if (initial && vm.state === "paused" && vm.role === "hot" && this.actuator.canPause) this.actuator.adoptHot(vm.name, vm.address);
    else if (initial && (this.o.config.scaler.source === "warm" || this.sizes.warm > 0) && (vm.state === "shutoff" || vm.state === "saved")) this.actuator.adoptWarm(vm.name, vm.address);
    else return false;
    this.o.claim?.(vm.name);
    this.summary.adopted.push(vm.name);
    if (!initial && this.halted.delete(vm.name)) {
      this.restored.add(vm.name);
      this.o.store.log(`${vm.name}: restored after its snapshot and adopted again; at scale-in the others go first`);
      delete this.summary.leftReasons[vm.name];
      this.summary.left = this.summary.left.filter((n) => n !== vm.name);
    }
    return true;
  }

  // ---- the end of a run ----

  private get groupName(): string {
    return this.o.group ?? this.o.config.auto_scaler_domain_prefix;
  }

  private leave(name: string, why: string): void {
    if (!this.summary.left.includes(name)) this.summary.left.push(name);
    this.summary.leftReasons[name] = why;
  }

  private markRemoved(name: string): void {
    if (!this.summary.removed.includes(name)) this.summary.removed.push(name);
    this.summary.left = this.summary.left.filter((n) => n !== name);
    delete this.summary.leftReasons[name];
  }

  /**
   * Why a VM must stay as the run ends, or null: an operation of this process
   * on it is waited for first (bounded), then libvirt is asked: halted by a
   * snapshot (the user restores it), or under another process's live mark.
   */
  private async keepReason(name: string): Promise<string | null> {
    const ops = this.o.store.operations;
    const t0 = Date.now();
    while (ops.get(name) && Date.now() - t0 < END_OPERATION_WAIT_MS) await new Promise((r) => setTimeout(r, 100));
    const op = ops.get(name);
    if (op) return `still under ${describeOperation(op, this.now())} after ${END_OPERATION_WAIT_MS / 1000} s`;
    const seen = ops.inspect(name);
    if (seen?.halted && seen.state !== "running") return `halted by a snapshot (${seen.halted.path}): restore it with virtscale restore`;
    if (seen?.mark && !markStale(seen.mark, Date.now())) return `under ${describeOperation(seen.mark, Date.now())}`;
    return null;
  }

  private async removeMember(m: Readonly<Member>): Promise<void> {
    const keep = await this.keepReason(m.name);
    if (keep) {
      this.leave(m.name, keep);
      this.actuator.release(m, keep);
      return;
    }
    await this.actuator.retire(m, { reason: "run ends" });
    this.markRemoved(m.name);
  }

  /**
   * After the members: every other VM of the group libvirt still has (made
   * through the API, stopped ones the group did not adopt, a member whose
   * removal failed) is removed, or left with the reason.
   */
  private async removeLeftovers(predefined: ReadonlySet<string>): Promise<void> {
    const group = this.groupName;
    let owned: Awaited<ReturnType<VmOps["listOwnedAsync"]>>;
    try {
      owned = await this.o.vms.listOwnedAsync();
    } catch (e) {
      this.o.store.error(`run ends: cannot list the VMs of group ${group} to remove what is left`, e);
      return;
    }
    const work = owned
      .filter((vm) => vm.group === group && !predefined.has(vm.name))
      .map(async (vm) => {
        const keep = await this.keepReason(vm.name);
        if (keep) return this.leave(vm.name, keep);
        const what = vm.role === "api" ? "made through the API" : `${vm.state ?? "in an unknown state"}, not in the group`;
        try {
          await this.o.vms.destroy(vm.name);
          this.markRemoved(vm.name);
          this.o.store.log(`${vm.name}: removed as the run ends (${what})`);
        } catch (e) {
          this.summary.removed = this.summary.removed.filter((n) => n !== vm.name);
          this.leave(vm.name, `${what}; removing it failed: ${errorMessage(e)}`);
          this.o.store.error(`run ends: remove ${vm.name}`, e);
        }
      });
    await Promise.allSettled(work);
  }

  /** --keep: the VMs of the group that are not members are listed too, with what they are. */
  private async keepLeftovers(predefined: ReadonlySet<string>): Promise<void> {
    try {
      for (const vm of await this.o.vms.listOwnedAsync()) {
        if (vm.group !== this.groupName || predefined.has(vm.name) || this.summary.left.includes(vm.name)) continue;
        this.leave(vm.name, `kept (--keep): ${vm.role === "api" ? "made through the API" : `${vm.state ?? "in an unknown state"}, not in the group`}`);
      }
    } catch (e) {
      this.o.store.error(`run ends: cannot list the VMs of group ${this.groupName}`, e);
    }
  }

  // ---- libvirt's events ----

  private async watchEvents(): Promise<void> {
    if (!this.o.events) return;
    try {
      this.events = await this.o.events();
    } catch (e) {
      this.o.store.log(`no libvirt lifecycle events (${errorMessage(e)}): a dead VM is seen by the ${this.o.config.scaler.period_s} s sample only`, "warn");
      return;
    }
    this.unsubscribe.push(
      this.events.onLifecycle((ev) => this.guard("lifecycle event", () => this.onLifecycle(ev))),
      this.events.onConnection((ev) => this.guard("connection event", () => this.onConnection(ev))),
    );
  }

  private async closeEvents(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    for (const w of this.procWatches.values()) w.stop();
    this.procWatches.clear();
    const ev = this.events;
    this.events = null;
    await ev?.close().catch((e) => this.o.store.error("scaler: closing libvirt events", e));
  }

  /** An event handler's failure is logged; it never reaches the event source (or the process). */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.o.store.error(`scaler: ${what}`, e);
    }
  }

  /**
   * libvirt says a domain stopped or crashed: a serving member leaves the
   * balancer now (Actuator.fail, no drain: it answers nothing) and reconcile
   * starts its replacement, from the warm pool when there is one. Members
   * under an operation (ours: busy; another process's: its mark) are judged
   * as the sample path judges them (outsideOperation).
   */
  private onLifecycle(ev: LifecycleEventLike): void {
    const death = deathOf(ev);
    if (death) this.diedNow(ev.name, `VM ${death} (libvirt event)`);
  }

  /**
   * A serving member's QEMU process ended (its pidfd, in the event loop): the
   * earliest sign on this host, ~1.2 s before libvirt's STOPPED here. It leaves
   * the balancer now (Actuator.takeOut, no libvirt call: libvirt holds that
   * domain while it cleans up and a call would stall this thread) and its
   * replacement starts (it is no longer capacity: reconcile). What happened
   * (died, or stopped by someone's snapshot) is judged when libvirt tells: its
   * STOPPED event or the next sample (diedNow / reapDead); a VM that runs
   * again is put back, and reconcile retires what is then over the size.
   */
  private onProcessExit(name: string, pid: number): void {
    if (this.procWatches.get(name)?.pid !== pid) return; // a watch of an earlier life of that VM
    this.procWatches.delete(name);
    if (this.stopped) return;
    const m = this.actuator.members.get(name);
    if (!m || m.busy || m.role !== "serving" || m.outSince !== undefined) return;
    if (this.o.store.operations.activeWithin(m.name, Math.max(this.o.unhealthyGraceMs ?? 5000, 5000))) return;
    this.endedPid.set(name, pid);
    this.o.store.log(`${name}: QEMU process ${pid} ended: out of the balancer, a replacement starts; libvirt's verdict decides the rest`, "warn");
    this.actuator.takeOut(m, `QEMU process ${pid} ended`);
    this.reconcile();
    this.publish();
  }

  /** The event paths' verdict, the same as the sample's: busy members and other processes' operations are spared. */
  private diedNow(name: string, what: string): void {
    if (this.stopped) return;
    const m = this.actuator.members.get(name);
    if (!m || m.busy || !m.booted || (m.role !== "serving" && m.role !== "starting")) return;
    if (this.o.store.operations.activeWithin(m.name, Math.max(this.o.unhealthyGraceMs ?? 5000, 5000))) return;
    const seen = this.outsideOperation(m, true);
    if (seen === "spared") return;
    const why = `${what}${seen ? ` and ${seen}` : ""}`;
    this.summary.replaced++;
    this.o.store.log(`${m.name}: ${why}; taken out and replaced`, "warn");
    this.endedPid.delete(m.name);
    this.track(this.actuator.fail(m, why));
    this.reconcile();
    this.publish();
  }

  /**
   * Serving members' QEMU processes, watched for their end (VmOps.pidOf: the
   * local qemu:///system's pid files; other hosts and drivers have none, and
   * rely on libvirt's events and the sample). Kept in step on every publish.
   */
  private syncProcessWatches(): void {
    const ev = this.events;
    if (!ev || !this.o.vms.pidOf) return;
    // Not a member already out because its process ended: its pid file names that process until libvirt has cleaned up.
    const serving = new Set(this.serving().filter((m) => m.outSince === undefined).map((m) => m.name));
    for (const [name, w] of this.procWatches) {
      if (serving.has(name)) continue;
      w.stop();
      this.procWatches.delete(name);
    }
    for (const name of serving) {
      if (this.procWatches.has(name)) continue;
      const pid = this.o.vms.pidOf(name);
      if (!pid || pid === this.endedPid.get(name)) continue;
      const stop = ev.watchProcess(
        pid,
        (x) => {
          // Gone before the watch began: the pid file was older than the VM; libvirt's event and the sample decide.
          if (!x.already) this.guard("process exit", () => this.onProcessExit(name, pid));
          else if (this.procWatches.get(name)?.pid === pid) this.procWatches.delete(name);
        },
        (why) => {
          if (!this.procWatchFailed) this.o.store.log(`cannot watch QEMU processes (${why}): deaths are seen by libvirt's events`, "warn");
          this.procWatchFailed = true;
        },
      );
      this.procWatches.set(name, { pid, stop });
    }
  }

  /** The event connection lost / back: say so once each; once back, sample at once (missed events are resynchronised from it). */
  private onConnection(ev: ConnectionEventLike): void {
    if (ev.state === "lost") {
      if (this.libvirtLostAt !== null) return;
      this.libvirtLostAt = this.now();
      this.o.store.log(`libvirt connection lost (${ev.reason ?? "closed"}): the balancer keeps serving the ${this.serving().length} VM(s) it has; reconnecting`, "warn");
      return;
    }
    const since = this.libvirtLostAt;
    this.libvirtLostAt = null;
    if (since === null) return;
    this.o.store.log(`libvirt connection back after ${((this.now() - since) / 1000).toFixed(1)} s`);
    this.monitor.retryNow();
    if (!this.stopped && !this.o.manual && !this.stepping) this.schedule(0);
  }

  private publish(): void {
    this.syncProcessWatches();
    const v = this.view();
    this.o.store.setScaler(v);
    // Keep the role the dashboard shows in step with the group's.
    if (this.o.tick) this.o.store.tick();
    const names = this.serving()
      .map((m) => m.name)
      .sort()
      .join(",");
    if (names !== this.servingNames) {
      this.servingNames = names;
      this.servingChangedAt = this.now();
    }
  }

  private registerCommands(): void {
    const s = this.o.store;
    s.register({ name: "scale+1", help: "add one VM now (manual, within min..max)", run: () => this.scaleBy(1) });
    s.register({ name: "scale-1", help: "remove one VM now (drained first; manual, within min..max)", run: () => this.scaleBy(-1) });
    s.register({ name: "pause", help: "pause automatic scaling (dead VMs are still replaced)", run: () => this.pause() });
    s.register({ name: "resume", help: "resume automatic scaling", run: () => this.resume() });
  }
}

/** The balancer's view in the latest sample (any policy): requests in flight per serving VM, the slowest serving VM's p99; null without figures. */
function balancerView(history: readonly { vms: { role: string; inFlight?: number | null; p99Ms?: number | null }[] }[]): { concurrency: number | null; p99Ms: number | null } {
  const last = history.at(-1);
  let total = 0;
  let n = 0;
  let p99: number | null = null;
  let missing = !last;
  for (const vm of last?.vms ?? []) {
    if (vm.role !== "serving") continue;
    if (typeof vm.inFlight !== "number") missing = true;
    else total += vm.inFlight;
    n++;
    if (typeof vm.p99Ms === "number" && (p99 === null || vm.p99Ms > p99)) p99 = vm.p99Ms;
  }
  return { concurrency: missing || n === 0 ? null : total / n, p99Ms: p99 };
}

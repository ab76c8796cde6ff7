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
import { describeOperation } from "../store.ts";
import { errorMessage } from "../errors.ts";

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
  /** Wait this long after a failed launch before the next one (ms). */
  launchRetryMs?: number;
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
  private launchBlockedUntil = 0;
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
  /** Members that left the group halted by a snapshot: restored and adopted again, they are the last to go at scale-in (the user brought them back). */
  private halted = new Set<string>();
  private restored = new Set<string>();
  readonly summary: GroupSummary = { launches: [], scaleEvents: [], replaced: 0, adopted: [], removed: [], left: [], leftReasons: {} };

  constructor(private readonly o: GroupOptions) {
    this.now = o.now ?? (() => Date.now());
    this.pc = policyConfigFrom(o.config);
    this.desired = this.pc.min;
    this.paused = o.config.scaler.paused;
    this.actuator = new Actuator({
      vms: o.vms,
      balancer: o.balancer,
      config: o.config,
      store: o.store,
      now: this.now,
      knownDomains: () => this.monitor.allDomains,
      shutdownTimeoutMs: o.shutdownTimeoutMs,
      changed: () => this.publish(),
    });
    this.summary.launches = this.actuator.launches;
    const windowMs = 1000 * Math.max(this.pc.windowS, this.pc.upStabilizationS, this.pc.downStabilizationS);
    this.monitor = new Monitor({
      connect: o.connect,
      members: () =>
        [...this.actuator.members.values()].map((m) => ({ name: m.name, role: m.role, address: m.address ? `${m.address.host}:${m.address.port}` : undefined })),
      historyMs: windowMs + 3 * o.config.scaler.period_s * 1000,
      store: o.store,
      now: this.now,
    });
    this.registerCommands();
  }

  /** Watch libvirt's events, adopt what we own, then run one step per period. */
  async start(): Promise<void> {
    await this.watchEvents();
    await this.adopt();
    this.lastOrphanCheck = this.now();
    await this.monitor.sample(); // the first sample only primes the CPU deltas and the domain list
    this.publish();
    if (this.o.manual) return;
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
    let d: Decision | undefined;
    const now = this.now();
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

  // ---- commands ----
  scaleBy(n: number, reason = "manual"): number {
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
    };
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
    this.actuator.halt();
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
      if (m.role === "serving") serving++;
      else if (m.role === "starting") starting++;
    }
    return { desired: this.desired, serving, starting, lastScaleAt: this.lastScaleAt, servingChangedAt: this.servingChangedAt };
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
      this.actuator.observe(m, backends.get(m.name), now);
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
    const active = this.members().filter((m) => m.role === "serving" || m.role === "starting");
    const diff = this.desired - active.length;
    const now = this.now();
    if (diff > 0 && now >= this.launchBlockedUntil) {
      const decisionAt = this.lastScaleAt ?? now;
      for (let i = 0; i < diff; i++) {
        this.track(
          this.actuator.launch(decisionAt).then((rec) => {
            if (rec.error && !this.stopped) this.launchBlockedUntil = this.now() + (this.o.launchRetryMs ?? 3000);
          }),
        );
      }
    } else if (diff < 0) {
      // Leave first the VMs still starting (newest first), then the newest serving ones, a VM the user
      // restored from a snapshot last. A launch in flight is not interrupted: once it serves, a later step
      // retires it. Nor is a VM under an operation (a snapshot from the dashboard or the API).
      const restored = (m: Readonly<Member>) => Number(this.restored.has(m.name));
      const victims = active
        .filter((m) => !m.busy && !this.o.store.operations.get(m.name))
        .sort((a, b) => (a.role !== b.role ? (a.role === "starting" ? -1 : 1) : restored(a) - restored(b) || b.roleSince - a.roleSince))
        .slice(0, -diff);
      for (const m of victims) {
        const toPool = this.actuator.source === "warm" && this.actuator.warmCount() < this.o.config.scaler.warm_pool;
        this.track(this.actuator.retire(m, { toPool, reason: `scale in to ${this.desired}` }));
      }
    }
    // Keep the warm pool filled, one VM at a time (boots are CPU-heavy).
    if (this.actuator.source === "warm" && this.filling === 0 && this.actuator.warmCount() < this.o.config.scaler.warm_pool) {
      this.filling++;
      this.track(this.actuator.fillWarm().finally(() => this.filling--));
    }
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
      })(),
    );
  }

  /** Take one owned VM into the group: a running one joins once it answers; a saved one goes to the warm pool. */
  private adoptOne(vm: { name: string; group?: string; role?: string; state?: string; address?: { host: string; port: number } | null }, group: string, initial: boolean): boolean {
    if (vm.group !== undefined && vm.group !== group) return false;
    // Only the roles the group itself gives: a VM made through the API (role "api") is the API's, not the scaler's.
    if (vm.role !== undefined && vm.role !== "serving" && vm.role !== "warm") return false;
    if (this.actuator.members.has(vm.name)) return false;
    if (vm.state === "running") this.track(this.actuator.adoptRunning(vm.name, vm.address));
    else if (initial && this.o.config.scaler.source === "warm" && (vm.state === "shutoff" || vm.state === "saved")) this.actuator.adoptWarm(vm.name, vm.address);
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
    if (this.stopped) return;
    const death = deathOf(ev);
    if (!death) return;
    const m = this.actuator.members.get(ev.name);
    if (!m || m.busy || !m.booted || (m.role !== "serving" && m.role !== "starting")) return;
    if (this.o.store.operations.activeWithin(m.name, Math.max(this.o.unhealthyGraceMs ?? 5000, 5000))) return;
    const seen = this.outsideOperation(m, true);
    if (seen === "spared") return;
    const why = `VM ${death} (libvirt event)${seen ? ` and ${seen}` : ""}`;
    this.summary.replaced++;
    this.o.store.log(`${m.name}: ${why}; taken out and replaced`, "warn");
    this.track(this.actuator.fail(m, why));
    this.reconcile();
    this.publish();
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

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
import type { Config } from "../config.ts";
import type { ScalerView } from "../events.ts";
import type { Store } from "../store.ts";
import { Actuator, type LaunchRecord, type Member } from "./actuator.ts";
import { Monitor, type ConnectFn, type MonitorSample } from "./monitor.ts";
import { clamp, decide, policyConfigFrom, servingAverage, type Decision, type GroupState, type PolicyConfig } from "./policy.ts";
import type { BalancerOps, VmOps } from "./ports.ts";
import { errorMessage } from "../errors.ts";

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
}

export interface GroupSummary {
  launches: LaunchRecord[];
  scaleEvents: { ts: number; action: "out" | "in"; from: number; to: number; reason: string }[];
  replaced: number;
  adopted: string[];
  removed: string[];
  left: string[];
}

export class Group {
  readonly monitor: Monitor;
  readonly actuator: Actuator;
  private pc: PolicyConfig;
  private readonly now: () => number;
  private desired: number;
  private lastScaleAt: number | null = null;
  /** When each VM was last seen under a snapshot command: a sample taken during the save may be read just after it. */
  private snapshotSeenAt = new Map<string, number>();
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
  readonly summary: GroupSummary = { launches: [], scaleEvents: [], replaced: 0, adopted: [], removed: [], left: [] };

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
      periodMs: o.config.scaler.period_s * 1000,
      historyMs: windowMs + 3 * o.config.scaler.period_s * 1000,
      store: o.store,
      now: this.now,
    });
    this.registerCommands();
  }

  /** Adopt what we own, then run one step per period. */
  async start(): Promise<void> {
    await this.adopt();
    this.lastOrphanCheck = this.now();
    this.monitor.sample(); // the first sample only primes the CPU deltas and the domain list
    this.publish();
    if (this.o.manual) return;
    const loop = () => {
      if (this.stopped) return;
      this.step();
      this.timer = setTimeout(loop, this.o.config.scaler.period_s * 1000);
    };
    this.timer = setTimeout(loop, this.o.config.scaler.period_s * 1000);
  }

  /** One period's work; public so tests can drive it sample by sample. */
  step(): Decision | undefined {
    const sample = this.monitor.sample();
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
  serving(): Member[] {
    return [...this.actuator.members.values()].filter((m) => m.role === "serving");
  }
  members(): Member[] {
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
   * Stop scaling. With removeVms, every VM this run created is drained and
   * destroyed + undefined, predefined VMs this run started are shut down;
   * adopted VMs are left as they were.
   */
  async stop(opts: { removeVms: boolean }): Promise<GroupSummary> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.actuator.halt();
    await this.settle();
    if (opts.removeVms) {
      const work = this.members().map(async (m) => {
        if (!m.createdByRun && !m.startedByRun) {
          this.summary.left.push(m.name);
          return;
        }
        await this.actuator.retire(m, { reason: "run ends" });
        this.summary.removed.push(m.name);
      });
      await Promise.allSettled(work);
    } else this.summary.left.push(...this.members().map((m) => m.name));
    this.monitor.stop();
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
    // A VM under a snapshot command (store busy id "snapshot NAME", src/vm/commands.ts) is paused by libvirt on
    // purpose; a sample taken then can be read just after the save ends, so the VM is spared a few seconds more.
    const storeBusy = this.o.store.state.busy;
    for (const m of this.actuator.members.values()) {
      if (storeBusy.has(`snapshot ${m.name}`)) this.snapshotSeenAt.set(m.name, now);
      const snapshotting = now - (this.snapshotSeenAt.get(m.name) ?? -Infinity) < Math.max(grace, 5000);
      if (m.busy || snapshotting || (m.role !== "serving" && m.role !== "starting")) continue;
      const r = sample.readings.get(m.name);
      const dead = sample.ok && m.booted && r && r.state !== "running" && r.state !== "unknown";
      const b = backends.get(m.name);
      // Answers (on time or late) from the backend: an overloaded VM is slow and
      // marked unhealthy by the balancer, but it still answers; a broken one does not.
      const answers = b ? b.answered + ((b as { late?: number }).late ?? 0) : 0;
      if (m.answers === undefined || answers > m.answers) m.lastAnswerAt = now;
      m.answers = answers;
      if (b?.state === "unhealthy") m.unhealthySince ??= now;
      else m.unhealthySince = undefined;
      const silentMs = now - (m.lastAnswerAt ?? now);
      const stuck = sample.ok && m.unhealthySince !== undefined && now - m.unhealthySince >= grace && silentMs >= grace;
      if (!dead && !stuck) continue;
      const why = dead ? `VM is ${r!.state}` : `unhealthy in the balancer for ${((now - m.unhealthySince!) / 1000).toFixed(1)} s`;
      this.summary.replaced++;
      this.o.store.log(`${m.name}: ${why}; taken out and replaced`, "warn");
      this.track(this.actuator.fail(m, why));
    }
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
      // Leave first the VMs still starting (newest first), then the newest serving ones.
      // A launch in flight is not interrupted: once it serves, a later step retires it.
      const victims = active
        .filter((m) => !m.busy)
        .sort((a, b) => (a.role === b.role ? b.roleSince - a.roleSince : a.role === "starting" ? -1 : 1))
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
    for (const vm of await this.o.vms.listOwned()) this.adoptOne(vm, group, true);
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
    this.track(
      Promise.resolve(this.o.vms.listOwned()).then((owned) => {
        if (this.stopped) return;
        for (const vm of owned) if (vm.state === "running" && this.adoptOne(vm, group, false)) this.o.store.log(`adopted ${vm.name}: a running VM of group ${group} the group did not track`, "warn");
      }),
    );
  }

  /** Take one owned VM into the group: a running one joins once it answers; a saved one goes to the warm pool. */
  private adoptOne(vm: { name: string; group?: string; role?: string; state?: string; address?: { host: string; port: number } | null }, group: string, initial: boolean): boolean {
    if (vm.group !== undefined && vm.group !== group) return false;
    // Only the roles the group itself gives: a VM made through the API (role "api") is the API's, not the scaler's.
    if (vm.role !== undefined && vm.role !== "serving" && vm.role !== "warm") return false;
    if (this.actuator.members.has(vm.name)) return false;
    if (vm.state === "running") {
      const m = this.actuator.add(vm.name, "adopted", "starting");
      m.booted = true;
      if (vm.address) m.address = vm.address;
      this.summary.adopted.push(vm.name);
      const rec: LaunchRecord = { name: vm.name, how: "adopted", decisionAt: this.now() };
      this.actuator.launches.push(rec);
      m.busy = true;
      this.track(
        this.actuator
          .join(m)
          .then(() => {
            rec.servingAt = this.now();
          })
          .catch(async (e) => {
            rec.error = errorMessage(e);
            if (!this.stopped) await this.actuator.fail(m, `adopted VM does not answer: ${rec.error}`);
          })
          .finally(() => (m.busy = false)),
      );
      return true;
    }
    if (initial && this.o.config.scaler.source === "warm" && (vm.state === "shutoff" || vm.state === "saved")) {
      const m = this.actuator.add(vm.name, "warm", "warm");
      if (vm.address) m.address = vm.address;
      this.summary.adopted.push(vm.name);
      return true;
    }
    return false;
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

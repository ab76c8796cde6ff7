// The group: monitor -> policy -> actuator, once per period, and the state the
// dashboard, --json and the API see (ScalerView, scale events, commands).
//
// Each step (controller style): read one bulk sample; classify the members
// (classify.ts: serving, starting, busy under an operation, dead) and take the
// dead out at once (deaths.ts); compute the desired size with the pure policy
// (policy.ts); act: reconcile launches or retires toward it and keeps the pool
// tiers filled (reconcile.ts); publish (view.ts). Apart from the step:
//   adopt.ts           what libvirt has that the group does not track (at
//                      start, a periodic sweep, restored or joining VMs)
//   deaths.ts          a death seen at once: libvirt's lifecycle events
//                      (libvirt-events.ts) and QEMU pidfds, between samples
//   host-use.ts        the host's capacity as the group uses it
//   exit.ts            what the run removes or leaves on the host at its end
//   step-loop.ts       the timer: a step never throws, failures back off
//   desired.ts         the desired size and its scale events
//   hosts/             a group over several libvirt hosts: placement, a lost host
// Every part gets a GroupContext (group-context.ts), not the Group; the
// actuator is the only writer of members, which the group reads read-only.
//
// The data plane never dies with the control plane: every libvirt call of a
// step runs on a worker thread, a step never throws, and a libvirt that cannot
// be reached leaves every member as it is, serving.
import type { ScalerView } from "../events.ts";
import { Actuator, type Member } from "./actuator.ts";
import { Monitor } from "./monitor.ts";
import { clamp, decide, historyNeededS, policyConfigFrom, servingAverage, type Decision, type GroupState, type PolicyConfig } from "./policy.ts";
import type { HostCapacity } from "./capacity.ts";
import { hasPool, poolSizes, type PoolSizes } from "./pool.ts";
import { IdleClock } from "./idle.ts";
import type { GroupContext, GroupOptions } from "./group-context.ts";
import { newSummary, type GroupSummary } from "./group-summary.ts";
import { countActive } from "./classify.ts";
import { StepLoop } from "./step-loop.ts";
import { DesiredSize } from "./desired.ts";
import { HostUse } from "./host-use.ts";
import { AddressFollower } from "./addresses.ts";
import { Adoption } from "./adopt.ts";
import { Reconciler } from "./reconcile.ts";
import { DeathWatch } from "./deaths.ts";
import { LibvirtEvents } from "./libvirt-events.ts";
import { endRun } from "./exit.ts";
import { scalerView } from "./view.ts";
import { HostLoss } from "./hosts/host-loss.ts";
import { withPlaced } from "./hosts/host-set.ts";
import { registerGroupCommands } from "./group-commands.ts";

export type { GroupOptions } from "./group-context.ts";
export type { GroupSummary } from "./group-summary.ts";

export class Group {
  readonly monitor: Monitor;
  readonly actuator: Actuator;
  /** The host's capacity, and how pool refills run beside the serving VMs (capacity.ts). */
  readonly host: HostCapacity;
  readonly summary: GroupSummary = newSummary();
  private pc: PolicyConfig;
  private readonly now: () => number;
  /** The size the group is driven to (desired.ts). */
  private readonly size: DesiredSize;
  private servingChangedAt: number | null = null;
  private paused: boolean;
  private lastDecision?: Decision & { ts: number; current: number };
  private ops = new Set<Promise<unknown>>();
  private stopped = false;
  private servingNames = "";
  private lastOrphanCheck = 0;
  private unsubscribe: (() => void)[] = [];
  /** The pool tier sizes (pool.ts) and the idle clock (scale to zero). */
  private readonly sizes: PoolSizes;
  private readonly idle: IdleClock;
  private readonly ctx: GroupContext;
  private readonly loop: StepLoop<Decision>;
  private readonly hostUse: HostUse;
  private readonly addresses: AddressFollower;
  private readonly adoption: Adoption;
  private readonly reconciler: Reconciler;
  private readonly deaths: DeathWatch;
  private readonly events: LibvirtEvents;
  private readonly hostLoss: HostLoss | null;

  constructor(private readonly o: GroupOptions) {
    this.now = o.now ?? (() => Date.now());
    this.pc = policyConfigFrom(o.config);
    this.size = new DesiredSize(this.pc.min, { now: this.now, store: o.store, summary: this.summary });
    this.paused = o.config.scaler.paused;
    this.actuator = new Actuator({
      vms: o.vms,
      balancer: o.balancer,
      config: o.config,
      store: o.store,
      now: this.now,
      knownDomains: () => withPlaced(this.monitor.allDomains, o.hosts),
      shutdownTimeoutMs: o.shutdownTimeoutMs,
      changed: () => this.publish(),
      weights: () => this.host.refillShares,
      // A repeat of the last failure is said by the backoff's step line alone.
      quietFailure: (name, message) => this.reconciler.quietFailure(name, message),
    });
    this.summary.launches = this.actuator.launches;
    const ctx: GroupContext = (this.ctx = {
      o,
      actuator: this.actuator,
      summary: this.summary,
      groupName: o.group ?? o.config.auto_scaler_domain_prefix,
      now: this.now,
      stopped: () => this.stopped,
      track: (p) => this.track(p),
      guard: (what, fn) => this.guard(what, fn),
      reconcile: () => this.reconciler.reconcile(),
      publish: () => this.publish(),
    });
    this.hostUse = new HostUse(ctx);
    this.host = this.hostUse.capacity;
    this.sizes = poolSizes(o.config, this.actuator.canPause);
    this.actuator.setPoolWanted(hasPool(this.sizes));
    this.idle = new IdleClock(this.now());
    this.addresses = new AddressFollower(ctx);
    this.adoption = new Adoption(ctx, { sizes: this.sizes, addresses: this.addresses, size: this.size, max: () => this.pc.max });
    const retryMs = o.launchRetryMs ?? 3000;
    this.reconciler = new Reconciler(ctx, {
      size: this.size,
      min: () => this.pc.min,
      sizes: this.sizes,
      host: this.hostUse,
      isRestored: (name) => this.adoption.isRestored(name),
      hot: () => Boolean(this.lastDecision?.hot),
      backoff: { baseMs: retryMs, maxMs: Math.max(retryMs, o.launchBackoffMaxMs ?? 60_000) },
    });
    this.events = new LibvirtEvents(ctx, {
      onLifecycle: (ev) => this.deaths.onLifecycle(ev),
      servingCount: () => this.serving().length,
      resync: () => {
        this.monitor.retryNow();
        if (!this.loop.current) this.loop.schedule(0);
      },
    });
    this.deaths = new DeathWatch(ctx, { source: () => this.events.source, leftHalted: (name) => this.adoption.leftHalted(name), recheckAddress: (m) => this.addresses.recheck(m) });
    this.hostLoss = o.hosts ? new HostLoss(ctx, { hosts: o.hosts, sweep: () => this.adoption.sweep() }) : null;
    this.loop = new StepLoop({ body: () => this.stepBody(), store: o.store, periodMs: () => o.config.scaler.period_s * 1000, enabled: () => !this.stopped && !o.manual });
    const windowMs = 1000 * historyNeededS(this.pc);
    this.monitor = new Monitor({
      connect: o.connect,
      members: () =>
        [...this.actuator.members.values()].map((m) => ({ name: m.name, role: m.role, address: m.address ? `${m.address.host}:${m.address.port}` : undefined, host: o.hosts?.hostOf(m.name) })),
      historyMs: windowMs + 3 * o.config.scaler.period_s * 1000,
      store: o.store,
      now: this.now,
      lb: () => this.hostUse.inFlight.take(),
    });
    registerGroupCommands(o.store, this);
  }

  /** Watch libvirt's events, adopt what we own, then run one step per period. */
  async start(): Promise<void> {
    if ((this.o.config.scaler.pool?.hot ?? 0) > 0 && this.sizes.hot === 0 && this.o.config.scaler.source !== "predefined")
      this.o.store.log("scaler.pool.hot: this VM layer cannot pause VMs: no hot tier", "warn");
    // A request that finds no VM is held by the balancer, which tells us at once (scale from zero).
    this.o.balancer.onDemand?.(() => this.guard("demand with no backend", () => this.onDemand()));
    this.unsubscribe.push(this.adoption.watchRestores());
    await this.events.open();
    this.hostLoss?.start();
    // Predefined domains without our metadata are known only from the monitor's domain list: read it before adopting the running ones.
    if (this.o.config.scaler.source === "predefined") await this.monitor.sample();
    await this.adoption.atStart((running) => this.size.reset(clamp(running, this.pc.min, this.pc.max)));
    this.lastOrphanCheck = this.now();
    await this.monitor.sample(); // the first sample only primes the CPU deltas and the domain list
    this.publish();
    if (this.o.manual) return;
    this.syncSampler();
    this.loop.schedule(this.o.config.scaler.period_s * 1000);
  }

  /** Whether lifecycle events arrive (false: not asked for, refused, or their connection is down). */
  get watchingEvents(): boolean {
    return this.events.watching;
  }

  /**
   * One period's work; public so tests can drive it sample by sample. Never
   * rejects: a failure is logged (once per distinct message) and makes the
   * timer wait longer before the next step. A call during a step returns that step.
   */
  step(): Promise<Decision | undefined> {
    return this.loop.step();
  }

  private async stepBody(): Promise<Decision | undefined> {
    const sample = await this.monitor.sample();
    if (this.stopped) return undefined;
    // Classify: the dead (libvirt's state, or silent in the balancer too long) leave now; reconcile replaces them.
    this.deaths.reap(sample);
    await this.hostUse.read(this.monitor);
    if (this.stopped) return undefined;
    let d: Decision | undefined;
    const now = this.now();
    this.idle.observe(this.o.balancer.backends(), now);
    const state = this.groupState();
    // Compute: the pure policy over the sample history.
    if (!this.paused) {
      d = decide(this.monitor.history(), state, this.pc, now);
      this.lastDecision = { ...d, ts: now, current: state.serving };
      if (d.action !== "none" && d.desired !== this.size.value) this.size.scaleTo(d.desired, d.reason, d.action);
    } else {
      const last = this.monitor.history().at(-1);
      const avgCpu = last ? servingAverage(last) : null;
      this.lastDecision = { desired: this.size.value, reason: "paused", action: "none", avgCpu, windowRemainingS: null, ts: now, current: state.serving };
    }
    // Act: what libvirt has that the group does not track, then toward the desired size.
    if (sample.ok && now - this.lastOrphanCheck >= (this.o.orphanCheckMs ?? 10_000)) {
      this.lastOrphanCheck = now;
      this.adoption.sweep();
    }
    this.reconciler.reconcile();
    this.publish();
    return d;
  }

  /**
   * The concurrency policy averages ten in-flight readings a period; the
   * other policies need only the one the step takes (the view shows it).
   */
  private syncSampler(): void {
    this.hostUse.syncSampler(this.pc.policy === "concurrency" && !this.o.manual && !this.stopped);
  }

  // ---- commands ----
  scaleBy(n: number, reason = "manual"): number {
    const cap = this.host.current;
    const size = this.size;
    if (n > 0 && cap && size.value >= cap.maxVms && size.value >= this.pc.min) {
      this.o.store.log(`scale +${n}: at host capacity: ${cap.text}`, "warn");
      return size.value;
    }
    if (this.resize(size.value + n, reason)) this.publish();
    else this.o.store.log(`scale ${n > 0 ? "+" : ""}${n}: already at ${size.value === this.pc.max ? "max" : "min"} ${size.value}`, "warn");
    return size.value;
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
    this.resize(this.size.value, "settings");
    this.publish();
    return { ...this.pc };
  }

  /** The API's choice for one restore (POST /create with resume true and a `join` field), by the save image's path (adopt.ts). */
  setRestoreJoin(imagePath: string, join: boolean): void {
    this.adoption.setRestoreJoin(imagePath, join);
  }

  /** A running VM of ours made outside the scaler joins the group as a serving member, the group one larger (adopt.ts); else why not. */
  joinVm(name: string, what: string): string | null {
    return this.adoption.join(name, what);
  }

  get desiredSize(): number {
    return this.size.value;
  }
  serving(): Readonly<Member>[] {
    return [...this.actuator.members.values()].filter((m) => m.role === "serving");
  }
  members(): Readonly<Member>[] {
    return [...this.actuator.members.values()];
  }
  view(): ScalerView {
    return scalerView({
      config: this.o.config,
      pc: this.pc,
      paused: this.paused,
      state: this.groupState(),
      desired: this.size.value,
      lastDecision: this.lastDecision,
      actuator: this.actuator,
      host: this.host,
      sizes: this.sizes,
      operations: this.o.store.operations,
      refillWaiting: this.reconciler.refillWaiting,
      history: this.monitor.history(),
      hosts: this.o.hosts?.views(),
    });
  }

  /** Wait until no launch, retire or fill is running (tests, bench). */
  async settle(): Promise<void> {
    while (this.ops.size) await Promise.allSettled([...this.ops]);
  }

  /** Stop scaling, then remove what the run leaves (exit.ts; with --keep, none); summary.leftReasons says why each VM left is there. */
  async stop(opts: { removeVms: boolean }): Promise<GroupSummary> {
    this.stopped = true;
    this.loop.cancel();
    // No VM wakes any more: the balancer drops what finds none (no_backend) instead of holding it.
    this.o.balancer.onDemand?.(null);
    this.actuator.halt();
    this.hostUse.syncSampler(false);
    await this.loop.current;
    for (const u of this.unsubscribe.splice(0)) u();
    this.events.unsubscribeAll();
    this.hostLoss?.stop();
    this.deaths.stopWatches();
    await this.events.close();
    await this.settle();
    await endRun(this.ctx, this.members(), opts);
    await this.monitor.stop();
    this.publish();
    return this.summary;
  }

  // ---- internals ----
  private groupState(): GroupState {
    const { serving, starting } = countActive(this.actuator.members.values(), this.actuator.waitingLaunches);
    // Idleness only matters to a group that may go to zero. It is not idle while a VM starts or requests wait for
    // one (a wake that takes longer than the timeout, a cold boot, must not be undone), and it counts from the last
    // request or the last change of the serving set, whichever came later.
    let idleS: number | null = null;
    if (this.pc.min === 0 && starting === 0 && !(this.o.balancer.holding?.() ?? 0)) {
      const now = this.now();
      idleS = this.idle.idleS(now);
      if (this.servingChangedAt !== null) idleS = Math.min(idleS, Math.max(0, (now - this.servingChangedAt) / 1000));
    }
    return { desired: this.size.value, serving, starting, lastScaleAt: this.size.lastScaleAt, servingChangedAt: this.servingChangedAt, idleS, capacity: this.host.policyCap() };
  }

  /** Drive the group to n, brought within [min, max], outside the policy (a command, new settings); false when it is there already. */
  private resize(n: number, why: string): boolean {
    const to = clamp(n, this.pc.min, this.pc.max);
    const from = this.size.value;
    if (to === from) return false;
    this.size.scaleTo(to, `${why}: ${from} → ${to}`, to > from ? "out" : "in");
    this.reconciler.reconcile();
    return true;
  }

  /**
   * The balancer holds a request that found no VM serving: wake one now (a
   * group at zero goes to one, from the fastest pool tier), not at the next
   * step. With VMs already starting, this only nudges reconcile.
   */
  private onDemand(): void {
    if (this.stopped) return;
    this.idle.demand(this.now());
    if (this.size.value === 0 && this.pc.max > 0) this.size.scaleTo(1, "a request arrived with no VM serving (held by the balancer): 0 → 1", "out");
    this.reconciler.reconcile();
    this.publish();
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((e) => this.o.store.error("scaler", e)).finally(() => this.ops.delete(q));
    this.ops.add(q);
  }

  /** An event handler's failure is logged; it never reaches the event source (or the process). */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.o.store.error(`scaler: ${what}`, e);
    }
  }

  private publish(): void {
    this.deaths.syncProcessWatches();
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
}

// The act part of the group's step: drive the group to the desired size.
// Launches (bounded by the host's capacity, and backed off while they keep
// failing the same way, backoff.ts) or retires (the order classify.ts gives;
// a serving VM goes into the fastest pool tier below its size, pool.ts), then
// keeps the pool tiers filled, one VM at a time. Called by the step and at
// once by whatever changes the group between steps (a death, a command, a
// request that finds no VM).
import { LaunchBackoff } from "./backoff.ts";
import { activeMembers, scaleInVictims } from "./classify.ts";
import type { DesiredSize } from "./desired.ts";
import type { GroupContext } from "./group-context.ts";
import type { HostUse } from "./host-use.ts";
import type { LaunchRecord } from "./member.ts";
import { hasPool, nextFill, retireTier, type PoolSizes } from "./pool.ts";

export interface ReconcileDeps {
  /** The size to drive to; its last change is a launch's decision time (decision to serving is measured from it). */
  size: DesiredSize;
  /** scaler.min, kept even past the host's capacity. */
  min: () => number;
  sizes: PoolSizes;
  host: HostUse;
  /** A VM the user restored from a snapshot: the last to go at scale-in (adopt.ts). */
  isRestored: (name: string) => boolean;
  /** The last decision was on the scale-out side: a pool refill waits. */
  hot: () => boolean;
  /** Wait this long after a failed launch or refill (ms), doubling while it keeps failing the same way, up to maxMs. */
  backoff: { baseMs: number; maxMs: number };
}

export class Reconciler {
  /** Launches and pool refills that keep failing the same way wait longer each time (a crash loop backs off). */
  private readonly launchBackoff: LaunchBackoff;
  private readonly fillBackoff: LaunchBackoff;
  private filling = 0;
  /** Why the due pool refill waits (null: none waits). */
  private waiting: string | null = null;
  /** The desired size a launch was last held back at by the host's capacity (logged once per size). */
  private refusedAt: number | null = null;

  constructor(
    private readonly ctx: GroupContext,
    private readonly d: ReconcileDeps,
  ) {
    this.launchBackoff = new LaunchBackoff(d.backoff);
    this.fillBackoff = new LaunchBackoff(d.backoff);
  }

  /** Why the due pool refill waits, or null (the view shows it). */
  get refillWaiting(): string | null {
    return this.waiting;
  }

  /** A repeat of the last failure is said by the backoff's step line alone (the actuator leaves out its own). */
  quietFailure(name: string, message: string): boolean {
    return this.launchBackoff.isRepeat(message, name) || this.fillBackoff.isRepeat(message, name);
  }

  /** Launch or retire VMs until serving + starting = desired; keep the warm pool filled. */
  reconcile(): void {
    const { ctx, d } = this;
    const { actuator, o } = ctx;
    if (ctx.stopped()) return;
    const desired = d.size.value;
    // A member out of the balancer since its QEMU ended (awaiting libvirt's verdict) is not capacity: its replacement starts now.
    const active = activeMembers(actuator.members.values());
    // Launches waiting for a VM that is entering the pool have no member yet: they count as starting.
    const diff = desired - active.length - actuator.waitingLaunches;
    const now = ctx.now();
    if (diff > 0 && !this.launchBackoff.blocked(now)) {
      const decisionAt = d.size.lastScaleAt ?? now;
      const room = d.host.launchRoom(active.length, d.min());
      if (room < diff && this.refusedAt !== desired) {
        this.refusedAt = desired;
        o.store.log(`scale-out to ${desired} held: at host capacity: ${d.host.capacity.current!.text}`, "warn");
      }
      for (let i = 0; i < Math.min(diff, room); i++) {
        ctx.track(actuator.launch(decisionAt).then((rec) => this.launched(rec)));
      }
    } else if (diff < 0) {
      const victims = scaleInVictims(active, -diff, { restored: d.isRestored, underOperation: (name) => Boolean(o.store.operations.get(name)) });
      // Into the fastest pool tier below its size (pool.ts), counted as they go; at zero, the last go to the best tier anyway.
      const counts = actuator.poolCounts();
      for (const m of victims) {
        const tier = m.role === "serving" ? retireTier(counts, d.sizes, { toZero: desired === 0 }) : null;
        if (tier) counts[tier]++;
        ctx.track(actuator.retire(m, { tier, reason: `scale in to ${desired}` }));
      }
    }
    this.refillPool();
  }

  /** A launch ended: a failure backs off the next one (one line per step, backoff.ts); one that served ends a crash loop. */
  private launched(rec: LaunchRecord): void {
    if (this.ctx.stopped() || rec.cancelled) return;
    if (rec.error !== undefined) {
      const step = this.launchBackoff.failed(rec.error, rec.name || undefined, this.ctx.now());
      this.ctx.o.store.log(step.message, step.count > 1 ? "warn" : "info");
      return;
    }
    if (rec.servingAt === undefined) return;
    const n = this.launchBackoff.succeeded();
    if (n > 1) this.ctx.o.store.log(`${rec.name} serves: launches work again after ${n} failed the same way`);
  }

  /** Keep the pool tiers filled, one VM at a time (boots are CPU-heavy): hot first, promoted from warm when it can be (pool.ts nextFill). */
  private refillPool(): void {
    const { ctx, d } = this;
    if (this.filling > 0 || !hasPool(d.sizes)) return;
    const plan = nextFill(ctx.actuator.poolCounts(), d.sizes);
    this.waiting = plan ? d.host.refillWait(d.hot()) : null;
    if (!plan || this.waiting) return;
    // A refill that keeps failing the same way waits as a launch does.
    if (this.fillBackoff.blocked(ctx.now())) return;
    this.filling++;
    ctx.track(
      ctx.actuator
        .fill(plan.tier, plan.from)
        .then((error) => {
          if (ctx.stopped()) return;
          if (error === undefined) {
            this.fillBackoff.succeeded();
            return;
          }
          const step = this.fillBackoff.failed(error, undefined, ctx.now());
          ctx.o.store.log(`${plan.tier} pool refill: ${step.message}`, step.count > 1 ? "warn" : "info");
        })
        .finally(() => this.filling--),
    );
  }
}

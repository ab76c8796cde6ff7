// The group's subscription to libvirt's events (GroupOptions.events, ffi
// DomainEvents): lifecycle events go to the death watch (deaths.ts), which
// also runs its QEMU process watches on this source; the event connection
// lost and back is said once each, and once back the group samples at once
// (what was missed meanwhile is resynchronised from the sample). Without
// events (not asked for, refused), deaths are seen by the sample only.
import { errorMessage } from "../errors.ts";
import type { GroupContext } from "./group-context.ts";
import type { ConnectionEventLike, LifecycleEventLike, LifecycleSource } from "./ports.ts";

export interface EventDeps {
  onLifecycle: (ev: LifecycleEventLike) => void;
  /** How many members serve now (for the "connection lost" line). */
  servingCount: () => number;
  /** The connection is back: sample now (Monitor.retryNow, and a step at once). */
  resync: () => void;
}

export class LibvirtEvents {
  private events: LifecycleSource | null = null;
  private unsubscribe: (() => void)[] = [];
  private lostAt: number | null = null;

  constructor(
    private readonly ctx: GroupContext,
    private readonly d: EventDeps,
  ) {}

  /** The source, while subscribed (the process watches run on it). */
  get source(): LifecycleSource | null {
    return this.events;
  }

  /** Whether lifecycle events arrive (false: not asked for, refused, or their connection is down). */
  get watching(): boolean {
    return this.events !== null && this.lostAt === null;
  }

  async open(): Promise<void> {
    const { o } = this.ctx;
    if (!o.events) return;
    try {
      this.events = await o.events();
    } catch (e) {
      o.store.log(`no libvirt lifecycle events (${errorMessage(e)}): a dead VM is seen by the ${o.config.scaler.period_s} s sample only`, "warn");
      return;
    }
    this.unsubscribe.push(
      this.events.onLifecycle((ev) => this.ctx.guard("lifecycle event", () => this.d.onLifecycle(ev))),
      this.events.onConnection((ev) => this.ctx.guard("connection event", () => this.onConnection(ev))),
    );
  }

  /** Unsubscribe now (synchronous: no event reaches the group after this). */
  unsubscribeAll(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** Close the source (after unsubscribeAll and the process watches' stop). */
  async close(): Promise<void> {
    const ev = this.events;
    this.events = null;
    await ev?.close().catch((e) => this.ctx.o.store.error("scaler: closing libvirt events", e));
  }

  /** The event connection lost / back: say so once each; once back, sample at once (missed events are resynchronised from it). */
  private onConnection(ev: ConnectionEventLike): void {
    const { o, now } = this.ctx;
    if (ev.state === "lost") {
      if (this.lostAt !== null) return;
      this.lostAt = now();
      o.store.log(`libvirt connection lost (${ev.reason ?? "closed"}): the balancer keeps serving the ${this.d.servingCount()} VM(s) it has; reconnecting`, "warn");
      return;
    }
    const since = this.lostAt;
    this.lostAt = null;
    if (since === null) return;
    o.store.log(`libvirt connection back after ${((now() - since) / 1000).toFixed(1)} s`);
    this.d.resync();
  }
}

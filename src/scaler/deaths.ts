// Death handling: a member that died leaves the balancer and is replaced, by
// three paths that reach one verdict. libvirt's lifecycle events (a domain
// stopped or crashed: at once); each serving member's QEMU process, watched
// through a pidfd (the earliest sign: out of the balancer ~1.2 s before
// libvirt's event, the verdict left to libvirt); the step's sample, the
// fallback (no events on this driver, or their connection down), which also
// replaces a VM the balancer has found silent for too long. A VM under an
// operation (ours, or another process's live mark) is busy, not dead; one
// halted by a snapshot leaves the group still defined.
import { markStale } from "../vm/operations.ts";
import { deadInSample, judgeable, stuckInBalancer } from "./classify.ts";
import type { GroupContext } from "./group-context.ts";
import { leave } from "./group-summary.ts";
import type { Member } from "./member.ts";
import type { MonitorSample } from "./monitor.ts";
import type { LifecycleEventLike, LifecycleSource } from "./ports.ts";

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

export interface DeathDeps {
  /** The event source the process watches run on (null: no events, so no watches). */
  source: () => LifecycleSource | null;
  /** A member left the group halted by a snapshot (adopt.ts: it is one the user may bring back). */
  leftHalted: (name: string) => void;
  /** A serving member just went silent: its address may have moved (addresses.ts). */
  recheckAddress: (m: Readonly<Member>) => void;
}

export class DeathWatch {
  private procWatches = new Map<string, { pid: number; stop: () => void }>();
  /** Members taken out because their QEMU process ended: which pid it was (a new one running means it came back). */
  private endedPid = new Map<string, number>();
  private procWatchFailed = false;

  constructor(
    private readonly ctx: GroupContext,
    private readonly d: DeathDeps,
  ) {}

  /** How long after an operation of this run ends its VM is still spared (a sample taken during it can be read just after). */
  private get opGraceMs(): number {
    return Math.max(this.ctx.o.unhealthyGraceMs ?? 5000, 5000);
  }

  /** The sample's path: VMs that died (state known, libvirt answered, and not running) or unhealthy in the balancer for too long. */
  reap(sample: MonitorSample): void {
    const { o, actuator, summary } = this.ctx;
    const now = this.ctx.now();
    const backends = new Map(o.balancer.backends().map((b) => [b.id, b]));
    const grace = o.unhealthyGraceMs ?? 5000;
    // A VM under an operation of this run (store.operations: a snapshot pauses it, a halt stops it) is busy, not
    // dead; a sample taken during one can be read just after it ends, so the VM is spared a few seconds more.
    const ops = o.store.operations;
    for (const m of actuator.members.values()) {
      const underOp = ops.activeWithin(m.name, this.opGraceMs);
      if (!judgeable(m, underOp)) continue;
      const r = sample.readings.get(m.name);
      const dead = deadInSample(m, r, sample.ok, sample.ts);
      if (m.outSince !== undefined && sample.ok && r?.state === "running") {
        // Out since its QEMU ended, and libvirt says it runs: still cleaning up, or a new QEMU (restored).
        const ended = this.endedPid.get(m.name);
        const pid = o.vms.pidOf?.(m.name) ?? null;
        if ((pid !== null && ended !== undefined && pid !== ended) || now - m.outSince > 15_000) {
          this.endedPid.delete(m.name);
          actuator.putBack(m, `runs again${pid !== null ? ` (QEMU process ${pid})` : ""}`);
        }
        continue;
      }
      const wasUnhealthy = m.unhealthySince !== undefined;
      actuator.observe(m, backends.get(m.name), now);
      if (!wasUnhealthy && m.unhealthySince !== undefined && m.role === "serving") this.d.recheckAddress(m);
      const stuck = stuckInBalancer(m, now, grace, sample.ok);
      if (!dead && !stuck) continue;
      const seen = this.outsideOperation(m, dead);
      if (seen === "spared") continue;
      const why = (dead ? `VM is ${r!.state}` : `unhealthy in the balancer for ${((now - m.unhealthySince!) / 1000).toFixed(1)} s`) + (seen ? ` and ${seen}` : "");
      summary.replaced++;
      o.store.log(`${m.name}: ${why}; taken out and replaced`, "warn");
      this.ctx.track(actuator.fail(m, why));
    }
  }

  /**
   * libvirt says a domain stopped or crashed: a serving member leaves the
   * balancer now (Actuator.fail, no drain: it answers nothing) and reconcile
   * starts its replacement, from the warm pool when there is one. Members
   * under an operation (ours: busy; another process's: its mark) are judged
   * as the sample path judges them (outsideOperation).
   */
  onLifecycle(ev: LifecycleEventLike): void {
    const death = deathOf(ev);
    if (death) this.diedNow(ev.name, `VM ${death} (libvirt event)`);
  }

  /**
   * A serving member's QEMU process ended (its pidfd, in the event loop): the
   * earliest sign on this host, ~1.2 s before libvirt's STOPPED here. It leaves
   * the balancer now (Actuator.takeOut, no libvirt call: libvirt holds that
   * domain while it cleans up and a call would stall this thread), so no
   * request waits on it. What happened (died, or saved by another process's
   * snapshot) is judged when libvirt tells: its STOPPED event or the next
   * sample (diedNow / reap), which read the domain's operation mark; only a
   * death there starts the replacement (until then it counts as capacity:
   * classify.isActive). A VM that runs again is put back.
   */
  private onProcessExit(name: string, pid: number): void {
    const { o, actuator } = this.ctx;
    if (this.procWatches.get(name)?.pid !== pid) return; // a watch of an earlier life of that VM
    this.procWatches.delete(name);
    if (this.ctx.stopped()) return;
    const m = actuator.members.get(name);
    if (!m || m.busy || m.role !== "serving" || m.outSince !== undefined) return;
    if (o.store.operations.activeWithin(m.name, this.opGraceMs)) return;
    this.endedPid.set(name, pid);
    o.store.log(`${name}: QEMU process ${pid} ended: out of the balancer; libvirt's verdict decides whether it is replaced`, "warn");
    actuator.takeOut(m, `QEMU process ${pid} ended`);
    this.ctx.reconcile();
    this.ctx.publish();
  }

  /** The event paths' verdict, the same as the sample's: busy members and other processes' operations are spared. */
  private diedNow(name: string, what: string): void {
    const { o, actuator, summary } = this.ctx;
    if (this.ctx.stopped()) return;
    const m = actuator.members.get(name);
    if (!m || m.busy || !m.booted || (m.role !== "serving" && m.role !== "starting")) return;
    if (o.store.operations.activeWithin(m.name, this.opGraceMs)) return;
    const seen = this.outsideOperation(m, true);
    if (seen === "spared") return;
    const why = `${what}${seen ? ` and ${seen}` : ""}`;
    summary.replaced++;
    o.store.log(`${m.name}: ${why}; taken out and replaced`, "warn");
    this.endedPid.delete(m.name);
    this.ctx.track(actuator.fail(m, why));
    this.ctx.reconcile();
    this.ctx.publish();
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
    const { o, actuator, summary } = this.ctx;
    const seen = o.store.operations.inspectOrUnknown(m.name);
    // libvirt did not answer (another process's save job holds the domain, or libvirtd is away): no verdict yet;
    // the next sample asks again.
    if (seen === "unknown") return "spared";
    if (!seen) return null;
    // A halt mark on a running domain is a leftover (started again by hand): not a reason to let it go.
    if (seen.halted && seen.state !== "running") {
      const detail = `halted by a snapshot (${seen.halted.path}): left the group, still defined; restore it with virtscale restore`;
      o.store.log(`${m.name}: ${detail}`, "warn");
      leave(summary, m.name, detail);
      this.d.leftHalted(m.name);
      actuator.release(m, detail);
      return "spared";
    }
    if (seen.mark) {
      const stale = markStale(seen.mark, Date.now());
      return stale ?? "spared";
    }
    return dead && seen.state === "running" ? "spared" : null;
  }

  /**
   * Serving members' QEMU processes, watched for their end (VmOps.pidOf: the
   * local qemu:///system's pid files; other hosts and drivers have none, and
   * rely on libvirt's events and the sample). Kept in step on every publish.
   */
  syncProcessWatches(): void {
    const { o, actuator } = this.ctx;
    const ev = this.d.source();
    if (!ev || !o.vms.pidOf) return;
    // Not a member already out because its process ended: its pid file names that process until libvirt has cleaned up.
    const serving = new Set([...actuator.members.values()].filter((m) => m.role === "serving" && m.outSince === undefined).map((m) => m.name));
    for (const [name, w] of this.procWatches) {
      if (serving.has(name)) continue;
      w.stop();
      this.procWatches.delete(name);
    }
    for (const name of serving) {
      if (this.procWatches.has(name)) continue;
      const pid = o.vms.pidOf(name);
      if (!pid || pid === this.endedPid.get(name)) continue;
      const stop = ev.watchProcess(
        pid,
        (x) => {
          // Gone before the watch began: the pid file was older than the VM; libvirt's event and the sample decide.
          if (!x.already) this.ctx.guard("process exit", () => this.onProcessExit(name, pid));
          else if (this.procWatches.get(name)?.pid === pid) this.procWatches.delete(name);
        },
        (why) => {
          if (!this.procWatchFailed) o.store.log(`cannot watch QEMU processes (${why}): deaths are seen by libvirt's events`, "warn");
          this.procWatchFailed = true;
        },
      );
      this.procWatches.set(name, { pid, stop });
    }
  }

  /** The run ends: no process is watched any more. */
  stopWatches(): void {
    for (const w of this.procWatches.values()) w.stop();
    this.procWatches.clear();
  }
}

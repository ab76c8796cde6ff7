// What the group does when one of its hosts is lost, and when it is back
// (a group over several hosts: host-set.ts says when). Lost: every serving
// member on it leaves the balancer at once (no request more is sent to a VM
// that may be gone) and is probed (the service check, PROBE_MS); one that does
// not answer is replaced on the other hosts now, not after a timeout per
// request or the unhealthy grace. One that answers goes back in: only its
// libvirt went (libvirtd restarted), the VM serves on. Members still
// starting there are left to their launch (its calls to a lost host fail), and
// when the connection closed its pool VMs leave the pool (a resume there
// cannot work), so a launch takes a pool VM elsewhere.
// Back: what the group left there while it was lost (the members it replaced,
// the pool VMs it dropped) is removed; predefined domains only shut down.
import { waitServing as probeAddress } from "../../vm/ready.ts";
import { serviceCheckOf } from "../../protocol/service.ts";
import type { GroupContext } from "../group-context.ts";
import type { Member } from "../member.ts";
import type { HostEvent, HostsLike } from "./host-set.ts";

/** How long a member of a lost host has to answer its probe before it is replaced (it is out of rotation from the loss on; a VM under load answers a probe behind its queue). */
export const PROBE_MS = 1000;

export interface HostLossDeps {
  hosts: HostsLike;
  /** Look for running VMs of the group that it does not track now (adopt.ts sweep). */
  sweep: () => void;
  /** Probe an address once within ms (default: the service check, vm/ready.ts); resolves when it answers. */
  probe?: (addr: { host: string; port: number }, ms: number) => Promise<unknown>;
}

export class HostLoss {
  private unsub: (() => void) | null = null;

  constructor(
    private readonly ctx: GroupContext,
    private readonly d: HostLossDeps,
  ) {}

  start(): void {
    this.unsub = this.d.hosts.onHost((ev) => this.ctx.guard("host state", () => this.on(ev)));
  }

  stop(): void {
    this.unsub?.();
    this.unsub = null;
  }

  private on(ev: HostEvent): void {
    if (this.ctx.stopped()) return;
    if (ev.state === "lost") this.ctx.track(this.lost(ev.uri, ev.reason ?? "lost", ev.silent ?? false));
    else if (ev.state === "up" && ev.from === "lost") this.ctx.track(this.back(ev.uri));
  }

  private probe(addr: { host: string; port: number }, ms: number): Promise<unknown> {
    if (this.d.probe) return this.d.probe(addr, ms);
    const c = this.ctx.o.config;
    return probeAddress(addr, { scale: c.vm.work_scale, check: serviceCheckOf(c), timeoutMs: ms, intervalMs: 100 });
  }

  /** What the group left on each lost host (members failed or dropped there), to remove when it is back: predefined ones are only shut down. */
  private readonly left = new Map<string, Map<string, { predefined: boolean; startedByRun: boolean }>>();

  private leave(uri: string, m: { name: string; kind: string; startedByRun: boolean }): void {
    let on = this.left.get(uri);
    if (!on) this.left.set(uri, (on = new Map()));
    on.set(m.name, { predefined: m.kind === "predefined", startedByRun: m.startedByRun });
  }

  /**
   * Its members: the serving ones out at once and probed, the silent ones
   * replaced; a connection that closed also drops its pool VMs (a resume there
   * cannot work). A host that only went silent keeps its pool (one slow answer
   * must not wipe it). Members still starting there are left to their launch,
   * whose calls to a lost host fail (host-set.ts), so it ends once, as a launch.
   */
  async lost(uri: string, reason: string, silent: boolean): Promise<void> {
    const { actuator, summary, o } = this.ctx;
    const on = [...actuator.members.values()].filter((m) => this.d.hosts.hostOf(m.name) === uri);
    if (!on.length) return;
    const t0 = this.ctx.now();
    await Promise.all(
      on.map(async (m) => {
        if (m.busy) return;
        if ((m.role === "warm" || m.role === "hot") && !silent) {
          this.leave(uri, m);
          actuator.release(m, `its host ${uri} is lost: out of the pool (removed when the host is back)`);
          return;
        }
        if (m.role !== "serving") return;
        const wasOut = m.outSince !== undefined;
        actuator.takeOut(m, `its host ${uri} is lost (${reason}); probing it`);
        const answers = m.address ? await this.probe(m.address, PROBE_MS).then(() => true, () => false) : false;
        const cur = actuator.members.get(m.name);
        if (!cur || cur !== m || m.busy || this.ctx.stopped()) return;
        if (answers) {
          if (!wasOut) actuator.putBack(m, `it answers though its host ${uri} is lost: it serves on`);
          o.store.log(`${m.name}: its host ${uri} is lost (${reason}), but it answers: it serves on`, "warn");
          return;
        }
        summary.replaced++;
        const why = `its host ${uri} is lost (${reason}) and it does not answer (${PROBE_MS} ms probe, ${this.ctx.now() - t0} ms after the loss)`;
        o.store.log(`${m.name}: ${why}; replaced on another host`, "warn");
        this.leave(uri, m);
        this.failNow(m, why);
      }),
    );
    this.ctx.publish();
  }

  /** Out of the balancer and not counted from this moment (fail's first, synchronous part); its clean-up on the lost host fails at once, and the replacement starts now. */
  private failNow(m: Member, why: string): void {
    this.ctx.track(this.ctx.actuator.fail(m, why));
    this.ctx.reconcile();
    this.ctx.publish();
  }

  /**
   * The host is back: what the group left there while it was lost (the
   * members it replaced, the pool VMs it dropped) is removed, running or not
   * (they were replaced); a predefined domain is the user's: shut down if this
   * run started it, never undefined. Nothing else there is touched: a VM of
   * the group the group did not leave there (adopted by a sweep, halted by a
   * snapshot, made through the API) is the sweep's and the exit's business.
   */
  async back(uri: string): Promise<void> {
    const { actuator, o } = this.ctx;
    const left = this.left.get(uri);
    this.left.delete(uri);
    for (const [name, k] of left ?? []) {
      if (this.ctx.stopped()) return;
      if (actuator.members.has(name)) continue;
      try {
        if (!k.predefined) {
          await o.vms.destroy(name);
          o.store.log(`${name}: left on ${uri} while that host was lost: removed`);
        } else if (k.startedByRun) {
          await o.vms.shutdown(name, { timeoutMs: 5000 });
          o.store.log(`${name}: left on ${uri} while that host was lost: shut down (predefined: stays defined)`);
        }
      } catch (e) {
        o.store.error(`clean up ${name} on ${uri}`, e);
      }
    }
    this.d.sweep();
  }
}

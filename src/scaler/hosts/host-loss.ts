// What the group does when one of its hosts is lost, and when it is back
// (a group over several hosts: host-set.ts says when). Lost: every serving
// member on it leaves the balancer at once (no request more is sent to a VM
// that may be gone) and is probed (the service check, PROBE_MS); one that does
// not answer is replaced on the other hosts now, not after a timeout per
// request or the unhealthy grace. One that answers goes back in: only its
// libvirt went (libvirtd restarted), the VM serves on. Members still
// starting there fail (their launch cannot finish), and its pool VMs leave the
// pool (a resume there cannot work), so a launch takes a pool VM elsewhere.
// Back: what the group left there while it was lost (the domains of the
// failed members, the pool VMs) is removed; a running VM of the group there
// that still answers is adopted by the next sweep, as any VM of ours is.
import { waitServing as probeAddress } from "../../vm/ready.ts";
import { serviceCheckOf } from "../../protocol/service.ts";
import { errorMessage } from "../../errors.ts";
import type { GroupContext } from "../group-context.ts";
import type { HostEvent, HostsLike } from "./host-set.ts";

/** How long a member of a lost host has to answer one probe before it is out (the bound is 1 s to out of rotation). */
export const PROBE_MS = 600;

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
    if (ev.state === "lost") this.ctx.track(this.lost(ev.uri, ev.reason ?? "lost"));
    else if (ev.state === "up" && ev.from === "lost") this.ctx.track(this.back(ev.uri));
  }

  private probe(addr: { host: string; port: number }, ms: number): Promise<unknown> {
    if (this.d.probe) return this.d.probe(addr, ms);
    const c = this.ctx.o.config;
    return probeAddress(addr, { scale: c.vm.work_scale, check: serviceCheckOf(c), timeoutMs: ms, intervalMs: 100 });
  }

  /** Its members: the silent ones out and replaced, the starting ones failed, the pool ones dropped. */
  async lost(uri: string, reason: string): Promise<void> {
    const { actuator, summary, o } = this.ctx;
    const on = [...actuator.members.values()].filter((m) => this.d.hosts.hostOf(m.name) === uri);
    if (!on.length) return;
    const t0 = this.ctx.now();
    await Promise.all(
      on.map(async (m) => {
        if (m.busy) return;
        if (m.role === "warm" || m.role === "hot") {
          actuator.release(m, `its host ${uri} is lost: out of the pool (removed when the host is back)`);
          return;
        }
        if (m.role === "starting") {
          summary.replaced++;
          this.failNow(m, `its host ${uri} is lost (${reason}) while it started`);
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
        this.failNow(m, why);
      }),
    );
    this.ctx.publish();
  }

  /** Out of the balancer and not counted from this moment (fail's first, synchronous part); its clean-up on the lost host runs on, and the replacement starts now. */
  private failNow(m: Parameters<GroupContext["actuator"]["fail"]>[0], why: string): void {
    this.ctx.track(this.ctx.actuator.fail(m, why));
    this.ctx.reconcile();
    this.ctx.publish();
  }

  /** The host is back: the group's VMs libvirt has there that are not members (left while it was lost) are removed; running ones are left to the sweep. */
  async back(uri: string): Promise<void> {
    const { actuator, o } = this.ctx;
    let vms;
    try {
      vms = await this.d.hosts.listOwnedOn(uri);
    } catch (e) {
      o.store.log(`host ${uri} is back, but its VMs cannot be listed yet (${errorMessage(e)}): the next sweep looks again`, "warn");
      return;
    }
    for (const vm of vms) {
      if (this.ctx.stopped()) return;
      if (vm.group !== undefined && vm.group !== this.ctx.groupName) continue;
      if (actuator.members.has(vm.name) || vm.role === "api") continue;
      if (vm.state === "running") continue; // the sweep adopts it if it answers; else reconcile retires what is over
      try {
        await o.vms.destroy(vm.name);
        o.store.log(`${vm.name}: left on ${uri} while that host was lost (${vm.state}): removed`);
      } catch (e) {
        o.store.error(`clean up ${vm.name} on ${uri}`, e);
      }
    }
    this.d.sweep();
  }
}

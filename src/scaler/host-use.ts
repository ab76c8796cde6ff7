// The group's side of the host's capacity (capacity.ts decides, this feeds
// it): the host's figures read once per step with the vCPUs the group keeps
// busy, the CPU weights learnt off the first serving VM, how many more VMs a
// reconcile may launch, why a pool refill waits, and the balancer's
// in-flight sampler that only the concurrency policy needs running.
import { HostCapacity } from "./capacity.ts";
import { busyVcpus, countActive } from "./classify.ts";
import { InFlightSampler } from "./concurrency.ts";
import type { GroupContext } from "./group-context.ts";
import type { Monitor } from "./monitor.ts";

export class HostUse {
  /** The host's capacity, and how pool refills run beside the serving VMs (capacity.ts). */
  readonly capacity: HostCapacity;
  /** The balancer's requests in flight per backend, read every 100 ms: the concurrency policy's input (concurrency.ts). */
  readonly inFlight: InFlightSampler;

  constructor(private readonly ctx: GroupContext) {
    const { o } = ctx;
    const sc = o.config.scaler;
    this.capacity = new HostCapacity(
      { overcommit: sc.overcommit, reserveCores: sc.reserve_cores, vcpusPerVm: o.config.vm.vcpus, memoryMiBPerVm: o.config.vm.memory_mib, refillWeight: sc.refill_weight },
      { canWeigh: typeof o.vms.cpuShares === "function" && typeof o.vms.setCpuShares === "function" },
    );
    this.inFlight = new InFlightSampler(() => o.balancer.backends());
  }

  /** vCPUs running at normal CPU weight: members serving, starting or draining, and pool refills that could not be given a low weight. */
  busyVcpus(): number {
    return busyVcpus(this.ctx.actuator.members.values(), this.ctx.o.config.vm.vcpus, this.capacity.refillShares !== null);
  }

  /** The host's figures for this period (through the monitor's worker connection), and the CPU weights once a VM serves. */
  async read(monitor: Monitor): Promise<void> {
    const { o, actuator } = this.ctx;
    const reading = await monitor.readHost();
    this.capacity.update(reading, this.busyVcpus(), performance.now());
    const first = [...actuator.members.values()].find((m) => m.role === "serving");
    const read = o.vms.cpuShares;
    if (first && read && this.capacity.needsWeights) this.ctx.track(this.capacity.learnWeights(() => read.call(o.vms, first.name)));
  }

  /** How many more VMs the host lets this group launch now (reconcile's bound; the policy's decision already respects it). */
  launchRoom(active: number, min: number): number {
    const cap = this.capacity.current;
    if (!cap) return Infinity;
    // A group must serve: scaler.min is kept even past the cap.
    return Math.max(min - active, cap.maxVms - active, 0);
  }

  /** Why the pool refill due now waits, or null (capacity.ts HostCapacity.refillWait); `hot`: the last decision found the serving VMs above their scale-out mark. */
  refillWait(hot: boolean): string | null {
    const { starting } = countActive(this.ctx.actuator.members.values(), this.ctx.actuator.waitingLaunches);
    return this.capacity.refillWait({ starting, busyVcpus: this.busyVcpus(), hot });
  }

  /**
   * The concurrency policy averages ten in-flight readings a period; the
   * other policies need only the one the step takes (the view shows it).
   */
  syncSampler(on: boolean): void {
    if (on) this.inFlight.start();
    else this.inFlight.stop();
  }
}

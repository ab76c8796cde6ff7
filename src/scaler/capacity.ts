// Host-aware capacity: how many of the group's VMs this host can run busy at
// once, from what libvirt says of the host (virNodeGetInfo: cores and memory;
// virNodeGetCPUStats: how busy it is; virNodeGetFreeMemory) and what
// virtscale itself uses (/proc/self/stat). The rule (capacityOf) is pure.
//
// The rule. A VM's vCPUs count as busy while it runs at normal CPU weight:
// serving, starting, draining, and a warm-pool refill that could not be given
// a low weight. A saved pool VM counts nothing, nor does a refill at low
// weight: the kernel gives it only CPU the others leave (cgroup cpu shares,
// capacity of the group unchanged). The group may run
//     round((cores - reserve) x overcommit)
// vCPUs, where reserve is virtscale's own share of the host (measured: its
// process's CPU time, smoothed; or scaler.reserve_cores). Rounded to the
// nearest whole vCPU, not down: vCPUs are whole, and on the demo's 2-core
// host virtscale (balancer, load generator, dashboard) uses ~0.1-0.3 of a
// core; rounding down would give a whole core to a tenth of one and run one
// VM where two fit. Once virtscale needs more than half a core, that core is
// its own (2 cores -> 1 VM). Memory: the running VMs' vm.memory_mib stay
// within 90 % of the host's memory (the rest is the host's own).
//
// The cap never holds the group below scaler.min (a group must serve); above
// it, a scale-out the cap refuses says so: "at host capacity: 2 of 2 cores".
import { readFileSync } from "node:fs";
import type { CapacityView } from "../events.ts";

/** The host as libvirt reports it. */
export interface HostReading {
  /** Logical CPUs (virNodeGetInfo cpus). */
  cpus: number;
  /** Host memory (virNodeGetInfo memory), KiB. */
  memoryKiB: number;
  /** virNodeGetFreeMemory, bytes; null when it could not be read. */
  freeMemoryBytes: number | null;
  /** Host CPU busy % over the last sample period (all CPUs, 100 = every core busy), from two virNodeGetCPUStats readings; null until two exist. */
  busyPct: number | null;
}

export interface CapacityInput {
  host: HostReading | null;
  /** virtscale's own CPU use in cores (OwnCpuMeter), null when unknown. */
  ownCores: number | null;
  /** scaler.reserve_cores when set: overrides the measured share. */
  reserveCores?: number;
  overcommit: number;
  vcpusPerVm: number;
  memoryMiBPerVm: number;
  /** vCPUs of the group's VMs running at normal weight now (see the rule above). */
  busyVcpus: number;
}

/** What the dashboard, --json and the decision reasons show (ScalerView.capacity, which adds whether the group is at the cap). */
export type Capacity = Omit<CapacityView, "atCap">;

/** Share of host memory the group's VMs may take. */
export const MEMORY_SHARE = 0.9;

export function capacityOf(i: CapacityInput): Capacity | null {
  if (!i.host || !(i.host.cpus > 0)) return null;
  const cores = i.host.cpus;
  const reserveFrom = i.reserveCores !== undefined ? "config" : "measured";
  const reserveCores = i.reserveCores ?? i.ownCores ?? 0;
  const vcpus = Math.max(0, Math.round((cores - reserveCores) * i.overcommit));
  const memoryMiB = i.host.memoryKiB / 1024;
  const perVm = Math.max(1, i.vcpusPerVm);
  const byCpu = Math.floor(vcpus / perVm);
  const byMemory = i.memoryMiBPerVm > 0 ? Math.floor((memoryMiB * MEMORY_SHARE) / i.memoryMiBPerVm) : Infinity;
  const bound = byMemory < byCpu ? "memory" : "cpu";
  const maxVms = Math.min(byCpu, byMemory);
  const text =
    bound === "memory"
      ? `${Math.round(i.busyVcpus / perVm)} of ${maxVms} VMs' memory (${i.memoryMiBPerVm} MiB each of ${Math.round(memoryMiB * MEMORY_SHARE)} MiB)`
      : i.overcommit === 1
        ? `${i.busyVcpus} of ${vcpus} cores`
        : `${i.busyVcpus} of ${vcpus} vCPUs on ${cores} cores x ${i.overcommit}`;
  return {
    cores,
    memoryMiB: Math.round(memoryMiB),
    freeMemoryMiB: i.host.freeMemoryBytes === null ? null : Math.round(i.host.freeMemoryBytes / 1048576),
    hostBusyPct: i.host.busyPct === null ? null : Math.round(i.host.busyPct),
    reserveCores: Math.round(reserveCores * 100) / 100,
    reserveFrom,
    overcommit: i.overcommit,
    vcpus,
    busyVcpus: i.busyVcpus,
    maxVms,
    bound,
    text,
  };
}

/** Whether a VM of `vcpusPerVm` more fits beside `busyVcpus` (the refill's headroom check). */
export function fits(c: Capacity, busyVcpus: number, vcpusPerVm: number): boolean {
  return busyVcpus + vcpusPerVm <= c.vcpus;
}

/** Host CPU busy % between two virNodeGetCPUStats readings (ns by field: busy is everything but idle and iowait). */
export class HostCpuMeter {
  private last: { busy: bigint; total: bigint } | null = null;

  /** The busy % since the previous reading, null for the first one or a reading without the fields. */
  read(stats: Record<string, bigint> | null): number | null {
    if (!stats || stats.idle === undefined) {
      this.last = null;
      return null;
    }
    let total = 0n;
    for (const v of Object.values(stats)) total += v;
    const busy = total - stats.idle - (stats.iowait ?? 0n);
    const prev = this.last;
    this.last = { busy, total };
    if (!prev || total <= prev.total || busy < prev.busy) return null;
    return (Number(busy - prev.busy) / Number(total - prev.total)) * 100;
  }
}

/** USER_HZ: /proc reports process times in these ticks (100 on every Linux architecture virtscale runs on). */
const USER_HZ = 100;

/** This process's CPU time (user + system, every thread) in seconds, from /proc/self/stat; null off Linux. */
export function ownCpuSeconds(read: () => string = () => readFileSync("/proc/self/stat", "utf8")): number | null {
  let text: string;
  try {
    text = read();
  } catch {
    return null;
  }
  // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
  const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state): utime is field 14, stime field 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
  return (utime + stime) / USER_HZ;
}

/**
 * virtscale's own CPU use in cores, smoothed (exponential, ~10 s time
 * constant): the balancer, the load generator and the dashboard run in this
 * process, and a one-second burst (a calibration, a redraw) must not move the
 * capacity up and down.
 */
export class OwnCpuMeter {
  private last: { atMs: number; cpuS: number } | null = null;
  private smoothed: number | null = null;

  constructor(
    private readonly tauMs = 10_000,
    private readonly cpuSeconds: () => number | null = () => ownCpuSeconds(),
  ) {}

  /** Take a reading at atMs (monotonic ms); the smoothed share in cores, null until two readings exist. */
  read(atMs: number): number | null {
    const cpuS = this.cpuSeconds();
    if (cpuS === null) return this.smoothed;
    const prev = this.last;
    this.last = { atMs, cpuS };
    if (!prev || atMs <= prev.atMs) return this.smoothed;
    const cores = Math.max(0, ((cpuS - prev.cpuS) * 1000) / (atMs - prev.atMs));
    const a = 1 - Math.exp(-(atMs - prev.atMs) / this.tauMs);
    this.smoothed = this.smoothed === null ? cores : this.smoothed + a * (cores - this.smoothed);
    return this.smoothed;
  }

  get cores(): number | null {
    return this.smoothed;
  }
}

/**
 * The warm-pool refill's CPU weights: `normal` is what a serving VM gets on
 * this host (libvirt's cpu_shares of the first serving VM, 1024 on cgroup
 * v1, 100 on cgroup v2), `low` its refill_weight fraction (at least 2, the
 * kernel's minimum).
 */
export function refillShares(normal: number, weight: number): { normal: number; low: number } | null {
  if (!(normal > 0) || !(weight > 0)) return null;
  return { normal, low: Math.max(2, Math.round(normal * weight)) };
}

/** What the refill gate needs to know about the group now. */
export interface RefillSituation {
  /** Members starting (launches under way, waiting ones included). */
  starting: number;
  /** vCPUs running at normal weight (members serving, starting, draining). */
  busyVcpus: number;
  /** The policy's signal is on the scale-out side: a scale-out may come, or (at max) the serving VMs are working off a backlog. */
  hot: boolean;
}

/**
 * The group's view of its host: the capacity each period, and how the pool's
 * refills run beside the serving VMs. Refills (a pool VM's boot and save)
 * never compete with serving VMs: with cgroup CPU weights they run at low
 * weight (cpu shares = the serving VMs' x scaler.refill_weight); without them
 * they wait until their vCPUs fit under the capacity. In both modes a refill
 * waits while a VM is starting (a resume or boot must not share the CPU, nor
 * queue behind the refill's libvirt calls on the worker) and while the
 * policy's signal is on the scale-out side: below max the launch comes first;
 * at max the serving VMs are working off a backlog (just after a scale-out),
 * and a domain start also costs libvirtd CPU that the new VM's weight does not
 * cover (seen on a busy host: two serving VMs at 50 % CPU with full queues for
 * 10 s while a refill was being started beside them). The pool is wanted for
 * the next scale-out, and none comes at max before a scale-in, which fills it.
 */
export class HostCapacity {
  private readonly own: OwnCpuMeter;
  /** The weights, once the first serving VM told (null: not known yet). */
  private shares: { low: number; normal: number } | null = null;
  private weights: "unknown" | "checking" | "on" | "off";
  private weightsWhy: string | undefined;
  current: Capacity | null = null;

  constructor(
    private readonly c: { overcommit: number; reserveCores?: number; vcpusPerVm: number; memoryMiBPerVm: number; refillWeight: number },
    opts: { canWeigh: boolean; own?: OwnCpuMeter } = { canWeigh: true },
  ) {
    this.own = opts.own ?? new OwnCpuMeter();
    if (c.refillWeight <= 0) [this.weights, this.weightsWhy] = ["off", "scaler.refill_weight is 0"];
    else if (!opts.canWeigh) [this.weights, this.weightsWhy] = ["off", "the VM layer cannot set CPU weights"];
    else this.weights = "unknown";
  }

  /** A new period: the host's reading, virtscale's own share, the vCPUs busy now (atMs: monotonic ms). */
  update(host: HostReading | null, busyVcpus: number, atMs: number): Capacity | null {
    const ownCores = this.own.read(atMs);
    // Keep the last reading while libvirt does not answer: the host did not shrink.
    this.lastHost = host ?? this.lastHost;
    this.current = capacityOf({ host: this.lastHost, ownCores, reserveCores: this.c.reserveCores, overcommit: this.c.overcommit, vcpusPerVm: this.c.vcpusPerVm, memoryMiBPerVm: this.c.memoryMiBPerVm, busyVcpus });
    return this.current;
  }
  private lastHost: HostReading | null = null;

  /** For the policy: the VMs the host can take and the figure to quote (null when not known). */
  policyCap(): { maxVms: number; text: string } | null {
    return this.current ? { maxVms: this.current.maxVms, text: this.current.text } : null;
  }

  /** Whether the CPU weights still need to be read off a serving VM (call learnWeights then). */
  get needsWeights(): boolean {
    return this.weights === "unknown";
  }

  /** Read a serving VM's cpu shares (what a VM gets here): weights on; libvirt's refusal (no cgroup CPU controller): off, with its message. */
  async learnWeights(read: () => Promise<number>): Promise<void> {
    if (this.weights !== "unknown") return;
    this.weights = "checking";
    try {
      const s = refillShares(await read(), this.c.refillWeight);
      if (s) [this.weights, this.shares] = ["on", s];
      else [this.weights, this.weightsWhy] = ["off", "the serving VM reports no cpu shares"];
    } catch (e) {
      this.weights = "off";
      this.weightsWhy = `no CPU weights here: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** The weights a refill and a joining VM get (null: refills wait for headroom instead). */
  get refillShares(): { low: number; normal: number } | null {
    return this.weights === "on" ? this.shares : null;
  }

  /** Why a refill due now must wait, or null: it may start (at low weight when refillShares is set). */
  refillWait(s: RefillSituation): string | null {
    // With nothing running (a group at zero, scaler.min 0) a refill competes with no one: it runs, or there would never be a pool to wake from.
    if ((this.weights === "unknown" || this.weights === "checking") && s.busyVcpus > 0) return "waiting for the first serving VM (its CPU weight says whether refills can run at low weight)";
    if (s.starting > 0) return `waiting: ${s.starting === 1 ? "a VM is" : `${s.starting} VMs are`} starting`;
    if (s.hot) return "waiting: the serving VMs are above their scale-out mark";
    if (this.weights === "off" && this.current && !fits(this.current, s.busyVcpus, this.c.vcpusPerVm))
      return `waiting for headroom: ${s.busyVcpus} of ${this.current.vcpus} ${this.c.overcommit === 1 ? "cores" : "vCPUs"} busy`;
    return null;
  }

  /** The dashboard's and --json's refill line. */
  refillView(state: "idle" | "waiting" | "booting" | "saving", reason?: string): { state: typeof state; mode: "low weight" | "headroom" | "unknown"; shares?: { low: number; normal: number }; reason?: string } {
    const mode = this.weights === "on" ? "low weight" : this.weights === "off" ? "headroom" : "unknown";
    const why = reason ?? (this.weights === "off" ? this.weightsWhy : undefined);
    return { state, mode, ...(this.shares && this.weights === "on" ? { shares: this.shares } : {}), ...(why ? { reason: why } : {}) };
  }
}

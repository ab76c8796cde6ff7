// The event and view types every part shares. The store holds them; the Ink
// dashboard, the --json NDJSON writer and the API's SSE stream read them.
// Documented in README ("--json schema"): change both together.

/** hot: a pool VM kept paused (booted, ready in ms); warm: a pool VM managed-saved (src/scaler/pool.ts). */
export type VmRole = "serving" | "starting" | "draining" | "hot" | "warm" | "stopped" | "failed" | "unmanaged";

/** One VM as the dashboard and --json see it. */
export interface VmView {
  name: string;
  uuid?: string;
  /** libvirt state name: running, paused, shutoff, crashed, pmsuspended, blocked, shutdown, nostate. */
  state: string;
  role: VmRole;
  vcpus: number;
  memoryKiB: number;
  /** Latest CPU %, null when the sample is missing (never read as 0). */
  cpuPct: number | null;
  /** Service address on the host (HOST:PORT) when known. */
  address?: string;
  /** The libvirt host it runs on (its URI), in a group spread over several (config hosts, repeated -c). */
  host?: string;
  /** Balancer figures for this VM as a backend, when it is one. */
  rps?: number;
  inFlight?: number;
  p99Ms?: number | null;
}

/** Per-backend and total counters of the balancer. */
export interface LbCounters {
  requestsIn: number;
  forwarded: number;
  answered: number;
  timedOut: number;
  inFlight: number;
  dropped: Record<string, number>;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  rpsIn: number;
  rpsOut: number;
}

export interface BackendView extends LbCounters {
  id: string;
  address: string;
  state: "active" | "draining" | "unhealthy" | "removed";
}

export interface LbView {
  listen: string;
  policy: string;
  total: LbCounters;
  backends: BackendView[];
}

export interface ScalerDecisionView {
  ts: number;
  current: number;
  desired: number;
  reason: string;
}

export interface ScalerView {
  policy: string;
  paused: boolean;
  current: number;
  desired: number;
  min: number;
  max: number;
  high: number;
  low: number;
  /** Group average CPU % of serving VMs, null when no sample. */
  avgCpu: number | null;
  lastDecision?: ScalerDecisionView;
  /** Seconds left before the current window completes (null when no window runs). */
  windowRemainingS: number | null;
  warmPool: number;
  /** The pool tiers (src/scaler/pool.ts): VMs ready in each now, each tier's size, and refills under way; absent without a pool. */
  pool?: { hot: number; warm: number; hotSize: number; warmSize: number; filling: number };
  /** Scale to zero (scaler.min 0): seconds without a request, and after how many the group goes to zero. */
  idle?: { forS: number | null; timeoutS: number };
  /** The balancer's view (any policy; the concurrency policy scales on it): requests in flight per serving VM over the last period, and the slowest serving VM's p99 (ms, the balancer's 10 s window). */
  concurrency?: number | null;
  p99Ms?: number | null;
  /** Concurrency policy: its target in flight per VM. */
  concurrencyTarget?: number;
  /** What the host can take (src/scaler/capacity.ts), null while not known (no host figures from libvirt yet). */
  capacity?: CapacityView | null;
  /** The pool's refill: how it competes with serving VMs (low CPU weight, or waiting for headroom), absent without a pool. */
  refill?: RefillView;
  /** The libvirt hosts of a group spread over several (config hosts, repeated -c); absent with one. */
  hosts?: HostView[];
}

/** One libvirt host of a group spread over several (src/scaler/hosts/). */
export interface HostView {
  uri: string;
  /** connecting (first connection under way), up (its libvirt answers), lost (its connection went; tried again). */
  state: "connecting" | "up" | "lost";
  /** Since when (ms since the epoch), and why it is lost. */
  since: number;
  reason?: string;
  /** The group's VMs on it, and how many it may hold (config max_vms, else its capacity; null: not known yet). */
  vms: number;
  cap: number | null;
  weight: number;
}

export interface CapacityView {
  /** Host logical CPUs and memory (virNodeGetInfo), free memory (virNodeGetFreeMemory, MiB), CPU busy % of the whole host over the last period (virNodeGetCPUStats). */
  cores: number;
  memoryMiB: number;
  freeMemoryMiB: number | null;
  hostBusyPct: number | null;
  /** Cores kept for virtscale itself: its measured CPU use (smoothed), or scaler.reserve_cores. */
  reserveCores: number;
  reserveFrom: "measured" | "config";
  overcommit: number;
  /** vCPUs the group may run at normal weight (round((cores - reserve) x overcommit)), and those its running VMs have now. */
  vcpus: number;
  busyVcpus: number;
  /** VMs (serving + starting + draining) the host can take, and whether CPU or memory bounds it. */
  maxVms: number;
  bound: "cpu" | "memory";
  /** The group is at the cap: a scale-out waits. */
  atCap: boolean;
  /** "2 of 2 cores" (or "3 of 3 vCPUs on 2 cores x 1.5", "4 of 4 VMs' memory (...)"): the figure the reasons quote. */
  text: string;
}

export interface RefillView {
  /** idle: the pool is full (or nothing to refill); waiting: a refill is due and held back (reason); booting / saving: under way. */
  state: "idle" | "waiting" | "booting" | "saving";
  /** How a refill runs beside serving VMs: at low CPU weight (cgroup cpu shares), or only when its vCPUs fit (headroom); "unknown" until the first serving VM told. */
  mode: "low weight" | "headroom" | "unknown";
  /** cpu shares: a refill's and a serving VM's (low weight mode). */
  shares?: { low: number; normal: number };
  /** Why it waits ("waiting for headroom: 2 of 2 cores busy", "a VM is starting"), or why weights are off. */
  reason?: string;
}

export interface LoadView {
  rate: string;
  perSecond: number;
  sent: number;
  answered: number;
  wrong: number;
  timedOut: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Per phase (each rate the generator ran at, in order; the demo names them low / high / cooldown). */
  phases?: LoadPhaseView[];
}

/** The load generator's figures for one phase: requests count in the phase that sent them. */
export interface LoadPhaseView {
  phase: string;
  rate: string;
  perSecond: number;
  /** Seconds since the generator started, and how long the phase ran (so far). */
  startS: number;
  durationS: number;
  sent: number;
  /** Answered within the timeout. */
  answered: number;
  /** Answered after the timeout (also counted in timedOut). */
  late: number;
  /** Not answered within the timeout (late ones included). */
  timedOut: number;
  /** Answers that failed the check, received during the phase. */
  wrong: number;
  /** Sent, neither answered nor timed out yet. */
  inFlight: number;
  /** answered / sent in %, null before anything was sent. */
  inTimePct: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

export type VirtscaleEvent =
  | { type: "tick"; ts: number; vms: VmView[]; lb?: LbView; scaler?: ScalerView; load?: LoadView }
  | { type: "scale"; ts: number; action: "out" | "in" | "none"; from: number; to: number; reason: string }
  | { type: "vm"; ts: number; name: string; from?: string; to: string; detail?: string }
  | {
      type: "snapshot";
      ts: number;
      name: string;
      action: "save" | "restore" | "managed-save" | "start";
      status: "started" | "done" | "failed";
      path?: string;
      ms?: number;
      error?: string;
      /** save, done: virDomainSave (halt), an external snapshot (ran on), or save+restore (the VM was stopped for it). */
      method?: "save" | "snapshot" | "save+restore";
      /** What else happened (the fallback that stopped the VM, with libvirt's reason); who started it. */
      detail?: string;
      by?: "dashboard" | "api" | "cli" | "scaler";
    }
  | { type: "error"; ts: number; source: string; message: string; code?: number; domain?: number }
  | { type: "log"; ts: number; level: "info" | "warn"; message: string }
  /** The outcome of a named command sent on --json's stdin (scripts match replies by name + args). */
  | { type: "command"; ts: number; name: string; args: string[]; status: "ok" | "failed"; result?: unknown; error?: string }
  | { type: "summary"; ts: number; [k: string]: unknown };

export type EventType = VirtscaleEvent["type"];

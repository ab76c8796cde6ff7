// The data the scaling policies (policy.ts) read and write: the monitor's
// samples, the group's state, the policy config and the decision. Apart from
// the code so that the monitor, the view and the API can name these shapes
// without pulling in any policy, and so that the policy files share one
// definition.
import type { VmRole } from "../events.ts";

/** One VM in one monitor sample. */
export interface VmSample {
  name: string;
  role: VmRole;
  /** CPU % over the period that ended at the sample's ts; null when missing. */
  cpuPct: number | null;
  /** The balancer's mean requests in flight to this VM over that period (concurrency.ts); null or absent when unknown. */
  inFlight?: number | null;
  /** The balancer's p99 latency for this VM (ms, its 10 s window); null when it has no answers. */
  p99Ms?: number | null;
}

/** One monitor sample: every VM of the group at time `ts` (ms). */
export interface Sample {
  ts: number;
  vms: VmSample[];
}

/** What the actuator knows about the group when the policy runs. */
export interface GroupState {
  /** The size the group is being driven to (serving + starting, normally). */
  desired: number;
  /** VMs that answer the protocol and are in the balancer. */
  serving: number;
  /** VMs started but not serving yet (booting, resuming). */
  starting: number;
  /** When the last scale action was taken (ms), null if never. */
  lastScaleAt: number | null;
  /** When the serving set last changed (a VM joined or left), null if never. */
  servingChangedAt?: number | null;
  /** Seconds since the balancer last saw a request (scale to zero, src/scaler/idle.ts); null or absent: unknown. */
  idleS?: number | null;
  /** What the host can take (capacity.ts): VMs at most, and the figure to quote ("2 of 2 cores"); absent when not known. */
  capacity?: { maxVms: number; text: string } | null;
}

export interface PolicyConfig {
  policy: "threshold" | "target" | "concurrency";
  min: number;
  max: number;
  /** Threshold policy: percent. */
  high: number;
  low: number;
  /** Threshold policy: seconds the condition must hold. */
  windowS: number;
  /** Target policy. */
  target: number;
  tolerance: number;
  upStabilizationS: number;
  downStabilizationS: number;
  cooldownS: number;
  /** With min 0: seconds without a request before the group goes to zero (scaler.idle_timeout_s). */
  idleTimeoutS?: number;
  /** Concurrency policy: requests in flight per serving VM, windows (s), the panic multiple. */
  concurrencyTarget: number;
  stableWindowS: number;
  panicWindowS: number;
  panicThreshold: number;
  /** Latency guard: p99 limit (ms; 0 = off) and how long it must be exceeded (s). */
  latencyP99Ms: number;
  latencyWindowS: number;
}

/**
 * Seconds of answers the balancer's p99 covers (src/lb/stats.ts: one slot a
 * second, 10 slots): after a scale action the latency guard waits this long,
 * so that it judges only answers given after the action.
 */
export const LB_LATENCY_WINDOW_S = 10;

export interface Decision {
  desired: number;
  reason: string;
  action: "out" | "in" | "none";
  /** Average CPU % of the serving VMs in the latest sample, null when unknown. */
  avgCpu: number | null;
  /** Seconds left before a running window (or cooldown) completes, null when none runs. */
  windowRemainingS: number | null;
  /** The signal is on the scale-out side (a scale-out may come): the warm pool's refill waits. */
  hot?: boolean;
  /** Concurrency policy: requests in flight per serving VM over the last period, and the slowest serving VM's p99 (ms). */
  concurrency?: number | null;
  p99Ms?: number | null;
}

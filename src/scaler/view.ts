// What the group publishes (ScalerView: the dashboard, --json and the API
// read it): the policy's settings and last decision, the sizes, the pool
// tiers, the host's capacity and the refill's state, the balancer's view.
// Built from read-only inputs; nothing here changes the group.
import type { Config } from "../config.ts";
import type { ScalerView } from "../events.ts";
import type { Store } from "../store.ts";
import type { Actuator } from "./actuator.ts";
import type { HostCapacity } from "./capacity.ts";
import type { Decision, GroupState, PolicyConfig } from "./policy.ts";
import { hasPool, type PoolSizes } from "./pool.ts";

export interface ViewInput {
  config: Config;
  pc: PolicyConfig;
  paused: boolean;
  state: GroupState;
  desired: number;
  lastDecision?: Decision & { ts: number; current: number };
  actuator: Actuator;
  host: HostCapacity;
  sizes: PoolSizes;
  operations: Store["operations"];
  /** Why the due pool refill waits (null: none waits). */
  refillWaiting: string | null;
  history: readonly { vms: { role: string; inFlight?: number | null; p99Ms?: number | null }[] }[];
  /** A group over several hosts: each host's state (src/scaler/hosts/). */
  hosts?: ScalerView["hosts"];
}

export function scalerView(v: ViewInput): ScalerView {
  const { pc, state: s, lastDecision } = v;
  return {
    policy: pc.policy,
    paused: v.paused,
    current: s.serving,
    desired: v.desired,
    min: pc.min,
    max: pc.max,
    high: pc.policy === "threshold" ? pc.high : pc.target,
    low: pc.policy === "threshold" ? pc.low : pc.target,
    avgCpu: lastDecision?.avgCpu ?? null,
    lastDecision: lastDecision ? { ts: lastDecision.ts, current: lastDecision.current, desired: lastDecision.desired, reason: lastDecision.reason } : undefined,
    windowRemainingS: lastDecision?.windowRemainingS ?? null,
    warmPool: v.actuator.warmReady().length,
    ...hostView(v),
    ...(hasPool(v.sizes) ? { pool: poolView(v) } : {}),
    ...(pc.min === 0 ? { idle: { forS: s.idleS ?? null, timeoutS: v.config.scaler.idle_timeout_s } } : {}),
  };
}

function poolView(v: ViewInput): NonNullable<ScalerView["pool"]> {
  const c = v.actuator.poolCounts();
  return { hot: c.hotReady, warm: c.warmReady, hotSize: v.sizes.hot, warmSize: v.sizes.warm, filling: c.filling };
}

/** ScalerView's host part: capacity, the balancer's view, the refill's state. */
function hostView(v: ViewInput): Pick<ScalerView, "capacity" | "refill" | "concurrency" | "p99Ms" | "concurrencyTarget"> {
  const { pc, state: s } = v;
  const cap = v.host.current;
  const filling = [...v.actuator.members.values()].find((m) => m.filling);
  const state = filling ? (v.operations.get(filling.name)?.kind === "pause" ? "saving" : "booting") : v.refillWaiting ? "waiting" : "idle";
  const out: Pick<ScalerView, "capacity" | "refill" | "concurrency" | "p99Ms" | "concurrencyTarget"> = {
    // At the cap only when the cap, not scaler.max, is what holds the group.
    capacity: cap ? { ...cap, atCap: s.desired >= cap.maxVms && cap.maxVms < pc.max } : null,
    ...balancerView(v.history),
    ...(v.hosts ? { hosts: v.hosts } : {}),
  };
  if (pc.policy === "concurrency") out.concurrencyTarget = pc.concurrencyTarget;
  const pool = v.actuator.poolCounts();
  if (v.config.scaler.source !== "predefined" && (filling || v.refillWaiting || pool.hot + pool.warm > 0))
    out.refill = v.host.refillView(state, state === "waiting" ? v.refillWaiting! : undefined);
  return out;
}

/** The balancer's view in the latest sample (any policy): requests in flight per serving VM, the slowest serving VM's p99; null without figures. */
function balancerView(history: ViewInput["history"]): { concurrency: number | null; p99Ms: number | null } {
  const last = history.at(-1);
  let total = 0;
  let n = 0;
  let p99: number | null = null;
  let missing = !last;
  for (const vm of last?.vms ?? []) {
    if (vm.role !== "serving") continue;
    if (typeof vm.inFlight !== "number") missing = true;
    else total += vm.inFlight;
    n++;
    if (typeof vm.p99Ms === "number" && (p99 === null || vm.p99Ms > p99)) p99 = vm.p99Ms;
  }
  return { concurrency: missing || n === 0 ? null : total / n, p99Ms: p99 };
}

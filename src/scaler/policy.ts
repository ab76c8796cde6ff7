// The scaling decision as a pure function, like the replica calculator of
// Kubernetes' HPA: the history of samples, the group's state and the config
// go in; the desired size, a human reason and the action come out. No I/O and
// no clock of its own (`now` is passed in), so every case is a table row in
// test/scaler/policy.test.ts.
//
// Two policies:
// - "threshold" (the assignment's): average CPU of the serving VMs above
//   `high` for the whole window -> one more VM; below `low` for the whole
//   window -> one fewer. A window only starts after the last scale action and
//   after the last change of the serving set, so every action needs a fresh one.
// - "target" (target tracking): desired = ceil(serving * avg / target) when avg
//   is outside the tolerance band, with scale-up / scale-down stabilization
//   windows (min / max of the recommendations over the window, as HPA does),
//   a cooldown after each action, and min / max bounds.
//
// In both, a VM that is still starting is not capacity: its CPU is not in the
// average and a missing CPU sample is never read as 0 %. A sample with no CPU
// figure at all breaks a window (the condition is not known to hold).
import type { Config } from "../config.ts";
import type { VmRole } from "../events.ts";

/** One VM in one monitor sample. */
export interface VmSample {
  name: string;
  role: VmRole;
  /** CPU % over the period that ended at the sample's ts; null when missing. */
  cpuPct: number | null;
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
}

export interface PolicyConfig {
  policy: "threshold" | "target";
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
}

export interface Decision {
  desired: number;
  reason: string;
  action: "out" | "in" | "none";
  /** Average CPU % of the serving VMs in the latest sample, null when unknown. */
  avgCpu: number | null;
  /** Seconds left before a running window (or cooldown) completes, null when none runs. */
  windowRemainingS: number | null;
}

export function policyConfigFrom(c: Config): PolicyConfig {
  return {
    policy: c.scaler.policy,
    min: c.scaler.min,
    max: c.scaler.max,
    high: c.auto_scaler_threshold_load_high,
    low: c.auto_scaler_threshold_load_low,
    windowS: c.auto_scaler_load_minimum_seconds,
    target: c.scaler.target,
    tolerance: c.scaler.tolerance,
    upStabilizationS: c.scaler.scale_up_stabilization_s,
    downStabilizationS: c.scaler.scale_down_stabilization_s,
    cooldownS: c.scaler.cooldown_s,
  };
}

/** Average CPU % of the serving VMs that have a figure; null when none has. */
export function servingAverage(s: Sample): number | null {
  let sum = 0;
  let n = 0;
  for (const vm of s.vms) {
    if (vm.role !== "serving" || vm.cpuPct === null || !Number.isFinite(vm.cpuPct)) continue;
    sum += vm.cpuPct;
    n++;
  }
  return n === 0 ? null : sum / n;
}

const pct = (x: number) => `${Math.round(x)} %`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export function decide(history: readonly Sample[], group: GroupState, config: PolicyConfig, now: number): Decision {
  const last = history.at(-1);
  const avgCpu = last ? servingAverage(last) : null;
  const base = group.desired;
  const none = (reason: string, windowRemainingS: number | null = null): Decision => ({
    desired: base,
    reason,
    action: "none",
    avgCpu,
    windowRemainingS,
  });

  // Bounds come first: a group outside [min, max] is brought inside at once.
  if (base < config.min)
    return { desired: config.min, reason: `below min ${config.min}: ${base} → ${config.min}`, action: "out", avgCpu, windowRemainingS: null };
  if (base > config.max)
    return { desired: config.max, reason: `above max ${config.max}: ${base} → ${config.max}`, action: "in", avgCpu, windowRemainingS: null };

  if (!last) return none("no samples yet");
  if (avgCpu === null) return none(group.serving === 0 ? "no serving VM to measure" : "CPU sample missing");
  return config.policy === "threshold" ? threshold(history, group, config, avgCpu, none) : target(history, group, config, now, avgCpu, none);
}

function threshold(
  history: readonly Sample[],
  group: GroupState,
  c: PolicyConfig,
  avgCpu: number,
  none: (reason: string, remaining?: number | null) => Decision,
): Decision {
  const base = group.desired;
  const high = avgCpu > c.high;
  const low = avgCpu < c.low;
  if (!high && !low) return none(`avg ${pct(avgCpu)} within ${pct(c.low)}..${pct(c.high)}`);

  // The run: the longest suffix of samples where the same condition holds.
  const holds = (s: Sample) => {
    const a = servingAverage(s);
    return a !== null && (high ? a > c.high : a < c.low);
  };
  let start = runStart(history, holds);
  // A fresh window after every action and every change of the serving set.
  const fresh = Math.max(group.lastScaleAt ?? -Infinity, group.servingChangedAt ?? -Infinity);
  if (fresh > start) start = fresh;
  const end = history.at(-1)!.ts;
  const held = Math.max(0, end - start);
  const windowMs = c.windowS * 1000;
  const cmp = high ? `> ${pct(c.high)}` : `< ${pct(c.low)}`;
  if (held < windowMs) {
    const remaining = (windowMs - held) / 1000;
    return none(`avg ${pct(avgCpu)} ${cmp} for ${secs(held)} of ${secs(windowMs)}`, remaining);
  }
  const what = `avg ${pct(avgCpu)} ${cmp} for ${secs(held)}`;
  if (high) {
    if (base >= c.max) return none(`${what}, at max ${c.max}`);
    // The starting VMs are capacity already asked for and not yet measured.
    if (group.starting > 0) return none(`${what}, waiting for ${group.starting} starting VM${group.starting > 1 ? "s" : ""}`);
    return { desired: base + 1, reason: `${what}: ${base} → ${base + 1}`, action: "out", avgCpu, windowRemainingS: 0 };
  }
  if (base <= c.min) return none(`${what}, at min ${c.min}`);
  return { desired: base - 1, reason: `${what}: ${base} → ${base - 1}`, action: "in", avgCpu, windowRemainingS: 0 };
}

function target(
  history: readonly Sample[],
  group: GroupState,
  c: PolicyConfig,
  now: number,
  avgCpu: number,
  none: (reason: string, remaining?: number | null) => Decision,
): Decision {
  const base = group.desired;

  // The recommendation of one sample. Only serving VMs are capacity: a VM still
  // starting is neither counted in `serving` nor read as 0 % CPU. A sample with
  // no figure recommends no change (it blocks both stabilization windows).
  const recommend = (s: Sample): number => {
    const a = servingAverage(s);
    const serving = s.vms.filter((v) => v.role === "serving").length;
    if (a === null || serving === 0) return base;
    const ratio = a / c.target;
    if (Math.abs(ratio - 1) <= c.tolerance) return base;
    return clamp(Math.ceil(serving * ratio), c.min, c.max);
  };
  const last = history.at(-1)!;
  const rec = recommend(last);
  const ratio = avgCpu / c.target;
  const band = Math.abs(ratio - 1) <= c.tolerance;

  // Stabilization: scale up only to the lowest recommendation of the up window,
  // down only to the highest of the down window (HPA's behavior).
  const windowRecs = (windowS: number): number[] => {
    const from = last.ts - windowS * 1000;
    const recs: number[] = [];
    for (let k = history.length - 1; k >= 0 && history[k]!.ts >= from; k--) recs.push(recommend(history[k]!));
    // Not enough history to cover the window: the unseen part recommends no change.
    const covered = windowS === 0 || history[0]!.ts <= from;
    if (!covered) recs.push(base);
    return recs;
  };
  const up = Math.min(...windowRecs(c.upStabilizationS));
  const down = Math.max(...windowRecs(c.downStabilizationS));
  const what = `avg ${pct(avgCpu)} vs target ${pct(c.target)}`;

  let desired = base;
  let stabilizedMs: number | null = null;
  if (rec > base) {
    desired = Math.max(base, up);
    if (desired === base) stabilizedMs = remainingFor(history, (s) => recommend(s) > base, c.upStabilizationS);
  } else if (rec < base) {
    desired = Math.min(base, down);
    if (desired === base) stabilizedMs = remainingFor(history, (s) => recommend(s) < base, c.downStabilizationS);
  }
  if (desired === base) {
    if (band) return none(`${what} within ±${Math.round(c.tolerance * 100)} %`);
    if (ratio > 1 && base >= c.max) return none(`${what}, at max ${c.max}`);
    if (ratio < 1 && base <= c.min) return none(`${what}, at min ${c.min}`);
    if (rec === base) return none(`${what}: ${base} is right`);
    const dir = rec > base ? "up" : "down";
    return none(`${what} wants ${rec}, ${dir} stabilization`, stabilizedMs === null ? null : stabilizedMs / 1000);
  }

  // Cooldown after the last action.
  if (group.lastScaleAt !== null) {
    const left = group.lastScaleAt + c.cooldownS * 1000 - now;
    if (left > 0) return none(`${what} wants ${desired}, cooldown ${secs(left)} left`, left / 1000);
  }
  const action = desired > base ? "out" : "in";
  return { desired, reason: `${what}: ${base} → ${desired}`, action, avgCpu, windowRemainingS: 0 };
}

/**
 * When the current run of samples satisfying `p` (the longest suffix of the
 * history, at least the latest sample) began. A sample's CPU figure covers the
 * period before it, so the run counts from the sample before its first one
 * (or from its first one when the history starts with it).
 */
function runStart(history: readonly Sample[], p: (s: Sample) => boolean): number {
  let i = history.length - 1;
  while (i > 0 && p(history[i - 1]!)) i--;
  return i > 0 ? history[i - 1]!.ts : history[i]!.ts;
}

/** Milliseconds until the current run of samples satisfying `p` covers windowS seconds. */
function remainingFor(history: readonly Sample[], p: (s: Sample) => boolean, windowS: number): number {
  return Math.max(0, windowS * 1000 - (history.at(-1)!.ts - runStart(history, p)));
}

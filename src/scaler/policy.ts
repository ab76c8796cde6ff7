// The scaling decision as a pure function, like the replica calculator of
// Kubernetes' HPA: the history of samples, the group's state and the config
// go in; the desired size, a human reason and the action come out. No I/O and
// no clock of its own (`now` is passed in), so every case is a table row in
// test/scaler/policy.test.ts.
//
// This file is the entry: the bounds, scale to zero and host capacity that
// apply to every policy, and the dispatch to the three policies, each in its
// own file with its rules in its head comment:
// - "threshold" (the assignment's, policy-threshold.ts): CPU above high / below
//   low for a whole window -> one VM more / fewer;
// - "target" (target tracking as HPA does, policy-target.ts);
// - "concurrency" (Knative's KPA on the balancer's requests in flight, with a
//   p99 latency guard, policy-concurrency.ts).
// The shapes are in policy-types.ts and the shared history helpers in
// policy-samples.ts, re-exported here so importers keep one path.
//
// Host capacity (capacity.ts) bounds every scale-out above min: the decision
// then says "at host capacity: 2 of 2 cores" instead of launching.
//
// In the CPU policies, a VM that is still starting is not capacity: its CPU
// is not in the average and a missing CPU sample is never read as 0 %. A
// sample with no CPU figure at all breaks a window (the condition is not
// known to hold).
import type { Config } from "../config.ts";
import { concurrency } from "./policy-concurrency.ts";
import { clamp, servingAverage } from "./policy-samples.ts";
import { target } from "./policy-target.ts";
import { threshold } from "./policy-threshold.ts";
import { LB_LATENCY_WINDOW_S, type Decision, type GroupState, type PolicyConfig, type Sample } from "./policy-types.ts";

export type { Decision, GroupState, PolicyConfig, Sample, VmSample } from "./policy-types.ts";
export { LB_LATENCY_WINDOW_S } from "./policy-types.ts";
export { clamp, servingAverage } from "./policy-samples.ts";

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
    idleTimeoutS: c.scaler.idle_timeout_s,
    concurrencyTarget: c.scaler.concurrency_target,
    stableWindowS: c.scaler.stable_window_s,
    panicWindowS: c.scaler.panic_window_s,
    panicThreshold: c.scaler.panic_threshold,
    latencyP99Ms: c.scaler.latency_p99_ms,
    latencyWindowS: c.scaler.latency_window_s,
  };
}

/** Seconds of history a policy config needs (the group's monitor keeps this much, plus a few periods). */
export function historyNeededS(c: PolicyConfig): number {
  return Math.max(c.windowS, c.upStabilizationS, c.downStabilizationS, c.stableWindowS + c.downStabilizationS, c.panicWindowS, c.latencyWindowS + LB_LATENCY_WINDOW_S);
}

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

  // Bounds come first: a group outside [min, max] is brought inside at once (min even past the host's capacity: a group must serve).
  if (base < config.min)
    return { desired: config.min, reason: `below min ${config.min}: ${base} → ${config.min}`, action: "out", avgCpu, windowRemainingS: null };
  if (base > config.max)
    return { desired: config.max, reason: `above max ${config.max}: ${base} → ${config.max}`, action: "in", avgCpu, windowRemainingS: null };

  // Scale to zero (min 0): only idleness takes the last VMs away; the load signals never go below one VM.
  if (config.min === 0 && base > 0 && group.idleS != null && config.idleTimeoutS !== undefined && group.idleS >= config.idleTimeoutS)
    return { desired: 0, reason: `no request for ${Math.floor(group.idleS)} s (idle timeout ${config.idleTimeoutS} s): ${base} → 0`, action: "in", avgCpu, windowRemainingS: null };
  // At zero, a request wakes a VM (the balancer holds it and tells the group), not a sample.
  if (base === 0) return none("scaled to zero: the first request wakes a VM");
  const cfg = config.min === 0 ? { ...config, min: 1 } : config;
  if (!last) return none("no samples yet");
  const d =
    cfg.policy === "concurrency"
      ? concurrency(history, group, cfg, now, avgCpu)
      : avgCpu === null
        ? none(group.serving === 0 ? "no serving VM to measure" : "CPU sample missing")
        : cfg.policy === "threshold"
          ? threshold(history, group, cfg, avgCpu, none)
          : target(history, group, cfg, now, avgCpu, none);
  return withinCapacity(d, group);
}

/**
 * A scale-out past what the host can take goes only as far as it can, or
 * not at all; the decision says so. (The policy's own bounds were applied.)
 */
function withinCapacity(d: Decision, group: GroupState): Decision {
  const cap = group.capacity;
  if (!cap || d.action !== "out" || d.desired <= cap.maxVms) return d;
  const base = group.desired;
  const what = d.reason.replace(/: \d+ → \d+$/, "");
  if (base >= cap.maxVms) return { ...d, desired: base, action: "none", reason: `${what}, at host capacity: ${cap.text}`, hot: true };
  return { ...d, desired: cap.maxVms, reason: `${what}: ${base} → ${cap.maxVms} (host capacity: ${cap.text})` };
}

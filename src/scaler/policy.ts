// The scaling decision as a pure function, like the replica calculator of
// Kubernetes' HPA: the history of samples, the group's state and the config
// go in; the desired size, a human reason and the action come out. No I/O and
// no clock of its own (`now` is passed in), so every case is a table row in
// test/scaler/policy.test.ts.
//
// Three policies:
// - "threshold" (the assignment's): average CPU of the serving VMs above
//   `high` for the whole window -> one more VM; below `low` for the whole
//   window -> one fewer. A window only starts after the last scale action and
//   after the last change of the serving set, so every action needs a fresh one.
// - "target" (target tracking): desired = ceil(serving * avg / target) when avg
//   is outside the tolerance band, with scale-up / scale-down stabilization
//   windows (min / max of the recommendations over the window, as HPA does),
//   a cooldown after each action, and min / max bounds.
// - "concurrency" (Knative's KPA): the balancer's requests in flight, which
//   rise the moment a VM cannot keep up, before a CPU sample shows it.
//   desired = ceil(in flight over the stable window / target per VM); when the
//   short panic window's average reaches panic_threshold x target per serving
//   VM, the group scales out at once and does not scale in until a stable
//   window has passed without panic. A stable scale-out also needs the latest
//   period to want it (the stable average still holds a backlog that a
//   scale-out has already cleared). A latency guard adds one VM when the
//   slowest serving VM's p99 stays above latency_p99_ms for latency_window_s.
//
// Host capacity (capacity.ts) bounds every scale-out above min: the decision
// then says "at host capacity: 2 of 2 cores" instead of launching.
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
  const hotNone = (reason: string, remaining: number | null = null): Decision => ({ ...none(reason, remaining), hot: high });

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
    return hotNone(`avg ${pct(avgCpu)} ${cmp} for ${secs(held)} of ${secs(windowMs)}`, remaining);
  }
  const what = `avg ${pct(avgCpu)} ${cmp} for ${secs(held)}`;
  if (high) {
    if (base >= c.max) return hotNone(`${what}, at max ${c.max}`);
    // The starting VMs are capacity already asked for and not yet measured.
    if (group.starting > 0) return hotNone(`${what}, waiting for ${group.starting} starting VM${group.starting > 1 ? "s" : ""}`);
    return { desired: base + 1, reason: `${what}: ${base} → ${base + 1}`, action: "out", avgCpu, windowRemainingS: 0, hot: true };
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
  const hot = !band && ratio > 1;
  const held = (reason: string, remaining: number | null = null): Decision => ({ ...none(reason, remaining), hot });
  if (desired === base) {
    if (band) return none(`${what} within ±${Math.round(c.tolerance * 100)} %`);
    if (ratio > 1 && base >= c.max) return held(`${what}, at max ${c.max}`);
    if (ratio < 1 && base <= c.min) return held(`${what}, at min ${c.min}`);
    if (rec === base) return held(`${what}: ${base} is right`);
    const dir = rec > base ? "up" : "down";
    return held(`${what} wants ${rec}, ${dir} stabilization`, stabilizedMs === null ? null : stabilizedMs / 1000);
  }

  // Cooldown after the last action.
  if (group.lastScaleAt !== null) {
    const left = group.lastScaleAt + c.cooldownS * 1000 - now;
    if (left > 0) return held(`${what} wants ${desired}, cooldown ${secs(left)} left`, left / 1000);
  }
  const action = desired > base ? "out" : "in";
  return { desired, reason: `${what}: ${base} → ${desired}`, action, avgCpu, windowRemainingS: 0, hot };
}

// ---- concurrency (KPA) ----

/** The serving VMs' total requests in flight in one sample and how many they are; null when a serving VM has no figure (or none serves). */
function inFlightOf(s: Sample): { total: number; ready: number } | null {
  let total = 0;
  let ready = 0;
  for (const vm of s.vms) {
    if (vm.role !== "serving") continue;
    if (vm.inFlight === null || vm.inFlight === undefined || !Number.isFinite(vm.inFlight)) return null;
    total += vm.inFlight;
    ready++;
  }
  return ready === 0 ? null : { total, ready };
}

/** The slowest serving VM's p99 in one sample (ms), null when none has one. */
function p99Of(s: Sample): number | null {
  let worst: number | null = null;
  for (const vm of s.vms) if (vm.role === "serving" && typeof vm.p99Ms === "number" && (worst === null || vm.p99Ms > worst)) worst = vm.p99Ms;
  return worst;
}

/**
 * The average of the serving VMs' total in flight over the `windowS` seconds
 * that end with sample `end` (samples without figures are left out), and the
 * serving VMs then; null when no sample of the window has figures.
 */
function windowAverage(history: readonly Sample[], end: number, windowS: number): { total: number; ready: number } | null {
  const from = history[end]!.ts - windowS * 1000;
  let sum = 0;
  let n = 0;
  // A sample covers the period before it: the one at exactly `from` covers time before the window.
  for (let k = end; k >= 0 && history[k]!.ts > from; k--) {
    const f = inFlightOf(history[k]!);
    if (!f) continue;
    sum += f.total;
    n++;
  }
  const ready = inFlightOf(history[end]!)?.ready ?? 0;
  return n === 0 || ready === 0 ? null : { total: sum / n, ready };
}

const conc = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(2));

function concurrency(history: readonly Sample[], group: GroupState, c: PolicyConfig, now: number, avgCpu: number | null): Decision {
  const base = group.desired;
  const lastIdx = history.length - 1;
  const last = history[lastIdx]!;
  const nowFig = inFlightOf(last);
  const p99 = p99Of(last);
  const out = (d: Omit<Decision, "avgCpu" | "concurrency" | "p99Ms">): Decision => ({ ...d, avgCpu, concurrency: nowFig ? nowFig.total / nowFig.ready : null, p99Ms: p99 });
  const none = (reason: string, hot = false, windowRemainingS: number | null = null) => out({ desired: base, reason, action: "none", windowRemainingS, hot });
  if (!nowFig) return none(group.serving === 0 ? "no serving VM to measure" : "no balancer figures for the serving VMs yet");

  const target = c.concurrencyTarget;
  const desiredOf = (total: number) => clamp(Math.ceil(total / target - 1e-9), c.min, c.max);
  const stable = windowAverage(history, lastIdx, c.stableWindowS)!;
  const panic = windowAverage(history, lastIdx, c.panicWindowS)!;
  const panicAt = c.panicThreshold * target;
  const isPanic = (k: number) => {
    const w = windowAverage(history, k, c.panicWindowS);
    return w !== null && w.total / w.ready >= panicAt;
  };
  // Panic mode: entered when the panic window's average per serving VM reaches panicAt, kept for a stable window after the last such sample (KPA).
  let panicLastAt: number | null = null;
  for (let k = lastIdx; k >= 0 && history[k]!.ts > last.ts - c.stableWindowS * 1000; k--)
    if (isPanic(k)) {
      panicLastAt = history[k]!.ts;
      break;
    }
  const perVm = (w: { total: number; ready: number }) => w.total / w.ready;
  const stableWhat = `${conc(perVm(stable))} in flight per VM over ${c.stableWindowS} s vs target ${target}`;

  // The latency guard: p99 above the limit for latencyWindowS, counted once the balancer's window holds only answers from after the last action.
  let guard: { what: string; remaining: number | null; fire: boolean } | null = null;
  if (c.latencyP99Ms > 0 && p99 !== null && p99 > c.latencyP99Ms) {
    let start = runStart(history, (s) => {
      const v = p99Of(s);
      return v !== null && v > c.latencyP99Ms;
    });
    const fresh = Math.max(group.lastScaleAt ?? -Infinity, group.servingChangedAt ?? -Infinity) + LB_LATENCY_WINDOW_S * 1000;
    if (fresh > start) start = fresh;
    const held = Math.max(0, last.ts - start);
    const need = c.latencyWindowS * 1000;
    const what = `p99 ${Math.round(p99)} ms > ${c.latencyP99Ms} ms`;
    guard = held >= need ? { what: `${what} for ${secs(held)}`, remaining: 0, fire: true } : { what: `${what} for ${secs(held)} of ${secs(need)}`, remaining: (need - held) / 1000, fire: false };
  }

  const hot = panicLastAt !== null || perVm(stable) > target || Boolean(guard);
  const starting = group.starting > 0 ? `, waiting for ${group.starting} starting VM${group.starting > 1 ? "s" : ""}` : "";

  // Panic: at once, to what the panic window asks for; never in.
  if (panicLastAt !== null) {
    const want = Math.max(base, desiredOf(panic.total));
    const panicWhat = `panic: ${conc(perVm(panic))} in flight per VM over ${c.panicWindowS} s (≥ ${c.panicThreshold} × target ${target})`;
    if (want > base && !starting) return out({ desired: want, reason: `${panicWhat}: ${base} → ${want}`, action: "out", windowRemainingS: 0, hot: true });
    if (base >= c.max && want >= base) return none(`${panicWhat}, at max ${c.max}`, true);
    const leftS = (panicLastAt + c.stableWindowS * 1000 - last.ts) / 1000;
    return none(`panic mode for ${leftS.toFixed(1)} s more (no scale-in): ${stableWhat}${starting}`, true, leftS);
  }

  // Stable: the window's average, and the latest period must want a scale-out too.
  const stableRec = desiredOf(stable.total);
  const latestRec = desiredOf(nowFig.total);
  if (Math.min(stableRec, latestRec) > base || guard?.fire) {
    if (base >= c.max) return none(`${guard?.fire ? guard.what : stableWhat}, at max ${c.max}`, true);
    if (starting) return none(`${guard?.fire ? guard.what : stableWhat}${starting}`, true);
    const to = Math.max(Math.min(stableRec, latestRec), guard?.fire ? base + 1 : 0);
    const why = guard?.fire && Math.min(stableRec, latestRec) <= base ? `latency guard: ${guard.what}` : stableWhat;
    return out({ desired: clamp(to, c.min, c.max), reason: `${why}: ${base} → ${clamp(to, c.min, c.max)}`, action: "out", windowRemainingS: 0, hot: true });
  }
  if (guard && !guard.fire) return none(`latency guard: ${guard.what}; ${stableWhat}`, true, guard.remaining);

  // Scale-in: the highest recommendation over the down-stabilization window (each sample's own stable average).
  if (stableRec < base) {
    let down = stableRec;
    const from = last.ts - c.downStabilizationS * 1000;
    for (let k = lastIdx - 1; k >= 0 && history[k]!.ts >= from; k--) {
      const w = windowAverage(history, k, c.stableWindowS);
      down = Math.max(down, w ? desiredOf(w.total) : base);
    }
    const covered = c.downStabilizationS === 0 || history[0]!.ts <= from;
    if (!covered) down = base;
    if (down < base) return out({ desired: down, reason: `${stableWhat}: ${base} → ${down}`, action: "in", windowRemainingS: 0, hot: false });
    const remaining = remainingFor(history, (s) => {
      const f = inFlightOf(s);
      return f !== null && desiredOf(f.total) < base;
    }, c.downStabilizationS);
    return none(`${stableWhat} wants ${stableRec}, down stabilization`, false, remaining / 1000);
  }
  if (base <= c.min && perVm(stable) < target) return none(`${stableWhat}, at min ${c.min}`);
  return none(`${stableWhat}: ${base} is right`, hot);
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

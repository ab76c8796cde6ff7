// Table tests for the pure scaling decision (src/scaler/policy.ts).
import { describe, expect, test } from "bun:test";
import { parseConfig } from "../../src/config.ts";
import type { VmRole } from "../../src/events.ts";
import { decide, policyConfigFrom, servingAverage, type GroupState, type PolicyConfig, type Sample } from "../../src/scaler/policy.ts";

type Cpu = number | null;

/**
 * Samples one second apart starting at t=0. Each row is the CPU of every VM
 * at that sample; VM k is named vm-k and has role roles[k] (default serving).
 */
function series(rows: Cpu[][], roles: VmRole[] = [], periodMs = 1000): Sample[] {
  return rows.map((row, i) => ({
    ts: i * periodMs,
    vms: row.map((cpu, k) => ({ name: `vm-${k}`, role: roles[k] ?? "serving", cpuPct: cpu })),
  }));
}
/** One serving VM whose CPU goes through `cpus`; the first sample is always missing (no delta yet). */
const one = (...cpus: Cpu[]) => series([[null], ...cpus.map((c) => [c])]);
const two = (...cpus: Cpu[]) => series([[null, null], ...cpus.map((c) => [c, c])]);
const three = (...cpus: Cpu[]) => series([[null, null, null], ...cpus.map((c) => [c, c, c])]);

const group = (desired: number, serving = desired, starting = 0, lastScaleAt: number | null = null, servingChangedAt: number | null = null): GroupState => ({
  desired,
  serving,
  starting,
  lastScaleAt,
  servingChangedAt,
});

const thresholdCfg: PolicyConfig = policyConfigFrom(parseConfig({ scaler: { policy: "threshold", min: 1, max: 3 } }));
const targetCfg: PolicyConfig = policyConfigFrom(
  parseConfig({ scaler: { policy: "target", min: 1, max: 5, target: 60, tolerance: 0.1, scale_up_stabilization_s: 0, scale_down_stabilization_s: 5, cooldown_s: 5 } }),
);

interface Row {
  name: string;
  history: Sample[];
  group: GroupState;
  config?: Partial<PolicyConfig>;
  /** Default: the last sample's ts. */
  now?: number;
  action: "out" | "in" | "none";
  desired: number;
  reason?: RegExp;
  remaining?: number | null;
  avg?: number | null;
}

function run(rows: Row[], base: PolicyConfig) {
  test.each(rows.map((r) => [r.name, r] as const))("%s", (_name, r) => {
    const cfg = { ...base, ...r.config };
    const now = r.now ?? r.history.at(-1)?.ts ?? 0;
    const d = decide(r.history, r.group, cfg, now);
    expect(d.action).toBe(r.action);
    expect(d.desired).toBe(r.desired);
    if (r.reason) expect(d.reason).toMatch(r.reason);
    if (r.remaining !== undefined) {
      if (r.remaining === null) expect(d.windowRemainingS).toBeNull();
      else expect(d.windowRemainingS).toBeCloseTo(r.remaining, 3);
    }
    if (r.avg !== undefined) {
      if (r.avg === null) expect(d.avgCpu).toBeNull();
      else expect(d.avgCpu).toBeCloseTo(r.avg, 6);
    }
    // Pure: the same input gives the same output.
    expect(decide(r.history, r.group, cfg, now)).toEqual(d);
  });
}

describe("threshold policy (the assignment's: 80 % / 35 % for 5 s)", () => {
  run(
    [
      { name: "high for exactly the window: +1 with the reason", history: one(91, 91, 91, 91, 91), group: group(1), action: "out", desired: 2, reason: /^avg 91 % > 80 % for 5\.0 s: 1 → 2$/, remaining: 0 },
      { name: "high for 4 s of 5: none, 1 s left", history: one(91, 91, 91, 91), group: group(1), action: "none", desired: 1, reason: /for 4\.0 s of 5\.0 s/, remaining: 1 },
      { name: "first sample missing is not 0 %: no window yet", history: one(), group: group(1), action: "none", desired: 1, reason: /missing/, avg: null },
      { name: "flapping load never completes a window", history: one(90, 90, 90, 50, 90, 90, 90, 20, 90), group: group(1), action: "none", desired: 1, remaining: 4 },
      { name: "flapping between high and low: neither", history: one(90, 20, 90, 20, 90, 20, 90, 20), group: group(2), action: "none", desired: 2 },
      { name: "a missing sample breaks the window", history: one(90, 90, 90, null, 90, 90), group: group(1), action: "none", desired: 1, remaining: 3 },
      { name: "missing latest sample: no decision", history: one(90, 90, 90, 90, 90, 90, null), group: group(1), action: "none", desired: 1, reason: /CPU sample missing/ },
      {
        name: "one VM's missing sample is left out of the average, not read as 0",
        history: series([[null, null], ...Array.from({ length: 6 }, () => [90, null] as Cpu[])]),
        group: group(2),
        config: { max: 3 },
        action: "out",
        desired: 3,
        avg: 90,
      },
      { name: "average across VMs: 100 and 70 = 85 > 80", history: series([[null, null], ...Array.from({ length: 5 }, () => [100, 70] as Cpu[])]), group: group(2), action: "out", desired: 3, avg: 85 },
      { name: "average across VMs: 100 and 50 = 75, no action", history: series([[null, null], ...Array.from({ length: 8 }, () => [100, 50] as Cpu[])]), group: group(2), action: "none", desired: 2, avg: 75 },
      { name: "at max: high load, no action", history: three(95, 95, 95, 95, 95, 95), group: group(3), action: "none", desired: 3, reason: /at max 3/ },
      { name: "low for the window: -1", history: two(20, 20, 20, 20, 20), group: group(2), action: "in", desired: 1, reason: /^avg 20 % < 35 % for 5\.0 s: 2 → 1$/ },
      { name: "low at min: no action", history: one(5, 5, 5, 5, 5, 5, 5), group: group(1), action: "none", desired: 1, reason: /at min 1/ },
      { name: "between thresholds: no action, no window", history: one(50, 50, 50, 50, 50, 50), group: group(1), action: "none", desired: 1, reason: /within 35 %\.\.80 %/, remaining: null },
      {
        name: "warm-up: a starting VM's missing CPU is not in the average, and no second +1 while it starts",
        history: series([[null, null], ...Array.from({ length: 7 }, () => [95, null] as Cpu[])], ["serving", "starting"]),
        group: group(2, 1, 1),
        action: "none",
        desired: 2,
        avg: 95,
        reason: /waiting for 1 starting VM/,
      },
      {
        name: "warm-up: a starting VM's 0 % does not pull the average down",
        history: series([[null, null], ...Array.from({ length: 7 }, () => [20, 0] as Cpu[])], ["serving", "starting"]),
        group: group(2, 1, 1),
        action: "in",
        desired: 1,
        avg: 20,
      },
      { name: "fresh window after an action: 3 s since the action", history: one(95, 95, 95, 95, 95, 95, 95, 95), group: group(2, 2, 0, 5000), config: { max: 3 }, action: "none", desired: 2, remaining: 2 },
      { name: "fresh window after an action: 5 s since the action", history: one(95, 95, 95, 95, 95, 95, 95, 95, 95, 95), group: group(2, 2, 0, 5000), action: "out", desired: 3 },
      { name: "fresh window after the serving set changed", history: two(20, 20, 20, 20, 20, 20, 20), group: group(2, 2, 0, null, 4000), action: "none", desired: 2, remaining: 2 },
      { name: "below min: brought up at once", history: [], group: group(0, 0), config: { min: 1 }, action: "out", desired: 1, reason: /below min 1/ },
      { name: "above max: brought down at once", history: three(50, 50), group: group(3), config: { max: 2 }, action: "in", desired: 2, reason: /above max 2/ },
      { name: "no samples: no action", history: [], group: group(1), action: "none", desired: 1, reason: /no samples/ },
      { name: "no serving VM: nothing to measure", history: series([[null], [null]], ["starting"]), group: group(1, 0, 1), action: "none", desired: 1, reason: /no serving VM/ },
      { name: "short window (2 s) from the config", history: one(85, 85), group: group(1), config: { windowS: 2 }, action: "out", desired: 2 },
    ],
    thresholdCfg,
  );
});

describe("target tracking policy (target 60 %, ±10 %, down stabilization 5 s, cooldown 5 s)", () => {
  run(
    [
      { name: "90 % on 1 VM: ceil(1 × 90 / 60) = 2", history: one(90), group: group(1), action: "out", desired: 2, reason: /^avg 90 % vs target 60 %: 1 → 2$/ },
      { name: "150 % average over 2 VMs: ceil(2 × 2.5) = 5", history: two(150), group: group(2), action: "out", desired: 5 },
      { name: "capped at max", history: two(150), group: group(2), config: { max: 4 }, action: "out", desired: 4 },
      { name: "at max: no action", history: two(150), group: group(4), config: { max: 4 }, action: "none", desired: 4, reason: /at max 4/ },
      { name: "inside the tolerance band: no action", history: two(64, 64, 64), group: group(2), action: "none", desired: 2, reason: /within ±10 %/ },
      { name: "low for the whole down window: 3 × 20 / 60 = 1", history: three(20, 20, 20, 20, 20, 20), group: group(3), action: "in", desired: 1, reason: /3 → 1/ },
      { name: "low for 3 s of the 5 s down window: stabilized, 2 s left", history: three(64, 64, 64, 20, 20, 20), group: group(3), action: "none", desired: 3, reason: /down stabilization/, remaining: 2 },
      { name: "history shorter than the down window: no scale-in", history: three(20, 20, 20), group: group(3), action: "none", desired: 3 },
      { name: "flapping: one high sample in the down window blocks the scale-in", history: three(20, 20, 20, 90, 20, 20, 20), group: group(3), action: "none", desired: 3 },
      { name: "down window takes the highest recommendation: 40 % then 20 %", history: three(40, 40, 40, 40, 40, 20), group: group(3), action: "in", desired: 2 },
      { name: "min bound on the way down", history: three(5, 5, 5, 5, 5, 5), group: group(3), config: { min: 2 }, action: "in", desired: 2 },
      { name: "a missing sample in the down window blocks the scale-in", history: three(20, 20, null, 20, 20, 20), group: group(3), action: "none", desired: 3 },
      { name: "missing latest sample: no decision", history: one(90, null), group: group(1), action: "none", desired: 1, reason: /missing/ },
      { name: "cooldown: 2 s after the last action, 3 s left", history: one(90, 90, 90), group: group(1, 1, 0, 1000), now: 3000, action: "none", desired: 1, reason: /cooldown 3\.0 s left/, remaining: 3 },
      { name: "cooldown over: acts", history: one(90, 90, 90, 90, 90, 90, 90), group: group(1, 1, 0, 1000), now: 7000, action: "out", desired: 2 },
      {
        name: "warm-up: a starting VM is not capacity and its missing CPU is not 0 % (no scale-in, no second scale-out)",
        history: series([[null, null], ...Array.from({ length: 7 }, () => [90, null] as Cpu[])], ["serving", "starting"]),
        group: group(2, 1, 1),
        action: "none",
        desired: 2,
        avg: 90,
      },
      {
        name: "warm-up: the serving VM far over target still asks for more",
        history: series([[null, null], [150, null]], ["serving", "starting"]),
        group: group(2, 1, 1),
        action: "out",
        desired: 3,
      },
      { name: "up stabilization 3 s: high for 1 s waits", history: one(50, 50, 90), group: group(1), config: { upStabilizationS: 3 }, action: "none", desired: 1, reason: /up stabilization/, remaining: 2 },
      { name: "up stabilization 3 s: high for 3 s acts with the lowest recommendation", history: one(50, 150, 90, 90, 90), group: group(1), config: { upStabilizationS: 3 }, action: "out", desired: 2 },
      { name: "below min: brought up at once", history: [], group: group(0, 0), config: { min: 2 }, action: "out", desired: 2 },
    ],
    targetCfg,
  );
});

describe("servingAverage", () => {
  test("only serving VMs with a figure count", () => {
    const s: Sample = {
      ts: 0,
      vms: [
        { name: "a", role: "serving", cpuPct: 80 },
        { name: "b", role: "serving", cpuPct: null },
        { name: "c", role: "starting", cpuPct: 0 },
        { name: "d", role: "draining", cpuPct: 0 },
        { name: "e", role: "serving", cpuPct: 40 },
      ],
    };
    expect(servingAverage(s)).toBe(60);
    expect(servingAverage({ ts: 0, vms: [{ name: "a", role: "serving", cpuPct: null }] })).toBeNull();
  });
});

/**
 * Concurrency samples one second apart from t=0: each row is every VM's mean
 * requests in flight over that second (the balancer's view), CPU unknown.
 */
function flights(rows: (number | null | undefined)[][], roles: VmRole[] = [], p99: (number | null)[] = []): Sample[] {
  return rows.map((row, i) => ({
    ts: i * 1000,
    vms: row.map((inFlight, k) => ({ name: `vm-${k}`, role: roles[k] ?? "serving", cpuPct: null, inFlight, p99Ms: p99[i] ?? null })),
  }));
}
const times = <T,>(n: number, row: T): T[] => Array.from({ length: n }, () => row);
const concurrencyCfg: PolicyConfig = policyConfigFrom(parseConfig({ scaler: { policy: "concurrency", min: 1, max: 3 } }));

describe("concurrency policy (KPA: target 1 in flight per VM, stable 6 s, panic 1 s at 2×, down stabilization 5 s)", () => {
  run(
    [
      {
        name: "a load step on one VM: panic, out at once to what the panic window asks (capped by max)",
        history: flights([...times(6, [0.3]), [4]]),
        group: group(1),
        config: { max: 2 },
        action: "out",
        desired: 2,
        reason: /^panic: 4\.00 in flight per VM over 1 s \(≥ 2 × target 1\): 1 → 2$/,
      },
      { name: "panic jumps past +1 when the panic window asks for it", history: flights([...times(6, [0.3]), [4]]), group: group(1), action: "out", desired: 3 },
      {
        name: "a rise below 2× target: no panic, the stable window decides (not over target yet)",
        history: flights([...times(6, [0.3]), [1.5]]),
        group: group(1),
        action: "none",
        desired: 1,
        reason: /^0\.50 in flight per VM over 6 s vs target 1, at min 1$/,
      },
      { name: "over target for the stable window and the latest period: +1", history: flights(times(7, [1.5])), group: group(1), action: "out", desired: 2, reason: /^1\.50 in flight per VM over 6 s vs target 1: 1 → 2$/ },
      {
        name: "the stable average is over target but the latest period is not (the backlog is gone): no scale-out",
        history: flights([...times(6, [1.8]), [0.9]]),
        group: group(1),
        action: "none",
        desired: 1,
        reason: /^1\.65 in flight per VM over 6 s vs target 1: 1 is right$/,
      },
      { name: "the demo's high load on two VMs (0.7 each): 2 is right", history: flights(times(8, [0.7, 0.7])), group: group(2), action: "none", desired: 2, reason: /0\.70 in flight per VM .*: 2 is right$/ },
      { name: "low load on two VMs for the stable and down windows: -1", history: flights(times(12, [0.15, 0.15])), group: group(2), action: "in", desired: 1, reason: /^0\.15 in flight per VM over 6 s vs target 1: 2 → 1$/ },
      { name: "low load, history shorter than the down window: no scale-in yet", history: flights(times(3, [0.15, 0.15])), group: group(2), action: "none", desired: 2, reason: /down stabilization/ },
      {
        name: "a busy second that left the stable window but was in one within the down window blocks the scale-in",
        history: flights([...times(8, [0.15, 0.15]), [2.5, 2.5], ...times(7, [0.15, 0.15])]),
        group: group(2),
        action: "none",
        desired: 2,
        reason: /down stabilization/,
      },
      {
        name: "panic mode holds off a scale-in for a stable window after the last panic second",
        history: flights([[0.1, 0.1], [3, 3], ...times(4, [0.1, 0.1])]),
        group: group(2),
        action: "none",
        desired: 2,
        reason: /^panic mode for 2\.0 s more \(no scale-in\)/,
        remaining: 2,
      },
      {
        name: "panic while a VM starts: no second scale-out (its capacity is asked for, not yet measured)",
        history: flights([[0.3, null], [5, null]], ["serving", "starting"]),
        group: group(2, 1, 1),
        action: "none",
        desired: 2,
        reason: /waiting for 1 starting VM/,
      },
      { name: "panic at max: no action, says so", history: flights(times(3, [4, 4, 4])), group: group(3), action: "none", desired: 3, reason: /^panic: .*at max 3$/ },
      { name: "no balancer figures: no decision", history: flights([[undefined], [undefined]]), group: group(1), action: "none", desired: 1, reason: /no balancer figures/ },
      { name: "no serving VM: nothing to measure", history: flights([[null], [null]], ["starting"]), group: group(1, 0, 1), action: "none", desired: 1, reason: /no serving VM/ },
      {
        name: "latency guard: p99 over the limit for 3 s adds a VM though in-flight is under target",
        history: flights(times(5, [0.5]), [], times(5, 800)),
        group: group(1),
        action: "out",
        desired: 2,
        reason: /^latency guard: p99 800 ms > 500 ms for 4\.0 s: 1 → 2$/,
      },
      {
        name: "latency guard waits until the balancer's 10 s window holds only answers from after the last action",
        history: flights(times(9, [0.5]), [], times(9, 800)),
        group: group(1, 1, 0, 2000),
        action: "none",
        desired: 1,
        reason: /p99 800 ms > 500 ms for 0\.0 s of 3\.0 s/,
        remaining: 3,
      },
      { name: "latency guard off (0)", history: flights(times(5, [0.5]), [], times(5, 800)), group: group(1), config: { latencyP99Ms: 0 }, action: "none", desired: 1, reason: /^0\.50 in flight per VM over 6 s vs target 1, at min 1$/ },
    ],
    concurrencyCfg,
  );
});

describe("host capacity bounds every policy's scale-out above min", () => {
  const capped = (g: GroupState, maxVms: number, text: string): GroupState => ({ ...g, capacity: { maxVms, text } });
  describe("concurrency", () =>
    run(
      [
        {
          name: "at host capacity: the scale-out is refused and the reason quotes the figure",
          history: flights(times(7, [1.5, 1.5])),
          group: capped(group(2), 2, "2 of 2 cores"),
          action: "none",
          desired: 2,
          reason: /^1\.50 in flight per VM over 6 s vs target 1, at host capacity: 2 of 2 cores$/,
        },
      ],
      concurrencyCfg,
    ));
  describe("threshold", () =>
    run(
      [
        { name: "at host capacity: no +1, says so", history: two(95, 95, 95, 95, 95), group: capped(group(2), 2, "2 of 2 cores"), action: "none", desired: 2, reason: /^avg 95 % > 80 % for 5\.0 s, at host capacity: 2 of 2 cores$/ },
        { name: "room for one more: +1 as usual", history: two(95, 95, 95, 95, 95), group: capped(group(2), 3, "2 of 3 cores"), action: "out", desired: 3, reason: /^avg 95 % > 80 % for 5\.0 s: 2 → 3$/ },
        { name: "the cap never holds the group below min", history: [], group: capped(group(0, 0), 0, "2 of 1 cores"), action: "out", desired: 1, reason: /below min 1/ },
        { name: "scale-in is never held by the cap", history: two(20, 20, 20, 20, 20), group: capped(group(2), 1, "2 of 1 cores"), action: "in", desired: 1 },
      ],
      thresholdCfg,
    ));
  describe("target", () =>
    run(
      [{ name: "only as far as the host can take", history: two(150), group: capped(group(2), 3, "2 of 3 cores"), action: "out", desired: 3, reason: /^avg 150 % vs target 60 %: 2 → 3 \(host capacity: 2 of 3 cores\)$/ }],
      targetCfg,
    ));
});

// The request cost model, the named levels it gives, and its measurement on a
// simulated VM (a CPU clock the fake requests advance).
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config.ts";
import { readImageCosts, writeImageCost } from "../../src/guest/image.ts";
import { groupBusy, hostKey, measureCost } from "../../src/load/calibrate.ts";
import { LEVELS, meanRequestMs, parseCost, requestMs, vmCapacityPerS, type RequestCost } from "../../src/load/cost.ts";
import { parseRate, roundLevel } from "../../src/load/rate.ts";
import { Store } from "../../src/store.ts";
import type { ScalerView, VmView } from "../../src/events.ts";

const model = { overheadMs: 0.5, nsPerStep: 8 };

describe("cost model", () => {
  test("a request costs the overhead plus its steps; the mean is at the middle of the range", () => {
    expect(requestMs(model, 10_000, 200)).toBeCloseTo(0.5 + 16, 9);
    expect(meanRequestMs(model, { nLow: 2000, nHigh: 20000, scale: 200 })).toBeCloseTo(0.5 + 17.6, 9);
    expect(vmCapacityPerS(model, { nLow: 2000, nHigh: 20000, scale: 200 })).toBeCloseTo(1000 / 18.1, 6);
    expect(vmCapacityPerS({ overheadMs: 0, nsPerStep: 0 }, { nLow: 1, nHigh: 2, scale: 1 })).toBe(Infinity);
  });

  test("high drives one scale-out: above 80 % on one VM, inside 35..80 % on two; low lets two VMs fall below 35 %", () => {
    expect(LEVELS.high).toBeGreaterThan(0.8);
    expect(LEVELS.high / 2).toBeGreaterThan(0.35);
    expect(LEVELS.high / 2).toBeLessThan(0.8);
    expect(LEVELS.low / 2).toBeLessThan(0.35);
    expect(LEVELS.mid).toBeLessThan(0.8);
    expect(LEVELS.mid).toBeGreaterThan(0.35);
  });

  test("a cached record is checked field by field", () => {
    const good = { overheadMs: 0.5, nsPerStep: 8, host: "tcg@box", measuredAt: "2025-01-01T00:00:00Z", samplesMs: [18, 18.2], refSteps: 4e6, spread: 1.01 };
    expect(parseCost(good)).toMatchObject(good);
    expect(parseCost({ ...good, nsPerStep: "8" })).toBeNull();
    expect(parseCost({ ...good, samplesMs: [1, -2] })).toBeNull();
    expect(parseCost(null)).toBeNull();
    expect(parseCost([])).toBeNull();
  });
});

describe("named levels", () => {
  const cfg = parseConfig({});
  test("with a measured capacity: 30 / 50 / 120 % of one VM, two significant digits, saying why", () => {
    const ctx = { capacityPerS: 55.2 };
    expect(parseRate("low", cfg, ctx)).toMatchObject({ label: "low", perSecond: 17 });
    expect(parseRate("mid", cfg, ctx).perSecond).toBe(28);
    expect(parseRate("high", cfg, ctx)).toMatchObject({ perSecond: 66, basis: "120 % of one VM (one VM serves 55.2/s)" });
    expect(parseRate("high", cfg, { capacityPerS: 5.5 }).perSecond).toBe(6.6);
    expect(parseRate("250/s", cfg, ctx)).toEqual({ label: "250/s", perSecond: 250 });
  });

  test("a period set in the config wins over the measured capacity", () => {
    const pinned = parseConfig({ load_request_time_period_seconds_high: 0.5 });
    expect(parseRate("high", pinned, { capacityPerS: 55 })).toMatchObject({ perSecond: 2, basis: "config load_request_time_period_seconds_high = 0.5 s" });
    expect(parseRate("low", pinned, { capacityPerS: 55 }).perSecond).toBe(17);
  });

  test("while the cost is measured a level sends nothing; never measured, it is the assignment's period", () => {
    expect(parseRate("high", cfg, { pending: true })).toMatchObject({ perSecond: 0, pending: true });
    expect(parseRate("high", cfg)).toMatchObject({ perSecond: 50, basis: expect.stringMatching(/not measured/) });
    expect(parseRate("low", cfg).perSecond).toBe(1);
  });

  test("rounding keeps two digits and never gives 0", () => {
    expect(roundLevel(0.0001)).toBe(0.1);
    expect(roundLevel(1.234)).toBe(1.2);
    expect(roundLevel(123.4)).toBe(120);
    expect(roundLevel(Infinity)).toBe(10_000_000);
  });
});

/** A VM whose CPU clock advances by what each request costs; the first `cold` requests cost `coldFactor` times more (TCG, JIT). */
function fakeVm(o: { overheadMs: number; nsPerStep: number; scale: number; cold?: number; coldFactor?: number; noise?: (i: number) => number }) {
  let cpuNs = 0n;
  let served = 0;
  return {
    served: () => served,
    cpuTimeNs: () => cpuNs,
    send: async (n: number, count: number) => {
      for (let i = 0; i < count; i++) {
        const f = served < (o.cold ?? 0) ? (o.coldFactor ?? 20) : 1;
        const ms = (o.overheadMs + (n * o.scale * o.nsPerStep) / 1e6) * f * (o.noise?.(served) ?? 1);
        cpuNs += BigInt(Math.round(ms * 1e6));
        served++;
      }
    },
  };
}

describe("measureCost", () => {
  test("recovers both terms after the slow first requests (warm-up), median of the rounds", async () => {
    const vm = fakeVm({ overheadMs: 0.6, nsPerStep: 7.5, scale: 200, cold: 3 });
    const m = await measureCost({ send: vm.send, cpuTimeNs: vm.cpuTimeNs, scale: 200, refSteps: 4_000_000 });
    expect(m.nsPerStep).toBeCloseTo(7.5, 2);
    expect(m.overheadMs).toBeCloseTo(0.6, 2);
    expect(m.refSteps).toBe(4_000_000);
    expect(m.samplesMs).toHaveLength(5);
    expect(m.spread).toBeCloseTo(1, 3);
    // each warm round takes >= 500 ms of guest CPU (the default): 30.6 ms a request -> 17 a round
    expect(vm.served()).toBeGreaterThanOrEqual(3 + 5 * 17);
  });

  test("disturbed rounds do not move the median; a wide spread measures as many rounds again", async () => {
    // One request in 37 costs 40x (a host hiccup): 20 ms requests, 15 a round, rounds 2 and 4 of 5 hit one.
    const vm = fakeVm({ overheadMs: 0, nsPerStep: 10, scale: 100, noise: (i) => (i % 37 === 20 ? 40 : 1) });
    const logs: string[] = [];
    const m = await measureCost({ send: vm.send, cpuTimeNs: vm.cpuTimeNs, scale: 100, refSteps: 2_000_000, minRoundMs: 300, log: (s) => logs.push(s) });
    expect(m.samplesMs).toHaveLength(10);
    expect(m.spread).toBeGreaterThan(1.5);
    expect(logs.filter((l) => /spread .*measuring 5 more/.test(l))).toHaveLength(1);
    expect(m.nsPerStep).toBeCloseTo(10, 1);
  });

  test("waits while the group is busy, and a round a boot interrupts is sent again", async () => {
    const quiet = fakeVm({ overheadMs: 0.5, nsPerStep: 8, scale: 200 });
    await measureCost({ send: quiet.send, cpuTimeNs: quiet.cpuTimeNs, scale: 200, busy: () => null });
    const vm = fakeVm({ overheadMs: 0.5, nsPerStep: 8, scale: 200 });
    let busyCalls = 0;
    // A VM starts during the first request (checked after it: busy), and is up at the next check but one.
    const busy = () => (++busyCalls === 2 || busyCalls === 3 ? "x is starting" : null);
    const logs: string[] = [];
    const m = await measureCost({ send: vm.send, cpuTimeNs: vm.cpuTimeNs, scale: 200, busy, log: (s) => logs.push(s), sleep: async () => {} });
    expect(logs).toEqual(["calibration waits: x is starting"]);
    expect(vm.served()).toBe(quiet.served() + 1);
    expect(m.nsPerStep).toBeCloseTo(8, 2);
  });

  test("scale 0 does no work to measure: refused, naming the key", async () => {
    const vm = fakeVm({ overheadMs: 0.5, nsPerStep: 8, scale: 0 });
    await expect(measureCost({ send: vm.send, cpuTimeNs: vm.cpuTimeNs, scale: 0 })).rejects.toThrow(/vm.work_scale/);
  });
});

describe("idle group and host key", () => {
  const vm = (name: string, role: VmView["role"], state = "running"): VmView => ({ name, role, state, vcpus: 1, memoryKiB: 524288, cpuPct: null });
  const scaler = (warmPool: number): ScalerView => ({ policy: "threshold", paused: false, current: 1, desired: 1, min: 1, max: 2, high: 80, low: 35, avgCpu: null, windowRemainingS: null, warmPool });

  test("a starting VM, a warm VM still booting or saving, a short pool, a drain or load in flight: not idle", () => {
    const s = new Store();
    s.setVms([vm("a", "serving"), vm("b", "starting")]);
    expect(groupBusy(s, 0)).toBe("b is starting");
    s.setVms([vm("a", "serving"), vm("w", "warm", "running")]);
    expect(groupBusy(s, 1)).toBe("w boots into the warm pool");
    s.setVms([vm("a", "serving"), vm("w", "warm", "shutoff")]);
    s.setScaler(scaler(0));
    expect(groupBusy(s, 1)).toBe("the warm pool fills (0 of 1)");
    s.setScaler(scaler(1));
    expect(groupBusy(s, 1)).toBeNull();
    expect(groupBusy(s, 1, () => 3)).toBe("3 load request(s) in flight");
    s.setVms([vm("a", "serving"), vm("w", "warm", "shutoff"), vm("c", "draining")]);
    expect(groupBusy(s, 1)).toBe("a VM is draining");
  });

  test("the host key names the accelerator from the domain XML", () => {
    expect(hostKey("box", "<domain type='qemu' id='3'><name>x</name></domain>")).toBe("tcg@box");
    expect(hostKey("box", `<domain type="kvm">`)).toBe("kvm@box");
  });
});

describe("cost cached with the image", () => {
  test("kept per host beside image.json, other hosts' entries kept, unreadable is empty", () => {
    const dir = mkdtempSync(join(tmpdir(), "virtscale-cost-"));
    try {
      const imgDir = join(dir, "0123456789abcdef");
      mkdirSync(imgDir);
      const image = { kernel: join(imgDir, "vmlinux") };
      expect(readImageCosts(image)).toEqual({});
      const c: RequestCost = { overheadMs: 0.5, nsPerStep: 8, host: "tcg@a", measuredAt: "2025-01-01T00:00:00.000Z", samplesMs: [18], refSteps: 4e6, spread: 1 };
      writeImageCost(image, "tcg@a", c);
      writeImageCost(image, "kvm@b", { ...c, host: "kvm@b", nsPerStep: 1 });
      const all = readImageCosts(image);
      expect(Object.keys(all).sort()).toEqual(["kvm@b", "tcg@a"]);
      expect(parseCost(all["tcg@a"])).toMatchObject({ nsPerStep: 8 });
      writeFileSync(join(imgDir, "request-cost.json"), "{ broken");
      expect(readImageCosts(image)).toEqual({});
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

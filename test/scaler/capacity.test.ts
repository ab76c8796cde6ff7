// Host capacity (src/scaler/capacity.ts): the rule, the meters, and the refill gate.
import { describe, expect, test } from "bun:test";
import { capacityOf, HostCapacity, HostCpuMeter, OwnCpuMeter, ownCpuSeconds, refillShares, type CapacityInput } from "../../src/scaler/capacity.ts";

const host = (cpus: number, memoryMiB = 8192) => ({ cpus, memoryKiB: memoryMiB * 1024, freeMemoryBytes: 4096 * 1048576, busyPct: 40 });
const input = (over: Partial<CapacityInput>): CapacityInput => ({ host: host(2), ownCores: 0.15, overcommit: 1, vcpusPerVm: 1, memoryMiBPerVm: 512, busyVcpus: 0, ...over });

describe("capacityOf: round((cores - reserve) x overcommit) vCPUs, memory within 90 %", () => {
  test.each([
    ["the demo: 2 cores, virtscale at 0.15 core: two 1-vCPU VMs fit", input({}), 2, "0 of 2 cores"],
    ["virtscale past half a core takes that core", input({ ownCores: 0.6 }), 1, "0 of 1 cores"],
    ["a configured reservation wins over the measurement", input({ ownCores: 0.1, reserveCores: 1 }), 1, "0 of 1 cores"],
    ["overcommit 1.5 on 2 cores", input({ overcommit: 1.5, busyVcpus: 2 }), 3, "2 of 3 vCPUs on 2 cores x 1.5"],
    ["2-vCPU VMs on 4 cores", input({ host: host(4), vcpusPerVm: 2, busyVcpus: 2 }), 2, "2 of 4 cores"],
    ["memory bounds: 1 GiB host, 512 MiB VMs", input({ host: host(16, 1024), busyVcpus: 1 }), 1, "1 of 1 VMs' memory (512 MiB each of 922 MiB)"],
    ["own share unknown: no reservation", input({ ownCores: null }), 2, "0 of 2 cores"],
  ] as const)("%s", (_n, i, maxVms, text) => {
    const c = capacityOf(i)!;
    expect(c.maxVms).toBe(maxVms);
    expect(c.text).toBe(text);
  });

  test("no host reading: unknown (null), never a cap of 0", () => {
    expect(capacityOf(input({ host: null }))).toBeNull();
  });

  test("the figures it reports", () => {
    expect(capacityOf(input({ busyVcpus: 1 }))).toEqual({
      cores: 2,
      memoryMiB: 8192,
      freeMemoryMiB: 4096,
      hostBusyPct: 40,
      reserveCores: 0.15,
      reserveFrom: "measured",
      overcommit: 1,
      vcpus: 2,
      busyVcpus: 1,
      maxVms: 2,
      bound: "cpu",
      text: "1 of 2 cores",
    });
  });
});

describe("meters", () => {
  test("host CPU busy % from two virNodeGetCPUStats readings (idle and iowait are not busy)", () => {
    const m = new HostCpuMeter();
    expect(m.read({ kernel: 100n, user: 300n, idle: 600n, iowait: 0n })).toBeNull();
    expect(m.read({ kernel: 150n, user: 400n, idle: 800n, iowait: 50n })).toBeCloseTo(37.5, 6); // busy +150 (kernel + user) of +400
    expect(m.read(null)).toBeNull();
  });

  test("own CPU time from /proc/self/stat, a command name with spaces and parentheses included", () => {
    const stat = "4242 (bun (x) y) S 1 4242 4242 0 -1 4194304 1 0 0 0 250 130 0 0 20 0 8 0 100 1 1";
    expect(ownCpuSeconds(() => stat)).toBeCloseTo(3.8, 6);
    expect(ownCpuSeconds(() => {
      throw new Error("no /proc");
    })).toBeNull();
    // This process, on Linux: after 50 ms of work, at least one 10 ms tick.
    const before = ownCpuSeconds()!;
    for (const t0 = performance.now(); performance.now() - t0 < 50; );
    expect(ownCpuSeconds()!).toBeGreaterThan(before);
  });

  test("own share in cores, smoothed: a one-second burst moves it a little, a steady use converges", () => {
    let cpu = 0;
    const m = new OwnCpuMeter(10_000, () => cpu);
    expect(m.read(0)).toBeNull();
    cpu += 0.1;
    expect(m.read(1000)).toBeCloseTo(0.1, 6); // the first delta is taken as it is
    cpu += 1; // a burst: one whole core for a second
    const burst = m.read(2000)!;
    expect(burst).toBeGreaterThan(0.1);
    expect(burst).toBeLessThan(0.25);
    for (let t = 3000; t <= 60_000; t += 1000) {
      cpu += 0.2;
      m.read(t);
    }
    expect(m.cores!).toBeCloseTo(0.2, 2);
  });

  test("refill weights: the serving VM's shares x refill_weight, at least 2", () => {
    expect(refillShares(1024, 1 / 16)).toEqual({ normal: 1024, low: 64 });
    expect(refillShares(100, 1 / 16)).toEqual({ normal: 100, low: 6 });
    expect(refillShares(20, 1 / 16)).toEqual({ normal: 20, low: 2 });
    expect(refillShares(0, 1 / 16)).toBeNull();
    expect(refillShares(1024, 0)).toBeNull();
  });
});

describe("HostCapacity: refills never compete with serving VMs", () => {
  const cfg = { overcommit: 1, vcpusPerVm: 1, memoryMiBPerVm: 512, refillWeight: 1 / 16 };
  const fixedOwn = () => new OwnCpuMeter(10_000, () => 0);
  const calm = { starting: 0, busyVcpus: 2, hot: false };

  test("before the first serving VM told its weight: refills wait", () => {
    const h = new HostCapacity(cfg, { canWeigh: true, own: fixedOwn() });
    h.update(host(2), 1, 0);
    expect(h.refillWait(calm)).toMatch(/first serving VM/);
    expect(h.refillView("waiting", h.refillWait(calm)!).mode).toBe("unknown");
  });

  test("with cgroup weights: a refill runs beside two busy VMs at low weight, but never while a VM starts or a scale-out may come", async () => {
    const h = new HostCapacity(cfg, { canWeigh: true, own: fixedOwn() });
    h.update(host(2), 2, 0);
    await h.learnWeights(async () => 1024);
    expect(h.refillShares).toEqual({ low: 64, normal: 1024 });
    expect(h.refillWait(calm)).toBeNull();
    expect(h.refillWait({ ...calm, starting: 1 })).toBe("waiting: a VM is starting");
    expect(h.refillWait({ ...calm, hot: true })).toBe("waiting: the serving VMs are above their scale-out mark");
    expect(h.refillView("booting")).toEqual({ state: "booting", mode: "low weight", shares: { low: 64, normal: 1024 } });
  });

  test("without cgroup weights (libvirt refuses cpu_shares): a refill waits for headroom, and says why", async () => {
    const h = new HostCapacity(cfg, { canWeigh: true, own: fixedOwn() });
    h.update(host(2), 2, 0);
    await h.learnWeights(async () => {
      throw new Error("Requested operation is not valid: cgroup CPU controller is not mounted");
    });
    expect(h.refillShares).toBeNull();
    expect(h.refillWait(calm)).toBe("waiting for headroom: 2 of 2 cores busy");
    expect(h.refillWait({ ...calm, busyVcpus: 1 })).toBeNull();
    expect(h.refillView("idle")).toEqual({ state: "idle", mode: "headroom", reason: "no CPU weights here: Requested operation is not valid: cgroup CPU controller is not mounted" });
  });

  test("refill_weight 0: headroom mode from the start", () => {
    const h = new HostCapacity({ ...cfg, refillWeight: 0 }, { canWeigh: true, own: fixedOwn() });
    h.update(host(2), 1, 0);
    expect(h.needsWeights).toBe(false);
    expect(h.refillWait({ ...calm, busyVcpus: 1 })).toBeNull();
    expect(h.refillView("idle").reason).toBe("scaler.refill_weight is 0");
  });

  test("the policy's bound, kept while libvirt does not answer", () => {
    const h = new HostCapacity(cfg, { canWeigh: false, own: fixedOwn() });
    expect(h.policyCap()).toBeNull();
    h.update(host(2), 2, 0);
    expect(h.policyCap()).toEqual({ maxVms: 2, text: "2 of 2 cores" });
    h.update(null, 1, 1000);
    expect(h.policyCap()).toEqual({ maxVms: 2, text: "1 of 2 cores" });
  });
});

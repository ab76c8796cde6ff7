// The monitor on test:///default: the `test` domain's CPU % is computed from
// the deltas (the test driver's cpu time runs with the wall clock, so a 2-vCPU
// domain shows ~50 %), missing samples are null (first sample, a VM that does
// not exist, libvirt down), and a lost connection is reopened with backoff.
// The sample runs on the worker (AsyncConnection) as in `up`; a libvirt error
// keeps the worker (it reopens its own connection), a call that hangs makes
// samples missing without queueing more calls behind it.
import { describe, expect, test } from "bun:test";
import { AsyncConnection, Connection, LibvirtError, type DomainStats } from "../../ffi/index.ts";
import { cpuPercent, Monitor, type CpuMark, type StatsConnection } from "../../src/scaler/monitor.ts";
import { Store } from "../../src/store.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counting(opts: { fail?: () => boolean } = {}) {
  const calls = { open: 0, stats: 0 };
  const connect = (): StatsConnection => {
    calls.open++;
    if (opts.fail?.()) throw new Error("injected: cannot connect");
    const c = Connection.open("test:///default", { readOnly: true });
    return {
      cpuStats: (f, complete) => {
        calls.stats++;
        if (opts.fail?.()) throw new Error("injected: connection lost");
        return c.cpuStats(f, complete);
      },
      close: () => c.close(),
    };
  };
  return { calls, connect };
}

describe("cpuPercent", () => {
  test("delta cpu.time / (delta wall x vCPUs)", () => {
    const mk = (atMs: number, cpuNs: bigint | null, vcpus = 2): CpuMark | undefined => (cpuNs === null ? undefined : { atMs, cpuNs, vcpus });
    // 0.5 s of CPU over 1 s wall on 2 vCPUs = 25 %
    expect(cpuPercent(mk(0, 0n), mk(1000, 500_000_000n))).toBeCloseTo(25, 6);
    expect(cpuPercent(mk(0, 0n), mk(1000, 2_000_000_000n, 2))).toBeCloseTo(100, 6);
    expect(cpuPercent(mk(0, null), mk(1000, 5n))).toBeNull();
    expect(cpuPercent(mk(0, 10n), mk(1000, 5n))).toBeNull(); // restarted
    expect(cpuPercent(mk(0, 0n), undefined)).toBeNull(); // a domain absent from one of the two samples
  });
});

describe("monitor on test:///default", () => {
  test("CPU % from deltas; first sample and unknown VMs are null, not 0", async () => {
    const store = new Store();
    const { calls, connect } = counting();
    const m = new Monitor({ connect, members: () => [{ name: "test", role: "serving" }, { name: "no-such-vm", role: "serving" }], historyMs: 10_000, store });
    const s1 = await m.sample();
    expect(s1.ok).toBe(true);
    expect(s1.readings.get("test")).toMatchObject({ state: "running", vcpus: 2, cpuPct: null });
    expect(s1.readings.get("no-such-vm")).toMatchObject({ state: "gone", cpuPct: null });
    await sleep(300);
    const s2 = await m.sample();
    const cpu = s2.readings.get("test")!.cpuPct!;
    // cpu.time advances with the wall clock over 2 vCPUs: ~50 %.
    expect(cpu).toBeGreaterThan(40);
    expect(cpu).toBeLessThan(60);
    expect(s2.readings.get("no-such-vm")!.cpuPct).toBeNull();
    expect(calls.stats).toBe(2); // one bulk call per sample
    // The store: VM views and the CPU history, null kept as null.
    expect(store.state.vms.get("test")).toMatchObject({ state: "running", role: "serving", vcpus: 2 });
    expect(store.state.cpuHistory.get("test")![0]).toBeNull();
    expect(store.state.cpuHistory.get("test")![1]).toBeCloseTo(cpu, 6);
    // The policy's history.
    expect(m.history().map((s) => s.vms.find((v) => v.name === "test")!.cpuPct)).toEqual([null, cpu]);
    expect(m.allDomains.get("test")).toBe("running");
    await m.stop();
  });

  test("history is bounded to historyMs", async () => {
    let t = 0;
    const { connect } = counting();
    const m = new Monitor({ connect, members: () => [{ name: "test", role: "serving" }], historyMs: 3000, now: () => t });
    for (let i = 0; i < 10; i++) {
      t = i * 1000;
      await m.sample();
    }
    expect(m.history().map((s) => s.ts)).toEqual([6000, 7000, 8000, 9000]);
    await m.stop();
  });

  test("libvirt lost: samples marked unknown/null, reconnect with exponential backoff, deltas restart", async () => {
    const store = new Store();
    let down = false;
    let mono = 0;
    const { calls, connect } = counting({ fail: () => down });
    const m = new Monitor({ connect, members: () => [{ name: "test", role: "serving" }], historyMs: 10_000, store, mono: () => mono, backoff: { initialMs: 100, maxMs: 400 } });
    await m.sample();
    mono += 100;
    expect((await m.sample()).readings.get("test")!.cpuPct).not.toBeNull();
    down = true;
    mono += 100;
    const lost = await m.sample();
    expect(lost.ok).toBe(false);
    expect(lost.readings.get("test")).toMatchObject({ state: "unknown", cpuPct: null });
    expect(m.connected).toBe(false);
    // Backoff: no reconnect attempt before 100 ms, then 200, then 400 (capped).
    const opens = () => calls.open;
    const o0 = opens();
    mono += 50;
    await m.sample();
    expect(opens()).toBe(o0);
    mono += 60;
    await m.sample(); // attempt 1 fails -> next in 200
    expect(opens()).toBe(o0 + 1);
    mono += 150;
    await m.sample();
    expect(opens()).toBe(o0 + 1);
    mono += 60;
    await m.sample(); // attempt 2 fails -> next in 400
    expect(opens()).toBe(o0 + 2);
    mono += 400;
    await m.sample(); // attempt 3 fails -> next in 400 (max)
    expect(opens()).toBe(o0 + 3);
    down = false;
    mono += 400;
    const back = await m.sample();
    expect(back.ok).toBe(true);
    expect(back.readings.get("test")!.cpuPct).toBeNull(); // the delta restarts after a reconnect
    expect(m.reconnects).toBe(1);
    expect(m.connected).toBe(true);
    // One error event per distinct failure, not one per sample.
    const errors = store.events().filter((e) => e.type === "error");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(2);
    expect(store.events().some((e) => e.type === "log" && /reconnected/.test(e.message))).toBe(true);
    await m.stop();
  });
});

describe("monitor through the worker (AsyncConnection)", () => {
  test("a sample through the worker gives the CPU % the caller-thread sample gives", async () => {
    const ac = await AsyncConnection.open("test:///default", { readOnly: true });
    let opens = 0;
    const m = new Monitor({
      connect: () => {
        opens++;
        return ac;
      },
      members: () => [{ name: "test", role: "serving" }],
      historyMs: 10_000,
    });
    try {
      expect((await m.sample()).readings.get("test")).toMatchObject({ state: "running", vcpus: 2, cpuPct: null });
      await sleep(300);
      const cpu = (await m.sample()).readings.get("test")!.cpuPct!;
      expect(cpu).toBeGreaterThan(40);
      expect(cpu).toBeLessThan(60);
      expect(opens).toBe(1);
    } finally {
      await m.stop();
    }
  });

  test("a libvirt error keeps the source (the worker reopens its own connection): no reconnect, asked again next period", async () => {
    const store = new Store();
    const c = Connection.open("test:///default", { readOnly: true });
    let broken = false;
    let opens = 0;
    const lost = new LibvirtError({ code: 38, domain: 7, level: 2, message: "Cannot write data: Broken pipe", func: "virConnectGetAllDomainStats" });
    const m = new Monitor({
      connect: () => {
        opens++;
        return {
          cpuStats: async (f: number, names?: readonly string[]) => {
            if (broken) throw lost;
            return c.cpuStats(f, names);
          },
          close: () => {},
        };
      },
      members: () => [{ name: "test", role: "serving" }],
      historyMs: 10_000,
      store,
    });
    try {
      expect((await m.sample()).ok).toBe(true);
      broken = true;
      for (let i = 0; i < 3; i++) expect((await m.sample()).readings.get("test")!.state).toBe("unknown");
      broken = false;
      expect((await m.sample()).ok).toBe(true);
      expect(opens).toBe(1);
      expect(store.events().filter((e) => e.type === "error")).toHaveLength(1); // logged once, not per sample
      expect(store.events().some((e) => e.type === "log" && /answers again after 3 failed sample/.test(e.message))).toBe(true);
    } finally {
      c.close();
    }
  });

  test("a stats call that does not answer: samples missing at the timeout, no second call queued behind it, then back", async () => {
    const c = Connection.open("test:///default", { readOnly: true });
    let release!: () => void;
    let calls = 0;
    let hang = true;
    const m = new Monitor({
      connect: () => ({
        cpuStats: (f: number, names?: readonly string[]): Promise<DomainStats[]> => {
          calls++;
          if (!hang) return Promise.resolve(c.cpuStats(f, names));
          return new Promise((r) => (release = () => r(c.cpuStats(f, names))));
        },
        close: () => {},
      }),
      members: () => [{ name: "test", role: "serving" }],
      historyMs: 10_000,
      callTimeoutMs: 100,
    });
    try {
      const t0 = performance.now();
      const s1 = await m.sample();
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(s1.ok).toBe(false);
      expect(s1.readings.get("test")!.state).toBe("unknown");
      expect(m.lastError).toMatch(/did not answer the stats call within 100 ms/);
      expect((await m.sample()).ok).toBe(false);
      expect(calls).toBe(1); // the hung call is not joined by another
      expect(m.lastError).toMatch(/has not answered the previous stats call/);
      hang = false;
      release();
      await sleep(10);
      expect((await m.sample()).ok).toBe(true);
      expect(calls).toBe(2);
    } finally {
      c.close();
    }
  });
});

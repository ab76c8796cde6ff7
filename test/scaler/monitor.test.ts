// The monitor on test:///default: the `test` domain's CPU % is computed from
// the deltas (the test driver's cpu time runs with the wall clock, so a 2-vCPU
// domain shows ~50 %), missing samples are null (first sample, a VM that does
// not exist, libvirt down), and a lost connection is reopened with backoff.
import { describe, expect, test } from "bun:test";
import { Connection } from "../../ffi/index.ts";
import { Monitor, type StatsConnection } from "../../src/scaler/monitor.ts";
import { Store } from "../../src/store.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counting(opts: { fail?: () => boolean } = {}) {
  const calls = { open: 0, stats: 0 };
  const connect = (): StatsConnection => {
    calls.open++;
    if (opts.fail?.()) throw new Error("injected: cannot connect");
    const c = Connection.open("test:///default", { readOnly: true });
    return {
      getAllDomainStats: (s, f) => {
        calls.stats++;
        if (opts.fail?.()) throw new Error("injected: connection lost");
        return c.getAllDomainStats(s, f);
      },
      lookupByName: (n) => c.lookupByName(n),
      close: () => c.close(),
    };
  };
  return { calls, connect };
}

describe("monitor on test:///default", () => {
  test("CPU % from deltas; first sample and unknown VMs are null, not 0", async () => {
    const store = new Store();
    const { calls, connect } = counting();
    const m = new Monitor({ connect, members: () => [{ name: "test", role: "serving" }, { name: "no-such-vm", role: "serving" }], periodMs: 100, historyMs: 10_000, store });
    const s1 = m.sample();
    expect(s1.ok).toBe(true);
    expect(s1.readings.get("test")).toMatchObject({ state: "running", vcpus: 2, cpuPct: null });
    expect(s1.readings.get("no-such-vm")).toMatchObject({ state: "gone", cpuPct: null });
    await sleep(300);
    const s2 = m.sample();
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
    m.stop();
  });

  test("history is bounded to historyMs", async () => {
    let t = 0;
    const { connect } = counting();
    const m = new Monitor({ connect, members: () => [{ name: "test", role: "serving" }], periodMs: 1000, historyMs: 3000, now: () => t });
    for (let i = 0; i < 10; i++) {
      t = i * 1000;
      m.sample();
    }
    expect(m.history().map((s) => s.ts)).toEqual([6000, 7000, 8000, 9000]);
    m.stop();
  });

  test("libvirt lost: samples marked unknown/null, reconnect with exponential backoff, deltas restart", async () => {
    const store = new Store();
    let down = false;
    let mono = 0;
    const { calls, connect } = counting({ fail: () => down });
    const m = new Monitor({ connect, members: () => [{ name: "test", role: "serving" }], periodMs: 100, historyMs: 10_000, store, mono: () => mono, backoff: { initialMs: 100, maxMs: 400 } });
    m.sample();
    mono += 100;
    expect(m.sample().readings.get("test")!.cpuPct).not.toBeNull();
    down = true;
    mono += 100;
    const lost = m.sample();
    expect(lost.ok).toBe(false);
    expect(lost.readings.get("test")).toMatchObject({ state: "unknown", cpuPct: null });
    expect(m.connected).toBe(false);
    // Backoff: no reconnect attempt before 100 ms, then 200, then 400 (capped).
    const opens = () => calls.open;
    const o0 = opens();
    mono += 50;
    m.sample();
    expect(opens()).toBe(o0);
    mono += 60;
    m.sample(); // attempt 1 fails -> next in 200
    expect(opens()).toBe(o0 + 1);
    mono += 150;
    m.sample();
    expect(opens()).toBe(o0 + 1);
    mono += 60;
    m.sample(); // attempt 2 fails -> next in 400
    expect(opens()).toBe(o0 + 2);
    mono += 400;
    m.sample(); // attempt 3 fails -> next in 400 (max)
    expect(opens()).toBe(o0 + 3);
    down = false;
    mono += 400;
    const back = m.sample();
    expect(back.ok).toBe(true);
    expect(back.readings.get("test")!.cpuPct).toBeNull(); // the delta restarts after a reconnect
    expect(m.reconnects).toBe(1);
    expect(m.connected).toBe(true);
    // One error event per distinct failure, not one per sample.
    const errors = store.events().filter((e) => e.type === "error");
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.length).toBeLessThanOrEqual(2);
    expect(store.events().some((e) => e.type === "log" && /reconnected/.test(e.message))).toBe(true);
    m.stop();
  });
});

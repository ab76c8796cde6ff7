// runGroup (what `up` and the demo run) on test:///default: balancer + group +
// the real load generator through the front, a load schedule, `quit` from the
// store, and the summary; and `up`'s command-line overrides.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { AsyncConnection, Connection, DomainEvents } from "../../ffi/index.ts";
import { parseConfig } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { LoadGenerator, registerLoadCommands } from "../../src/load/index.ts";
import { runGroup } from "../../src/scaler/run.ts";
import { applyOverrides } from "../../src/commands/overrides.ts";
import { Store } from "../../src/store.ts";
import { TestDriverVms } from "./testdriver-vms.ts";

setDefaultTimeout(30_000);
const keeper = Connection.open("test:///default");
afterAll(() => keeper.close());

describe("runGroup on test:///default", () => {
  test("runs with a load schedule until quit, removes its VMs, returns the summary", async () => {
    const prefix = `vst-scaler-${Math.random().toString(36).slice(2, 8)}`;
    const config = parseConfig({
      auto_scaler_domain_prefix: prefix,
      req_num_low: 10,
      req_num_high: 100,
      scaler: { period_s: 0.2, min: 1, max: 2, paused: true },
      lb: { timeout_ms: 1000 },
    });
    const store = new Store();
    const vms = new TestDriverVms(prefix);
    const balancer = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: config.lb, store, workScale: 1 });
    const rates: string[] = [];
    const ticks: number[] = [];
    store.subscribe((e) => e.type === "tick" && ticks.push(e.ts));
    try {
      const summary = await runGroup({
        config,
        store,
        vms,
        balancer,
        // As `up` wires it: samples on the worker, deaths from libvirt's events.
        connect: () => AsyncConnection.open("test:///default", { readOnly: true }),
        events: () => DomainEvents.open("test:///default"),
        load: (t) => (t < 0.5 ? "off" : "50/s"),
        makeLoad: (target, rate) => {
          rates.push(rate);
          return new LoadGenerator({ target, config, rate, scale: 1 });
        },
        registerLoad: (s, gen) => registerLoadCommands(s, gen as LoadGenerator),
        onStarted: async (run) => {
          // Wait for the first VM, let the schedule raise the load, then quit through the store.
          while (run.group.serving().length < 1) await new Promise((r) => setTimeout(r, 100));
          expect(store.hasCommand("load")).toBe(true);
          expect(store.hasCommand("scale+1")).toBe(true);
          setTimeout(() => void store.run("quit"), 1500);
        },
      });
      expect(rates).toEqual(["off"]);
      expect(summary.load!.sent).toBeGreaterThan(10);
      expect(summary.load!.answered).toBe(summary.load!.sent);
      expect(summary.load!.wrong).toBe(0);
      expect(summary.lb.answered).toBe(summary.load!.answered);
      expect(summary.group.removed).toEqual([`${prefix}-0000`]);
      expect(summary.group.launches[0]).toMatchObject({ name: `${prefix}-0000`, how: "cold" });
      expect(summary.medianDecisionToServingMs.cold).toBeGreaterThanOrEqual(0);
      expect(ticks.length).toBeGreaterThan(3);
      expect(store.events().some((e) => e.type === "summary")).toBe(true);
      const left: string[] = [];
      for (const d of keeper.listAllDomains()) {
        if (d.name().startsWith(prefix)) left.push(d.name());
        d.free();
      }
      expect(left).toEqual([]);
    } finally {
      await vms.cleanup(prefix);
      vms.close();
    }
  });
});

describe("up's overrides", () => {
  const base = parseConfig({});
  test("--min/--max/--policy/--source/--warm-pool/--listen land in the config", () => {
    const c = applyOverrides(base, { min: "2", max: "4", policy: "target", source: "warm", "warm-pool": "2", listen: "127.0.0.1:33001" });
    expect(c.scaler).toMatchObject({ min: 2, max: 4, policy: "target", source: "warm", warm_pool: 2 });
    expect(c.listen).toBe("127.0.0.1:33001");
  });
  test("--source warm without a pool size gets a pool of 1", () => {
    expect(applyOverrides(base, { source: "warm" }).scaler.warm_pool).toBe(1);
  });
  test.each([
    [{ min: "x" }, /--min: expected an integer/],
    [{ max: "0" }, /--max: expected an integer >= 1/],
    [{ policy: "random" }, /--policy: expected threshold, target or concurrency/],
    [{ source: "magic" }, /--source: expected template, warm or predefined/],
    [{ listen: "nowhere" }, /--listen: expected HOST:PORT/],
    [{ min: "5", max: "2" }, /scaler\.min: must not exceed scaler\.max/],
  ])("%j is refused naming the flag or key", (v, re) => {
    expect(() => applyOverrides(base, v)).toThrow(re);
  });
});

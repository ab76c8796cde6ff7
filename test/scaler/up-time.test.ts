// server_up_time, the assignment's grace before a new server joins: a VM that
// answers the service check at once still joins the balancer only that long
// after its start. On libvirt's test driver with real UDP guest servers
// (testdriver-vms.ts), which answer as soon as the domain runs.
import { afterEach, describe, expect, test } from "bun:test";
import { AsyncConnection, Connection } from "../../ffi/index.ts";
import { parseConfig } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { Group } from "../../src/scaler/group.ts";
import { Store } from "../../src/store.ts";
import { TestDriverVms } from "./testdriver-vms.ts";

const keeper = Connection.open("test:///default");
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  cleanup = [];
});

/** Seconds from the group's start until its first VM serves (joined the balancer). */
async function firstServingS(extra: Record<string, unknown>): Promise<{ s: number; store: Store }> {
  const prefix = `vst-uptime-${Math.random().toString(36).slice(2, 8)}`;
  const config = parseConfig({ auto_scaler_domain_prefix: prefix, scaler: { period_s: 0.2, ready_timeout_s: 10, min: 1, max: 1 }, vm: { work_scale: 1 }, ...extra });
  const store = new Store();
  const vms = new TestDriverVms(prefix, { vcpus: 2 });
  const lb = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: config.lb, store, workScale: 1 });
  await lb.start();
  const group = new Group({ config, store, balancer: lb, vms, connect: () => AsyncConnection.open("test:///default", { readOnly: true }), manual: true });
  cleanup.push(async () => {
    await group.stop({ removeVms: true });
    await lb.close();
    await vms.cleanup(prefix);
  });
  const t0 = performance.now();
  await group.start();
  while (group.serving().length === 0) {
    if (performance.now() - t0 > 15_000) throw new Error("no VM served within 15 s");
    await group.step();
    await new Promise((r) => setTimeout(r, 50));
  }
  return { s: (performance.now() - t0) / 1000, store };
}

describe("server_up_time", () => {
  test("a new VM that answers at once joins only server_up_time after its start", async () => {
    const { s, store } = await firstServingS({ server_up_time: 1.5 });
    expect(s).toBeGreaterThanOrEqual(1.45);
    const joined = store.events().find((e) => e.type === "vm" && e.to === "serving");
    expect(joined && "detail" in joined ? String(joined.detail) : "").toMatch(/after 1\.[5-9] s; joined the balancer/);
  }, 30_000);
});

process.on("exit", () => keeper.close());

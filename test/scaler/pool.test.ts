// Pool tiers, scale to zero, restored VMs joining, and a launch cancelled by a
// scale-in, on libvirt's test driver (real libvirt calls: define, start,
// suspend, resume, managed save, metadata) with a real Balancer and a real
// UDP guest server per VM (testdriver-vms.ts: paused = not answering).
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { DomainMetadataType, domainStateName } from "../../ffi/index.ts";
import { parseConfig } from "../../src/config.ts";
import { expectedReply } from "../../src/protocol.ts";
import { nextFill, pickForLaunch, poolCounts, poolSizes, retireTier } from "../../src/scaler/pool.ts";
import { askFront } from "./front-client.ts";
import { groupRigs, keepTestDriver, rand6, rigConfig, servingNames as serving, sleep, startGroupRig, stepUntil, type GroupRig } from "./testdriver-rig.ts";
import { NS, TestDriverVms } from "./testdriver-vms.ts";

const keeper = keepTestDriver();
type Rig = GroupRig;
const rigs = groupRigs();

async function rig(scaler: Record<string, unknown>, opts: { prefix?: string; vms?: TestDriverVms; lb?: Record<string, unknown> } = {}): Promise<Rig> {
  const prefix = opts.prefix ?? `vst-pool-${rand6()}`;
  const r = await startGroupRig({
    prefix,
    config: rigConfig(prefix, { scaler, lb: opts.lb }),
    vms: opts.vms ?? new TestDriverVms(prefix, { vcpus: 2 }),
    group: { launchRetryMs: 3000 },
  });
  rigs.push(r);
  return r;
}

/** One request through the front; its answer, or null after `ms`. */
const ask = (front: { host: string; port: number }, n: number, ms = 3000) => askFront(front, n, ms);
const roleOf = (r: Rig, role: string) => r.group.members().filter((m) => m.role === role && !m.filling && !m.busy);
function stateOf(name: string): string | null {
  try {
    using d = keeper.lookupByName(name);
    return domainStateName(d.state().state);
  } catch {
    return null;
  }
}
function metaRole(name: string): string | undefined {
  using d = keeper.lookupByName(name);
  return /role="([^"]*)"/.exec(d.getMetadata(DomainMetadataType.ELEMENT, NS) ?? "")?.[1];
}
const errors = (r: Rig) => r.store.events().filter((e) => e.type === "error");

describe("pool plans (pool.ts)", () => {
  const m = (name: string, role: string, o: { busy?: boolean; filling?: boolean } = {}) => ({ name, role: role as "hot", busy: o.busy ?? false, filling: o.filling });
  test("sizes: pool.{hot,warm}; warm_pool is pool.warm's alias with source warm; none for predefined or without pause", () => {
    expect(poolSizes(parseConfig({ scaler: { pool: { hot: 1, warm: 2 } } }), true)).toEqual({ hot: 1, warm: 2 });
    expect(poolSizes(parseConfig({ scaler: { source: "warm", warm_pool: 2 } }), true)).toEqual({ hot: 0, warm: 2 });
    expect(poolSizes(parseConfig({ scaler: { source: "template", warm_pool: 2 } }), true)).toEqual({ hot: 0, warm: 0 });
    expect(poolSizes(parseConfig({ scaler: { source: "warm", warm_pool: 2, pool: { hot: 1 } } }), true)).toEqual({ hot: 1, warm: 2 });
    expect(poolSizes(parseConfig({ scaler: { pool: { hot: 1 } } }), false)).toEqual({ hot: 0, warm: 0 });
    expect(poolSizes(parseConfig({ scaler: { source: "predefined", pool: { hot: 1, warm: 1 } } }), true)).toEqual({ hot: 0, warm: 0 });
    expect(() => parseConfig({ scaler: { warm_pool: 1, pool: { warm: 2 } } })).toThrow(/scaler\.warm_pool: is an alias of scaler\.pool\.warm/);
  });
  test("a launch takes hot first, then warm; never a filling or busy one", () => {
    expect(pickForLaunch([m("w", "warm"), m("h", "hot")])?.name).toBe("h");
    expect(pickForLaunch([m("w", "warm"), m("h", "hot", { busy: true })])?.name).toBe("w");
    expect(pickForLaunch([m("w", "warm", { filling: true }), m("s", "serving")])).toBeUndefined();
  });
  test("refill: hot first (promoted from a ready warm VM when there is one), then warm", () => {
    const sizes = { hot: 1, warm: 1 };
    expect(nextFill(poolCounts([]), sizes)).toEqual({ tier: "hot", from: "boot" });
    expect(nextFill(poolCounts([m("w", "warm")]), sizes)).toEqual({ tier: "hot", from: "warm" });
    expect(nextFill(poolCounts([m("h", "hot")]), sizes)).toEqual({ tier: "warm", from: "boot" });
    expect(nextFill(poolCounts([m("h", "hot"), m("w", "warm", { filling: true })]), sizes)).toBeNull();
  });
  test("retire: the fastest tier below its size; at zero the best configured tier even when full; no pool: stopped", () => {
    const full = poolCounts([m("h", "hot"), m("w", "warm")]);
    expect(retireTier(poolCounts([m("w", "warm")]), { hot: 1, warm: 1 })).toBe("hot");
    expect(retireTier(full, { hot: 1, warm: 1 })).toBeNull();
    expect(retireTier(full, { hot: 1, warm: 1 }, { toZero: true })).toBe("hot");
    expect(retireTier(poolCounts([m("w", "warm")]), { hot: 0, warm: 1 }, { toZero: true })).toBe("warm");
    expect(retireTier(poolCounts([]), { hot: 0, warm: 0 }, { toZero: true })).toBeNull();
  });
});

describe("pool tiers and scale to zero on test:///default", () => {
  setDefaultTimeout(30000);

  test("hot tier: filled paused (role hot in its metadata), a scale-out resumes it, the hot tier is refilled by promoting the warm VM", async () => {
    const r = await rig({ min: 1, max: 3, paused: true, pool: { hot: 1, warm: 1 } });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1 && roleOf(r, "hot").length === 1 && roleOf(r, "warm").length === 1);
    const hot = roleOf(r, "hot")[0]!.name;
    const warm = roleOf(r, "warm")[0]!.name;
    expect(stateOf(hot)).toBe("paused");
    expect(metaRole(hot)).toBe("hot");
    expect(r.store.state.scaler?.pool).toEqual({ hot: 1, warm: 1, hotSize: 1, warmSize: 1, filling: 0 });
    r.group.scaleBy(1, "test");
    await stepUntil(r, () => serving(r).length === 2);
    const rec = r.group.summary.launches.find((l) => l.name === hot)!;
    expect(rec.how).toBe("hot");
    expect(r.vms.calls).toContain(`resume ${hot}`);
    expect(stateOf(hot)).toBe("running");
    expect(await ask(r.front, 11)).toBe(expectedReply(11, 1));
    // Refill: the warm VM becomes hot (start, answer, pause), then a boot refills warm.
    await stepUntil(r, () => roleOf(r, "hot").length === 1 && roleOf(r, "warm").length === 1);
    expect(roleOf(r, "hot")[0]!.name).toBe(warm);
    expect(r.vms.calls.indexOf(`start ${warm}`)).toBeLessThan(r.vms.calls.lastIndexOf(`suspend ${warm}`));
    expect(metaRole(warm)).toBe("hot");
    expect(errors(r)).toEqual([]);
  });

  test("a restarted group adopts its paused hot VMs into the hot pool", async () => {
    const prefix = `vst-pool-${rand6()}`;
    const a = await rig({ min: 1, paused: true, pool: { hot: 1 } }, { prefix });
    await a.group.start();
    await stepUntil(a, () => serving(a).length === 1 && roleOf(a, "hot").length === 1);
    const hot = roleOf(a, "hot")[0]!.name;
    await a.group.stop({ removeVms: false });
    const b = await rig({ min: 1, paused: true, pool: { hot: 1 } }, { prefix, vms: a.vms });
    await b.group.start();
    expect(b.group.summary.adopted).toContain(hot);
    expect(b.group.members().find((m) => m.name === hot)?.role).toBe("hot");
    await stepUntil(b, () => serving(b).length === 1);
    await b.group.settle();
    // Nothing booted for the pool: the adopted hot VM fills it.
    expect(b.vms.calls.filter((c) => c.startsWith("create")).length).toBe(2); // a's serving VM and a's hot VM
    b.group.scaleBy(1, "test");
    await stepUntil(b, () => serving(b).length === 2);
    expect(b.group.summary.launches.find((l) => l.name === hot)?.how).toBe("hot");
  });

  test("scale to zero and back: idle -> 0 (the last VM paused into the hot pool); a request is held, wakes a VM at once, and is answered", async () => {
    const r = await rig({ min: 0, max: 2, idle_timeout_s: 0.6, pool: { hot: 1 } }, { lb: { hold_timeout_ms: 3000 } });
    await r.group.start();
    // min 0: nothing serves at start; the hot pool fills.
    await stepUntil(r, () => roleOf(r, "hot").length === 1);
    expect(serving(r)).toEqual([]);
    const first = roleOf(r, "hot")[0]!.name;
    // A request with no VM: held, the group wakes the hot VM without waiting for a step.
    const answer = ask(r.front, 21);
    expect(await answer).toBe(expectedReply(21, 1));
    expect(serving(r)).toEqual([first]);
    expect(r.group.summary.launches.find((l) => l.name === first)?.how).toBe("hot");
    expect(r.store.events().some((e) => e.type === "scale" && /a request arrived with no VM serving/.test(e.reason))).toBe(true);
    // Idle: the policy takes the group to zero; the serving VM goes into the hot pool (even above its size).
    await stepUntil(r, () => serving(r).length === 0 && r.group.desiredSize === 0 && !r.group.members().some((m) => m.role === "draining"));
    await r.group.settle();
    expect(r.store.events().some((e) => e.type === "scale" && /no request for \d+ s \(idle timeout 0.6 s\): 1 → 0/.test(e.reason))).toBe(true);
    expect(r.group.members().find((m) => m.name === first)?.role).toBe("hot");
    expect(stateOf(first)).toBe("paused");
    // And back.
    expect(await ask(r.front, 22)).toBe(expectedReply(22, 1));
    const t = r.lb.view().total;
    expect(t.held).toBe(2);
    expect(t.dropped).toEqual({});
    expect(errors(r)).toEqual([]);
  });

  test("a VM restored from a snapshot joins as a member (scaler.restored_join); join: false keeps it a one-off", async () => {
    const r = await rig({ min: 1, max: 3, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    // As the restore use case leaves it: our metadata (here made through the API), running, then its done event.
    const joined = `${r.prefix}-0050`;
    const alone = `${r.prefix}-0051`;
    await r.vms.create({ name: joined, role: "api" });
    await r.vms.create({ name: alone, role: "api" });
    r.store.emit({ type: "snapshot", ts: Date.now(), name: joined, action: "restore", status: "done", path: "/snap/a.save", by: "dashboard" });
    await stepUntil(r, () => serving(r).includes(joined));
    expect(r.group.desiredSize).toBe(2);
    expect(metaRole(joined)).toBe("serving");
    expect(r.lb.backends().some((b) => b.id === joined && b.state === "active")).toBe(true);
    r.group.setRestoreJoin("/snap/b.save", false);
    r.store.emit({ type: "snapshot", ts: Date.now(), name: alone, action: "restore", status: "done", path: "/snap/b.save", by: "api" });
    await r.group.step();
    expect(r.group.members().some((m) => m.name === alone)).toBe(false);
    expect(metaRole(alone)).toBe("api");
    expect(r.group.desiredSize).toBe(2);
  });

  test("scale-in while a template launch is starting cancels it: no error, no fail, no retry delay (the `-` bug)", async () => {
    const r = await rig({ min: 1, max: 3, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const slow = `${r.prefix}-0001`;
    r.vms.stall.add(slow); // its boot takes long: still starting when the scale-in comes
    r.group.scaleBy(1, "test");
    expect(r.group.members().find((m) => m.name === slow)?.role).toBe("starting");
    await sleep(50);
    r.group.scaleBy(-1, "test");
    await r.group.settle();
    const rec = r.group.summary.launches.find((l) => l.name === slow)!;
    expect(rec.cancelled).toBe(true);
    expect(rec.error).toBeUndefined();
    expect(errors(r)).toEqual([]);
    expect(r.store.events().some((e) => e.type === "vm" && e.name === slow && e.to === "failed")).toBe(false);
    expect(stateOf(slow)).toBeNull(); // destroyed + undefined by the retire
    // No retry delay (launchRetryMs is 3 s here): the next scale-out launches at once.
    r.group.scaleBy(1, "test");
    expect(r.group.members().some((m) => m.role === "starting")).toBe(true);
    await stepUntil(r, () => serving(r).length === 2, 2000);
  });
});

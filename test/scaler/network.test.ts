// Network mode and crash loops, on libvirt's test driver with real libvirt
// calls, a real Balancer and real UDP guest servers (testdriver-vms.ts):
//  - a guest on a libvirt network has no address until its DHCP lease (the
//    VM layer reports 0.0.0.0:0 until then): it joins the balancer at the
//    address it gets (the "addBackend: bad port 0" bug), and follows it when
//    the lease changes;
//  - a launch that fails the same way again and again backs off (doubling,
//    capped), says so once per step, and leaves no VM behind.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { startServer, type GuestServer } from "../../src/guest/serve.ts";
import type { ManagedVmLike, VmOps } from "../../src/scaler/ports.ts";
import { waitServing } from "../../src/vm/ready.ts";
import { FrontClient } from "./front-client.ts";
import { domainsOf as domainsOn, groupRigs, keepTestDriver, rand6, rigConfig, sleep, startGroupRig, stepUntil as stepEvery, type GroupRig } from "./testdriver-rig.ts";
import { TestDriverVms } from "./testdriver-vms.ts";

setDefaultTimeout(30_000);
const keeper = keepTestDriver();

type Addr = { host: string; port: number };

/**
 * TestDriverVms as a VM layer on a libvirt network sees it: create() knows no
 * address (0.0.0.0:0, as VmManager in network mode), the address appears
 * `leaseAfterMs` after the start (the guest's DHCP lease), and a test can
 * move it (a new lease: another guest server answers there).
 */
class LeasedVms implements VmOps {
  readonly startedAt = new Map<string, number>();
  readonly moved = new Map<string, Addr>();
  readonly extra: GuestServer[] = [];
  /** Every create's name, and the names libvirt still has after each failed launch ended. */
  readonly created: string[] = [];
  failWith: ((name: string) => string) | null = null;
  /** create() takes this long after libvirt started the domain (a slow host). */
  createDelayMs = 0;
  readonly destroyed = new Set<string>();

  constructor(
    readonly inner: TestDriverVms,
    readonly leaseAfterMs: number,
  ) {}

  async create(o: { name?: string; role?: string } = {}): Promise<ManagedVmLike> {
    const vm = await this.inner.create(o);
    if (this.createDelayMs) await sleep(this.createDelayMs);
    this.created.push(vm.name);
    this.startedAt.set(vm.name, performance.now());
    return { ...vm, address: { host: "0.0.0.0", port: 0 } };
  }
  addressOf(name: string): Addr | null {
    const moved = this.moved.get(name);
    if (moved) return moved;
    const t = this.startedAt.get(name);
    if (t === undefined || performance.now() - t < this.leaseAfterMs) return null;
    return this.inner.addressOf(name);
  }
  async addressOfAsync(name: string): Promise<Addr | null> {
    return this.addressOf(name);
  }
  async waitServing(name: string, timeoutMs = 5000, opts: { signal?: AbortSignal } = {}): Promise<number> {
    const t0 = performance.now();
    if (this.failWith) {
      await sleep(50);
      throw new Error(this.failWith(name));
    }
    let a = this.addressOf(name);
    while (!a) {
      if (performance.now() - t0 > timeoutMs) throw new Error(`${name}: no lease within ${timeoutMs} ms`);
      await sleep(50);
      // As VmManager's: a domain that is gone fails the wait at once.
      if (this.destroyed.has(name)) throw new Error(`${name}: no such domain`);
      a = this.addressOf(name);
    }
    await waitServing(a, { scale: 1, timeoutMs, signal: opts.signal });
    return Math.round(performance.now() - t0);
  }
  managedSave = (n: string) => this.inner.managedSave(n);
  start = (n: string) => this.inner.start(n);
  shutdown = (n: string, o?: { timeoutMs?: number }) => this.inner.shutdown(n, o);
  destroy = (n: string) => {
    this.destroyed.add(n);
    return this.inner.destroy(n);
  };
  async listOwnedAsync(): Promise<ManagedVmLike[]> {
    return this.inner.listOwned().map((vm) => ({ ...vm, address: this.addressOf(vm.name) ?? { host: "0.0.0.0", port: 0 } }));
  }
  /** A new lease: the guest answers at another address from now on, not at the old one. */
  async moveLease(name: string): Promise<Addr> {
    const s = await startServer({ host: "127.0.0.1", port: 0, scale: 1 });
    this.extra.push(s);
    await this.inner.server(name)?.close();
    this.moved.set(name, s.address);
    return s.address;
  }
}

type Rig = GroupRig<LeasedVms>;
const rigs = groupRigs<Rig>(async (r) => {
  await r.vms.inner.cleanup(r.prefix);
  for (const s of r.vms.extra) await s.close();
  r.vms.inner.close();
});

async function rig(o: { leaseAfterMs?: number; retryMs?: number; maxMs?: number; orphanCheckMs?: number } = {}): Promise<Rig> {
  const prefix = `vst-net-${rand6()}`;
  const r = await startGroupRig({
    prefix,
    config: rigConfig(prefix, {
      scaler: { max: 1 },
      lb: { timeout_ms: 300, drain_timeout_s: 1, unhealthy_after: 2, probe_interval_ms: 100 },
      vm: { network: "network", network_name: "vsnet" },
    }),
    vms: new LeasedVms(new TestDriverVms(prefix), o.leaseAfterMs ?? 400),
    group: { unhealthyGraceMs: 60_000, launchRetryMs: o.retryMs ?? 200, launchBackoffMaxMs: o.maxMs, orphanCheckMs: o.orphanCheckMs ?? 60_000 },
  });
  rigs.push(r);
  return r;
}

const stepUntil = (r: Rig, what: string, cond: () => boolean, timeoutMs = 10_000) => stepEvery(r, cond, timeoutMs, { what });
const domainsOf = (prefix: string) => [...domainsOn(keeper, prefix).keys()];

/** n requests through the front, one at a time; the answers that came back correct. */
async function ask(front: Addr, n: number): Promise<{ correct: number; wrong: number }> {
  const c = await FrontClient.open(front, 1);
  try {
    for (let i = 0; i < n; i++) {
      const a = c.send();
      const t0 = performance.now();
      while (a.ms === null && performance.now() - t0 < 1000) await sleep(5);
    }
    return { correct: c.asked.filter((a) => a.ms !== null).length, wrong: c.wrong };
  } finally {
    c.close();
  }
}

describe("network mode (test driver, leases simulated)", () => {
  test("a guest with no address until its lease joins at the leased address (no 'bad port 0'), and answers through the balancer", async () => {
    const r = await rig({ leaseAfterMs: 500 });
    await r.group.start();
    await stepUntil(r, "the VM to serve", () => r.group.serving().length === 1);
    const m = r.group.serving()[0]!;
    const leased = r.vms.inner.addressOf(m.name)!;
    expect(m.address).toEqual(leased);
    expect(r.lb.backends().map((b) => b.address)).toEqual([`${leased.host}:${leased.port}`]);
    expect(r.store.events().filter((e) => e.type === "error")).toEqual([]);
    expect(r.group.summary.launches).toHaveLength(1);
    const got = await ask(r.front, 20);
    expect(got).toEqual({ correct: 20, wrong: 0 });
  });

  test("a lease that changes moves the backend: the balancer sends to the new address", async () => {
    const r = await rig({ leaseAfterMs: 100, orphanCheckMs: 300 });
    await r.group.start();
    await stepUntil(r, "the VM to serve", () => r.group.serving().length === 1);
    const name = r.group.serving()[0]!.name;
    const to = await r.vms.moveLease(name);
    await stepUntil(r, "the backend to follow the lease", () => r.lb.backends().some((b) => b.id === name && b.address === `${to.host}:${to.port}`));
    expect(r.store.events().some((e) => e.type === "log" && e.message.includes(`address changed to ${to.host}:${to.port}`))).toBe(true);
    // Same VM, not a replacement: no second launch.
    expect(r.group.summary.launches).toHaveLength(1);
    const got = await ask(r.front, 10);
    expect(got).toEqual({ correct: 10, wrong: 0 });
  });
});

describe("a run that ends while its VMs boot", () => {
  test("removes them, and the waits it gave up on never reject unhandled (Bun ended the process mid-cleanup: VMs left on the host)", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const r = await rig({ leaseAfterMs: 5000 });
      r.vms.createDelayMs = 300;
      await r.group.start();
      void r.group.step();
      await sleep(100); // the launch's create is under way
      const summary = await r.group.stop({ removeVms: true });
      await sleep(500); // the abandoned wait ends (the domain is gone) after the stop
      expect(unhandled).toEqual([]);
      expect(summary.left).toEqual([]);
      expect(summary.removed).toEqual(r.vms.created);
      expect(r.vms.created).toHaveLength(1);
      expect(domainsOf(r.prefix)).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

describe("crash loops back off (test driver)", () => {
  test("a launch failing the same way waits 2x longer each time up to the cap, says so once per step, and leaves no VM", async () => {
    const r = await rig({ retryMs: 200, maxMs: 800 });
    r.vms.failWith = (name) => `${name}: guest server answered nothing on port 21001 within 5000 ms`;
    await r.group.start();
    const t0 = performance.now();
    await stepUntil(r, "5 failed launches", () => r.group.summary.launches.filter((l) => l.error).length >= 5 && r.group.members().length === 0, 20_000);
    const elapsed = performance.now() - t0;
    const launches = r.group.summary.launches;
    // The waits are lower bounds: 200, 400, 800, 800 ms between the 5 attempts (the step period adds to them).
    const gaps = launches.slice(1, 5).map((l, i) => l.decisionAt - launches[i]!.decisionAt);
    expect(gaps[0]!).toBeGreaterThanOrEqual(200);
    expect(gaps[1]!).toBeGreaterThanOrEqual(400);
    expect(gaps[2]!).toBeGreaterThanOrEqual(800);
    expect(gaps[3]!).toBeGreaterThanOrEqual(800);
    expect(gaps[3]!).toBeLessThan(800 + 1500); // capped: not 1.6 s
    expect(elapsed).toBeGreaterThan(2000);
    const steps = r.store.events().flatMap((e) => (e.type === "log" && /launch failed \d+ times the same way/.test(e.message) ? [e.message] : []));
    expect(steps.slice(0, 4)).toEqual([
      expect.stringMatching(/^launch failed 2 times the same way \(.*answered nothing on port 21001.*\); next try in 0\.4 s$/),
      expect.stringMatching(/^launch failed 3 times the same way .*; next try in 0\.8 s \(the longest wait\)$/),
      expect.stringMatching(/^launch failed 4 times the same way .*; next try in 0\.8 s \(the longest wait\)$/),
      expect.stringMatching(/^launch failed 5 times the same way .*; next try in 0\.8 s \(the longest wait\)$/),
    ]);
    // The full error is said once; its repeats only by the step lines.
    expect(r.store.events().filter((e) => e.type === "error" && e.source.startsWith("launch "))).toHaveLength(1);
    // Every failed launch's VM was removed.
    expect(domainsOf(r.prefix)).toEqual([]);
    expect(r.vms.created.length).toBeGreaterThanOrEqual(5);

    // Fixed: the next launch serves, and the loop is over (the next failure starts at the base again).
    r.vms.failWith = null;
    await stepUntil(r, "the VM to serve", () => r.group.serving().length === 1, 10_000);
    expect(r.store.events().some((e) => e.type === "log" && /serves: launches work again after \d+ failed the same way/.test(e.message))).toBe(true);
  });

  test("another kind of failure starts over at the base wait", async () => {
    const r = await rig({ retryMs: 300, maxMs: 5000 });
    let kind = "A";
    r.vms.failWith = (name) => `${name}: failure ${kind}`;
    await r.group.start();
    await stepUntil(r, "2 failed launches", () => r.group.summary.launches.filter((l) => l.error).length >= 2 && r.group.members().length === 0);
    kind = "B";
    await stepUntil(r, "3 failed launches", () => r.group.summary.launches.filter((l) => l.error).length >= 3 && r.group.members().length === 0);
    const logs = r.store.events().flatMap((e) => (e.type === "log" && /^launch/.test(e.message) ? [e.message] : []));
    expect(logs[0]).toMatch(/^launch of vst-net-\w+-0000 failed \(.*failure A\); next try in 0\.3 s$/);
    expect(logs[1]).toMatch(/^launch failed 2 times the same way \(.*failure A\); next try in 0\.6 s$/);
    expect(logs[2]).toMatch(/^launch of vst-net-\w+-0002 failed \(.*failure B\); next try in 0\.3 s$/);
    expect(domainsOf(r.prefix)).toEqual([]);
  });
});

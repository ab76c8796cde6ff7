// The group (monitor + policy + actuator) on libvirt's test driver with real
// libvirt calls, a real Balancer and real UDP guest servers per VM (see
// testdriver-vms.ts). The test driver reports cpu time = wall time, so a 1-vCPU
// test domain runs at 100 % CPU and a 4-vCPU one at 25 %: that drives the policy.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn } from "node:child_process";
import { AsyncConnection, DomainEvents, LibvirtError } from "../../ffi/index.ts";
import { expectedReply } from "../../src/protocol.ts";
import type { StatsConnection } from "../../src/scaler/monitor.ts";
import { askFront } from "./front-client.ts";
import { domainsOf as domainsOn, groupRigs, keepTestDriver, rand6, rigConfig, servingNames as serving, sleep, startGroupRig, stepUntil as stepEvery, TEST_URI, type GroupRig } from "./testdriver-rig.ts";
import { domainXml, TestDriverVms } from "./testdriver-vms.ts";

const keeper = keepTestDriver();

type Rig = GroupRig & { down: { on: boolean } };
const rigs = groupRigs<Rig>();

async function rig(
  scaler: Record<string, unknown> = {},
  opts: { vcpus?: number; prefix?: string; vms?: TestDriverVms; orphanCheckMs?: number; events?: boolean; manual?: boolean; host?: { cpus: number } } = {},
): Promise<Rig> {
  const prefix = opts.prefix ?? `vst-scaler-${rand6()}`;
  const config = rigConfig(prefix, { scaler });
  // Samples on the worker, as in `up`. Failure injection: while down.on, opening fails and a held source fails its calls.
  const down = { on: false };
  const connect = async (): Promise<StatsConnection> => {
    if (down.on) throw new Error("injected: libvirt connection refused");
    const c = await AsyncConnection.open(TEST_URI, { readOnly: true });
    return {
      cpuStats: (f, names) => {
        if (down.on) throw new Error("injected: connection lost");
        return c.cpuStats(f, names);
      },
      close: () => c.close(),
      // The host calls only when the test gives the host's size (the test driver's own node has 16 CPUs).
      ...(opts.host
        ? {
            nodeGetInfo: async () => ({ ...(await c.nodeGetInfo()), cpus: opts.host!.cpus }),
            nodeGetCPUStats: () => c.nodeGetCPUStats(),
            nodeGetFreeMemory: () => c.nodeGetFreeMemory(),
          }
        : {}),
    };
  };
  const vms = opts.vms ?? new TestDriverVms(prefix, { vcpus: opts.vcpus ?? 2 });
  const events = opts.events ? () => DomainEvents.open(TEST_URI) : undefined;
  const r = { ...(await startGroupRig({ prefix, config, vms, group: { connect, events, manual: opts.manual ?? true, orphanCheckMs: opts.orphanCheckMs } })), down };
  rigs.push(r);
  return r;
}

/** Step the group every period until cond() holds (or fail after timeoutMs). */
const stepUntil = (r: Rig, cond: () => boolean, timeoutMs = 8000) => stepEvery(r, cond, timeoutMs, { everyMs: 200 });
const domainsOf = (prefix: string) => domainsOn(keeper, prefix);
const ask = (front: { host: string; port: number }, n = 5) => askFront(front, n, 1500);

describe("group on test:///default", () => {
  setDefaultTimeout(30000);
  test("host capacity: a scale-out past the host's cores is refused and says so (decision, view, manual +1); the group keeps serving", async () => {
    // 1-vCPU test domains read 100 % CPU (cpu time = wall time): the threshold policy keeps asking for more.
    const r = await rig({ min: 1, max: 3, reserve_cores: 0 }, { vcpus: 1, host: { cpus: 2 } });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 2);
    for (let i = 0; i < 10; i++) {
      await r.group.step();
      await sleep(200);
    }
    expect(serving(r).length).toBe(2);
    expect(r.store.events().filter((e) => e.type === "scale" && e.action === "out").map((e) => (e as { to: number }).to)).toEqual([2]);
    const v = r.store.state.scaler!;
    expect(v.capacity).toMatchObject({ cores: 2, reserveCores: 0, reserveFrom: "config", vcpus: 2, busyVcpus: 2, maxVms: 2, atCap: true, text: "2 of 2 cores" });
    expect(v.lastDecision!.reason).toMatch(/^avg \d+ % > 80 % for \d+\.\d s, at host capacity: 2 of 2 cores$/);
    expect(r.group.scaleBy(1)).toBe(2);
    expect(r.store.events().some((e) => e.type === "log" && e.message === "scale +1: at host capacity: 2 of 2 cores")).toBe(true);
    expect(await ask(r.front, 3)).toBe(expectedReply(3, 1));
  });

  test("starts min VMs from the template, joins them to the balancer only once they answer", async () => {
    const r = await rig({ min: 1 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const name = serving(r)[0]!;
    expect(name).toBe(`${r.prefix}-0000`);
    expect(domainsOf(r.prefix).get(name)).toBe(true);
    expect(r.lb.backends().map((b) => b.id)).toEqual([name]);
    expect(await ask(r.front, 9)).toBe(expectedReply(9, 1));
    expect(r.store.state.scaler?.current).toBe(1);
    await r.group.step(); // the store's VM list comes from the next sample
    expect(r.store.state.vms.get(name)).toMatchObject({ role: "serving", state: "running", vcpus: 2 });
  });

  test("a VM that never answers is never added to the balancer, and is replaced", async () => {
    const r = await rig({ min: 1, ready_timeout_s: 0.3 });
    r.vms.neverServe.add(`${r.prefix}-0000`);
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    expect(serving(r)).toEqual([`${r.prefix}-0001`]);
    expect(r.lb.backends().map((b) => b.id)).toEqual([`${r.prefix}-0001`]);
    expect(domainsOf(r.prefix).has(`${r.prefix}-0000`)).toBe(false); // destroyed + undefined
  });

  test("scale+1 / scale-1 commands: a VM joins, then one is drained and undefined", async () => {
    const r = await rig({ min: 1, max: 3, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    expect(r.store.listCommands().map((c) => c.name).sort()).toEqual(["pause", "resume", "scale+1", "scale-1"]);
    await r.store.run("scale+1");
    await stepUntil(r, () => serving(r).length === 2);
    expect(r.lb.backends().filter((b) => b.state === "active")).toHaveLength(2);
    const scale = r.store.events().filter((e) => e.type === "scale");
    expect(scale.at(-1)).toMatchObject({ action: "out", from: 1, to: 2, reason: "manual: 1 → 2" });
    await r.store.run("scale-1");
    await stepUntil(r, () => serving(r).length === 1 && r.group.members().length === 1);
    await r.group.settle();
    expect([...domainsOf(r.prefix).keys()]).toEqual([`${r.prefix}-0000`]);
    expect(r.lb.backends().filter((b) => b.state !== "removed").map((b) => b.id)).toEqual([`${r.prefix}-0000`]);
  });

  test("the threshold policy scales out at 100 % CPU (1-vCPU test domains) up to max, with the reason", async () => {
    const r = await rig({ min: 1, max: 2 }, { vcpus: 1 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 2);
    const ev = r.store.events().find((e) => e.type === "scale");
    expect(ev).toMatchObject({ action: "out", from: 1, to: 2 });
    expect((ev as { reason: string }).reason).toMatch(/^avg 100 % > 80 % for 1\.\d s: 1 → 2$/);
    await r.group.step();
    expect(r.store.state.scaler?.lastDecision?.reason).toMatch(/at max 2|of 1\.0 s/);
  });

  test("the threshold policy scales in at 25 % CPU (4-vCPU test domains) down to min", async () => {
    const r = await rig({ min: 1, max: 3, paused: true }, { vcpus: 4 });
    await r.group.start();
    r.group.scaleBy(1);
    await stepUntil(r, () => serving(r).length === 2);
    await r.store.run("resume");
    await stepUntil(r, () => serving(r).length === 1 && r.group.members().length === 1);
    const ev = r.store.events().filter((e) => e.type === "scale").at(-1);
    expect(ev).toMatchObject({ action: "in", from: 2, to: 1 });
    expect((ev as { reason: string }).reason).toMatch(/avg 25 % < 35 %/);
  });

  test("a VM destroyed behind the group's back is taken out at once and replaced", async () => {
    const r = await rig({ min: 2, max: 3, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 2);
    const victim = serving(r)[0]!;
    using d = keeper.lookupByName(victim);
    d.destroy();
    await r.group.step();
    expect(r.lb.backends().find((b) => b.id === victim)?.state ?? "removed").not.toBe("active");
    await stepUntil(r, () => serving(r).length === 2 && !serving(r).includes(victim));
    expect(r.group.summary.replaced).toBe(1);
    expect(domainsOf(r.prefix).has(victim)).toBe(false);
    expect(await ask(r.front)).toBe(expectedReply(5, 1));
  });

  test("a VM the balancer marks unhealthy for long is replaced", async () => {
    const r = await rig({ min: 1, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const victim = serving(r)[0]!;
    await r.vms.unserve(victim); // the guest service stops answering; libvirt still says running
    // Requests time out at the balancer -> unhealthy -> replaced after the grace period.
    for (let i = 0; i < 5; i++) void ask(r.front);
    await stepUntil(r, () => serving(r).length === 1 && serving(r)[0] !== victim, 10000);
    expect(r.group.summary.replaced).toBe(1);
  });

  test("a backend marked unhealthy that still answers (overloaded, slow) is not replaced", async () => {
    const r = await rig({ min: 1, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const victim = serving(r)[0]!;
    // The balancer reports it unhealthy (as under overload) while real answers keep coming through it.
    const real = r.lb.backends.bind(r.lb);
    r.lb.backends = () => real().map((b) => (b.id === victim ? { ...b, state: "unhealthy" as const } : b));
    for (let i = 0; i < 8; i++) {
      expect(await ask(r.front, i + 1)).toBe(expectedReply(i + 1, 1));
      await r.group.step();
      await sleep(150);
    }
    expect(serving(r)).toEqual([victim]);
    expect(r.group.summary.replaced).toBe(0);
    // Once it stops answering too, it is replaced.
    await r.vms.unserve(victim);
    await stepUntil(r, () => serving(r).length === 1 && serving(r)[0] !== victim, 10000);
    expect(r.group.summary.replaced).toBe(1);
  });

  test("libvirt connection lost: the balancer keeps serving, no VM is replaced, the monitor reconnects", async () => {
    const r = await rig({ min: 1, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const before = serving(r);
    r.down.on = true;
    for (let i = 0; i < 5; i++) {
      await r.group.step();
      await sleep(100);
    }
    expect(r.group.monitor.connected).toBe(false);
    expect(r.store.state.vms.get(before[0]!)?.state).toBe("unknown");
    expect(r.store.state.vms.get(before[0]!)?.cpuPct).toBeNull();
    expect(await ask(r.front, 11)).toBe(expectedReply(11, 1));
    expect(serving(r)).toEqual(before);
    expect(r.group.summary.replaced).toBe(0);
    r.down.on = false;
    await stepUntil(r, () => r.group.monitor.connected);
    expect(r.group.monitor.reconnects).toBeGreaterThanOrEqual(1);
    expect(r.store.events().some((e) => e.type === "error" && /injected/.test(e.message))).toBe(true);
    expect(serving(r)).toEqual(before);
  });

  test("libvirt's lifecycle event takes a destroyed VM out of the balancer before any step, and the warm pool replaces it", async () => {
    const r = await rig({ min: 2, max: 3, paused: true, source: "warm", warm_pool: 1 }, { events: true });
    await r.group.start();
    expect(r.group.watchingEvents).toBe(true);
    await stepUntil(r, () => serving(r).length === 2 && r.group.actuator.warmReady().length === 1);
    const victim = serving(r)[0]!;
    const warm = r.group.actuator.warmReady()[0]!.name;
    const active = () => r.lb.backends().some((b) => b.id === victim && b.state === "active");
    const t0 = performance.now();
    using d = keeper.lookupByName(victim);
    d.destroy();
    // No step from here on: only the event can act.
    while (active() && performance.now() - t0 < 2000) await sleep(5);
    const outMs = performance.now() - t0;
    expect(active()).toBe(false);
    expect(outMs).toBeLessThan(1000); // the event arrives in ~1 ms; the sample would need a step
    const failed = r.store.events().find((e) => e.type === "vm" && e.name === victim && e.to === "failed");
    expect((failed as { detail?: string }).detail).toMatch(/stopped \(destroyed\) \(libvirt event\)/);
    while (!serving(r).includes(warm) && performance.now() - t0 < 5000) await sleep(20);
    expect(serving(r)).toContain(warm);
    expect(r.group.summary.launches.find((l) => l.name === warm)?.how).toBe("warm");
    expect(r.group.summary.replaced).toBe(1);
    expect(await ask(r.front)).toBe(expectedReply(5, 1));
  });

  test("its QEMU process ending takes a VM out of the balancer at once; libvirt's STOPPED then has it replaced", async () => {
    const r = await rig({ min: 2, max: 3, paused: true }, { events: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 2);
    const victim = serving(r)[0]!;
    // A stand-in for the VM's QEMU: a process the test can kill -9.
    const qemu = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      r.vms.pids.set(victim, qemu.pid!);
      await r.group.step(); // the watch is armed as the serving set is published
      await sleep(50); // ... by the loop thread, a moment later
      const active = () => r.lb.backends().some((b) => b.id === victim && b.state === "active");
      expect(active()).toBe(true);
      const t0 = performance.now();
      qemu.kill("SIGKILL");
      while (active() && performance.now() - t0 < 2000) await sleep(2);
      const outMs = performance.now() - t0;
      expect(active()).toBe(false);
      expect(outMs).toBeLessThan(500);
      // libvirt still says running (it cleans up first): the member waits for the verdict, and so does its replacement
      // (the process also ends when another process saves the VM for a snapshot: only libvirt can tell that from a death).
      expect(r.group.members().find((m) => m.name === victim)?.outSince).toBeDefined();
      expect(r.group.summary.replaced).toBe(0);
      await r.group.step();
      expect(r.group.members().filter((m) => m.name !== victim).map((m) => m.role)).toEqual(["serving"]);
      using d = keeper.lookupByName(victim);
      d.destroy(); // what libvirt does once QEMU is gone: STOPPED
      await stepUntil(r, () => serving(r).length === 2 && !serving(r).includes(victim));
      expect(r.group.summary.replaced).toBe(1);
      console.log(`test driver: process end -> out of the balancer in ${outMs.toFixed(1)} ms`);
    } finally {
      qemu.kill("SIGKILL");
    }
  });

  test("a VM whose QEMU ended but that runs again (a new QEMU: restored) is put back, and the group shrinks back to its size", async () => {
    const r = await rig({ min: 1, max: 3, paused: true }, { events: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const vm = serving(r)[0]!;
    const first = spawn("sleep", ["60"], { stdio: "ignore" });
    const second = spawn("sleep", ["60"], { stdio: "ignore" });
    try {
      r.vms.pids.set(vm, first.pid!);
      await r.group.step();
      await sleep(50);
      first.kill("SIGKILL");
      await stepUntil(r, () => r.group.members().find((m) => m.name === vm)?.outSince !== undefined);
      r.vms.pids.set(vm, second.pid!); // libvirt runs it again in a new process
      await stepUntil(r, () => r.lb.backends().some((b) => b.id === vm && b.state === "active"));
      await stepUntil(r, () => r.group.members().filter((m) => m.role === "serving" || m.role === "starting").length === 1);
      expect(serving(r)).toEqual([vm]);
      expect(r.group.summary.replaced).toBe(0);
      expect(r.store.events().some((e) => e.type === "vm" && e.name === vm && /back in the balancer: runs again \(QEMU process \d+\)/.test(e.detail ?? ""))).toBe(true);
    } finally {
      first.kill("SIGKILL");
      second.kill("SIGKILL");
    }
  });

  test("a step never throws: a listing that throws synchronously (libvirt gone) is logged, every member kept, the balancer serves", async () => {
    const r = await rig({ min: 1, paused: true }, { orphanCheckMs: 1 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const before = serving(r);
    const lost = new LibvirtError({ code: 38, domain: 7, level: 2, message: "Cannot write data: Broken pipe", func: "virConnectListAllDomains" });
    // Not even a rejected promise: a throw before any promise exists (what killed `up`).
    r.vms.listOwnedAsync = () => {
      throw lost;
    };
    let lastTs = r.store.state.scaler?.lastDecision?.ts ?? 0;
    for (let i = 0; i < 3; i++) {
      await sleep(5);
      await r.group.step(); // resolves: a throw here would end the process under the timer
      const ts = r.store.state.scaler?.lastDecision?.ts ?? 0;
      expect(ts).toBeGreaterThan(lastTs); // the step ran to its end
      lastTs = ts;
    }
    await r.group.settle();
    const errors = r.store.events().filter((e) => e.type === "error");
    expect(errors.some((e) => /Broken pipe/.test(e.message))).toBe(true);
    expect(errors.some((e) => /control step failed/.test(e.message))).toBe(false); // the sweep's own failure, not the step's
    expect(serving(r)).toEqual(before);
    expect(await ask(r.front, 7)).toBe(expectedReply(7, 1));
  });

  test("a failing control loop logs once, backs off exponentially, keeps serving, and recovers", async () => {
    const r = await rig({ min: 1, paused: true, period_s: 0.05 }, { manual: false });
    await r.group.start();
    const t0 = performance.now();
    while (serving(r).length < 1 && performance.now() - t0 < 8000) await sleep(50);
    expect(serving(r).length).toBe(1);
    const real = r.lb.backends.bind(r.lb);
    let attempts = 0;
    r.lb.backends = () => {
      attempts++;
      throw new Error("injected: balancer view failed");
    };
    await sleep(1600);
    // 32 steps at the 50 ms period; with backoff (100, 200, 400, 800 ms) about 5.
    expect(attempts).toBeGreaterThanOrEqual(3);
    expect(attempts).toBeLessThanOrEqual(8);
    expect(r.store.events().filter((e) => e.type === "error" && /injected: balancer view failed/.test(e.message))).toHaveLength(1);
    expect(await ask(r.front, 3)).toBe(expectedReply(3, 1));
    r.lb.backends = real;
    const t1 = performance.now();
    while (!r.store.events().some((e) => e.type === "log" && /control loop works again after \d+ failed step/.test(e.message)) && performance.now() - t1 < 6000) await sleep(50);
    expect(r.store.events().some((e) => e.type === "log" && /control loop works again/.test(e.message))).toBe(true);
    expect(serving(r).length).toBe(1);
  });

  test("a restarted group adopts its running VMs, starts nothing twice, removes them at its end, leaves others' domains alone", async () => {
    const prefix = `vst-scaler-${rand6()}`;
    const a = await rig({ min: 2, paused: true }, { prefix });
    await a.group.start();
    await stepUntil(a, () => serving(a).length === 2);
    const first = serving(a);
    const kept = await a.group.stop({ removeVms: false });
    expect(kept.left.sort()).toEqual(first);
    expect(Object.keys(kept.leftReasons).sort()).toEqual(first);
    expect(kept.leftReasons[first[0]!]).toMatch(/--keep/);
    // A domain with our prefix but no metadata, and one of another group: not ours.
    keeper.defineXML(domainXml(`${prefix}-0007`)).free();
    keeper.defineXML(domainXml(`${prefix}-0008`, { group: "someone-else" })).free();
    // The same VmOps: VmManager knows a VM's address from its metadata; the fake from its own table.
    const b = await rig({ min: 2, paused: true }, { prefix, vms: a.vms });
    await b.group.start();
    expect(b.group.summary.adopted.sort()).toEqual(first);
    await stepUntil(b, () => serving(b).length === 2);
    expect(serving(b)).toEqual(first);
    expect(b.vms.calls.filter((c) => c.startsWith("create"))).toEqual(first.map((n) => `create ${n}`)); // only a's
    const summary = await b.group.stop({ removeVms: true });
    // Adopted VMs are the group's now: removed at its end like the ones it made (issue 13: SIGTERM after a restart left them all).
    expect(summary.removed.sort()).toEqual(first);
    expect(summary.left).toEqual([]);
    const doms = domainsOf(prefix);
    expect(doms.has(first[0]!) || doms.has(first[1]!)).toBe(false);
    expect(doms.has(`${prefix}-0007`) && doms.has(`${prefix}-0008`)).toBe(true);
  });

  test("a running VM of our group that the group does not track is adopted, then retired to the desired size", async () => {
    const r = await rig({ min: 1, max: 3, paused: true }, { orphanCheckMs: 300 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const orphan = `${r.prefix}-0042`;
    await r.vms.create({ name: orphan }); // ours by metadata, e.g. a destroy that failed while libvirt was down
    const other = new TestDriverVms("someone-else");
    await other.create({ name: `${r.prefix}-0043` }); // running, our prefix, another group: never touched
    await r.vms.create({ name: `${r.prefix}-0044`, role: "api" }); // ours, but made through the API: not the scaler's
    try {
      await stepUntil(r, () => r.group.summary.adopted.includes(orphan));
      await stepUntil(r, () => serving(r).length === 1 && r.group.members().length === 1);
      await r.group.settle();
      expect(domainsOf(r.prefix).has(orphan)).toBe(false);
      expect(domainsOf(r.prefix).get(`${r.prefix}-0043`)).toBe(true);
      expect(domainsOf(r.prefix).get(`${r.prefix}-0044`)).toBe(true);
      expect(r.group.summary.adopted).not.toContain(`${r.prefix}-0043`);
      expect(r.group.summary.adopted).not.toContain(`${r.prefix}-0044`);
    } finally {
      await other.cleanup(`${r.prefix}-0043`);
      other.close();
    }
  });

  test("warm pool: filled in the background, scale-out resumes a managed-saved VM, refilled", async () => {
    const r = await rig({ min: 1, max: 3, paused: true, source: "warm", warm_pool: 1 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1 && r.group.actuator.warmReady().length === 1);
    const warm = r.group.actuator.warmReady()[0]!.name;
    expect(domainsOf(r.prefix).get(warm)).toBe(false); // managed-saved, not running
    expect(r.vms.calls).toContain(`managedSave ${warm}`);
    r.group.scaleBy(1);
    await stepUntil(r, () => serving(r).length === 2);
    expect(serving(r)).toContain(warm);
    const rec = r.group.summary.launches.find((l) => l.name === warm);
    expect(rec?.how).toBe("warm");
    expect(rec?.decisionToServingMs).toBeGreaterThanOrEqual(0);
    await stepUntil(r, () => r.group.actuator.warmReady().length === 1);
    expect(r.group.actuator.warmReady()[0]!.name).not.toBe(warm);
    const summary = await r.group.stop({ removeVms: true });
    expect(summary.removed.length).toBe(3);
    expect(domainsOf(r.prefix).size).toBe(0);
  });

  test("predefined source: starts PREFIX-NNNN in order, leaves them defined when done", async () => {
    const prefix = `vst-scaler-${rand6()}`;
    const vms = new TestDriverVms(prefix, { vcpus: 2 });
    // Predefined domains have no metadata: the fake's start() brings up their guest service.
    for (const i of ["0000", "0001"]) keeper.defineXML(domainXml(`${prefix}-${i}`, { vcpus: 2 })).free();
    const r = await rig({ min: 1, max: 2, paused: true, source: "predefined" }, { prefix, vms });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    expect(serving(r)).toEqual([`${prefix}-0000`]);
    r.group.scaleBy(1);
    await stepUntil(r, () => serving(r).length === 2);
    expect(serving(r)).toEqual([`${prefix}-0000`, `${prefix}-0001`]);
    await r.group.stop({ removeVms: true });
    const doms = domainsOf(prefix);
    expect([...doms.entries()].sort()).toEqual([
      [`${prefix}-0000`, false],
      [`${prefix}-0001`, false],
    ]);
  });

  test("stop({removeVms}) removes every VM the run created", async () => {
    const r = await rig({ min: 2, paused: true });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 2);
    const summary = await r.group.stop({ removeVms: true });
    expect(summary.removed.sort()).toEqual([`${r.prefix}-0000`, `${r.prefix}-0001`]);
    expect(domainsOf(r.prefix).size).toBe(0);
  });
});

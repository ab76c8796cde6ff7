// The group's side of an operation another process runs, on libvirt's test
// driver (fast; snapshot-grace.qemu.test.ts does it with real snapshots): a
// member paused under a live process's mark is busy, not dead; a mark whose
// process is gone protects nothing (and the log says so); a member a snapshot
// halted leaves the group still defined, and another VM takes its place.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { hostname } from "node:os";
import { inspectDomain, writeMark } from "../../src/vm/operations.ts";
import { groupRigs, keepTestDriver, rand6, rigConfig, sleep, startGroupRig, type GroupRig } from "../scaler/testdriver-rig.ts";
import { TestDriverVms } from "../scaler/testdriver-vms.ts";

const keeper = keepTestDriver();
type Rig = GroupRig;
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});
const rigs = groupRigs();

async function makeRig(): Promise<Rig> {
  const prefix = `vst-grace-${rand6()}`;
  const vms = new TestDriverVms(prefix, { vcpus: 2 });
  const r = await startGroupRig({
    prefix,
    config: rigConfig(prefix, { scaler: { max: 2, paused: true }, lb: { drain_timeout_s: 1 } }),
    vms,
    // What registerVmCommands installs in `up`: the registry's view of the domains.
    probe: (vm) => inspectDomain(vms.conn, vm),
  });
  rigs.push(r);
  return r;
}

async function stepFor(r: Rig, ms: number, until?: () => boolean): Promise<void> {
  const t0 = performance.now();
  while (performance.now() - t0 < ms && !until?.()) {
    r.group.step();
    await sleep(200);
  }
}
const serving = (r: Rig) => r.group.serving().map((m) => m.name);
const defined = (name: string) => keeper.listAllDomains().some((d) => d.name() === name);
const creates = (r: Rig) => r.vms.calls.filter((c) => c.startsWith("create")).length;
const mark = (pid: number) => ({ state: "running" as const, kind: "snapshot" as const, by: "cli" as const, mode: "resume" as const, pid, host: hostname(), since: Date.now() });

describe("the group and another process's operations (test:///default)", () => {
  setDefaultTimeout(30_000);

  test("paused under a live process's mark: busy, never replaced; the mark's process gone: replaced, saying why", async () => {
    const r = await makeRig();
    await r.group.start();
    await stepFor(r, 8000, () => serving(r).length === 1);
    const name = serving(r)[0]!;
    child = spawn("sleep", ["60"], { stdio: "ignore" });
    writeMark(r.vms.conn, name, mark(child.pid!));
    keeper.lookupByName(name).suspend();
    await stepFor(r, 2000);
    expect(serving(r)).toEqual([name]);
    expect(creates(r)).toBe(1);
    expect(r.store.events().some((e) => e.type === "log" && e.message.includes("taken out"))).toBe(false);

    child.kill("SIGKILL");
    await new Promise((res) => child!.once("exit", res));
    await stepFor(r, 8000, () => !serving(r).includes(name));
    const why = r.store.events().find((e) => e.type === "log" && e.message.startsWith(`${name}: VM is paused`));
    expect(why && why.type === "log" && why.message).toBe(`${name}: VM is paused and its snapshot mark names cli pid ${child.pid} on ${hostname()}, which is gone; taken out and replaced`);
  });

  test("halted by a snapshot: leaves the group still defined, and another VM takes its place", async () => {
    const r = await makeRig();
    await r.group.start();
    await stepFor(r, 8000, () => serving(r).length === 1);
    const name = serving(r)[0]!;
    keeper.lookupByName(name).destroy();
    writeMark(r.vms.conn, name, { ...mark(process.pid), state: "halted", mode: "resume", path: "/snaps/h.save" });
    await stepFor(r, 8000, () => serving(r).length === 1 && serving(r)[0] !== name);
    expect(r.group.members().some((m) => m.name === name)).toBe(false);
    expect(defined(name)).toBe(true);
    expect(r.group.summary.left).toContain(name);
    expect(r.vms.calls).not.toContain(`destroy ${name}`);
    expect(r.store.events().some((e) => e.type === "log" && e.message === `${name}: halted by a snapshot (/snaps/h.save): left the group, still defined; restore it with virtscale restore`)).toBe(true);
  });

  test("an operation of this run (the registry): paused is busy while it runs", async () => {
    const r = await makeRig();
    await r.group.start();
    await stepFor(r, 8000, () => serving(r).length === 1);
    const name = serving(r)[0]!;
    const op = r.store.operations.begin(name, "snapshot", "api", { mode: "resume" });
    keeper.lookupByName(name).suspend();
    await stepFor(r, 1500);
    expect(serving(r)).toEqual([name]);
    expect(creates(r)).toBe(1);
    r.store.operations.end(op);
    keeper.lookupByName(name).resume();
    await stepFor(r, 600);
    expect(serving(r)).toEqual([name]);
  });
});

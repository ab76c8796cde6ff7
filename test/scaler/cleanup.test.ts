// What the group leaves when a run ends (issue 13: after a restart, SIGTERM
// left every adopted VM and a managed-save image; VMs made through the API
// were left and not listed), and the scaler's own operations in the registry,
// on libvirt's test driver with real guest servers (testdriver-vms.ts).
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { clearMark, inspectDomain, writeMark } from "../../src/vm/operations.ts";
import { domainsOf as domainsOn, groupRigs, keepTestDriver, rand6, rigConfig, servingNames as serving, startGroupRig, stepUntil, type GroupRig } from "./testdriver-rig.ts";
import { domainXml, TestDriverVms } from "./testdriver-vms.ts";

setDefaultTimeout(30_000);
const keeper = keepTestDriver();
const rigs = groupRigs();

async function rig(scaler: Record<string, unknown>, opts: { prefix?: string; vms?: TestDriverVms; orphanCheckMs?: number } = {}): Promise<GroupRig> {
  const prefix = opts.prefix ?? `vst-clean-${rand6()}`;
  const r = await startGroupRig({
    prefix,
    config: rigConfig(prefix, { scaler: { paused: true, ...scaler }, lb: { drain_timeout_s: 1 } }),
    vms: opts.vms ?? new TestDriverVms(prefix, { vcpus: 2 }),
    // The domains as libvirt sees them (marks of other processes), as `up` wires it (src/vm/commands.ts).
    probe: (vm) => inspectDomain(keeper, vm),
    group: { orphanCheckMs: opts.orphanCheckMs, shutdownTimeoutMs: 200 },
  });
  rigs.push(r);
  return r;
}

const domainsOf = (prefix: string) => domainsOn(keeper, prefix);

describe("the end of a run", () => {
  test("removes every VM of the group: adopted running and warm ones, API-made, untracked stopped; not others'", async () => {
    const prefix = `vst-clean-${rand6()}`;
    const a = await rig({ min: 1, source: "warm", warm_pool: 1 }, { prefix });
    await a.group.start();
    await stepUntil(a, () => serving(a).length === 1 && a.group.actuator.warmReady().length === 1);
    const running = serving(a)[0]!;
    const warm = a.group.actuator.warmReady()[0]!.name;
    // The first run dies without cleaning up (kill -9): its VMs stay, one running, one managed-saved.
    await a.group.stop({ removeVms: false });
    await a.vms.create({ name: `${prefix}-0050`, role: "api" }); // made through the API
    keeper.defineXML(domainXml(`${prefix}-0052`)).free(); // our prefix, no metadata: not ours
    keeper.defineXML(domainXml(`${prefix}-0053`, { group: "someone-else" })).free();

    const b = await rig({ min: 1, source: "warm", warm_pool: 1 }, { prefix, vms: a.vms });
    await b.group.start();
    expect(b.group.summary.adopted.sort()).toEqual([running, warm].sort());
    keeper.defineXML(domainXml(`${prefix}-0051`, { group: prefix })).free(); // ours, shut off, defined after the adoption: never a member
    await stepUntil(b, () => serving(b).includes(running));
    const summary = await b.group.stop({ removeVms: true });
    expect(summary.removed.sort()).toEqual([running, warm, `${prefix}-0050`, `${prefix}-0051`].sort());
    expect(summary.left).toEqual([]);
    expect([...domainsOf(prefix).keys()].sort()).toEqual([`${prefix}-0052`, `${prefix}-0053`]);
    expect(b.store.events().some((e) => e.type === "log" && e.message.includes(`${prefix}-0050: removed as the run ends (made through the API)`))).toBe(true);
  });

  test("--keep lists every VM of the group in left, each with its reason", async () => {
    const r = await rig({ min: 1 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const [member] = serving(r);
    await r.vms.create({ name: `${r.prefix}-0040`, role: "api" });
    const summary = await r.group.stop({ removeVms: false });
    expect(summary.left.sort()).toEqual([member!, `${r.prefix}-0040`].sort());
    expect(summary.leftReasons[`${r.prefix}-0040`]).toBe("kept (--keep): made through the API");
    expect(summary.leftReasons[member!]).toMatch(/^kept \(--keep\)/);
    expect(domainsOf(r.prefix).size).toBe(2);
  });

  test("a VM halted by a snapshot stays defined, listed in left with the reason", async () => {
    const r = await rig({ min: 1 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const name = `${r.prefix}-0030`;
    await r.vms.create({ name, role: "serving" });
    await r.vms.shutdown(name);
    writeMark(keeper, name, { state: "halted", kind: "snapshot", by: "cli", pid: 1, host: "elsewhere", since: Date.now(), path: "/snap/x.save" });
    const summary = await r.group.stop({ removeVms: true });
    expect(summary.left).toEqual([name]);
    expect(summary.leftReasons[name]).toMatch(/halted by a snapshot \(\/snap\/x\.save\)/);
    expect([...domainsOf(r.prefix).keys()]).toEqual([name]);
  });
});

describe("scale-in and the scaler's operations", () => {
  test("a VM restored after a halt snapshot and adopted again is not the one scale-in retires", async () => {
    const r = await rig({ min: 1, max: 1 }, { orphanCheckMs: 200 });
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1);
    const [first] = serving(r);
    // Halted by a snapshot (the mark another process's `virtscale snapshot --halt` leaves), then stopped.
    writeMark(keeper, first!, { state: "halted", kind: "snapshot", by: "cli", pid: 1, host: "elsewhere", since: Date.now(), path: "/snap/a.save" });
    await r.vms.shutdown(first!);
    await stepUntil(r, () => !r.group.members().some((m) => m.name === first) && serving(r).length === 1);
    const replacement = serving(r)[0]!;
    expect(replacement).not.toBe(first);
    // The user restores it: it runs again, the halt mark is gone; the orphan sweep adopts it, the group is one over.
    clearMark(keeper, first!);
    await r.vms.start(first!);
    await stepUntil(r, () => r.group.summary.adopted.includes(first!));
    await stepUntil(r, () => serving(r).length === 1 && r.group.members().length === 1, 10_000);
    await r.group.settle();
    expect(serving(r)).toEqual([first!]);
    expect(domainsOf(r.prefix).has(replacement)).toBe(false);
    expect(r.group.summary.left).not.toContain(first);
  });

  test("a retire and a warm-pool save run as operations of the scaler in the registry", async () => {
    const r = await rig({ min: 1, max: 3, source: "warm", warm_pool: 1 });
    const seenAtSave: (string | undefined)[] = [];
    const save = r.vms.managedSave.bind(r.vms);
    r.vms.managedSave = async (name: string) => {
      seenAtSave.push(r.store.operations.get(name)?.kind);
      return save(name);
    };
    await r.group.start();
    await stepUntil(r, () => serving(r).length === 1 && r.group.actuator.warmReady().length === 1);
    expect(seenAtSave).toEqual(["pause"]);
    r.group.scaleBy(1);
    await stepUntil(r, () => serving(r).length === 2);
    await r.group.settle();
    r.group.scaleBy(-1);
    // Taken before the retire's first await: the victim is under the scaler's operation at once.
    const victim = r.group.members().find((m) => m.role === "draining");
    expect(victim).toBeDefined();
    const op = r.store.operations.get(victim!.name);
    expect(op).toMatchObject({ by: "scaler" });
    expect(["shutdown", "pause"]).toContain(op!.kind);
    await r.group.settle();
    expect(r.store.operations.get(victim!.name)).toBeUndefined();
  });

  test("a member under another operation (a dashboard snapshot) is not picked for scale-in", async () => {
    const r = await rig({ min: 1, max: 3 });
    await r.group.start();
    r.group.scaleBy(1);
    await stepUntil(r, () => serving(r).length === 2);
    const [a, b] = serving(r);
    const held = r.store.operations.begin(b!, "snapshot", "dashboard", { mode: "resume" });
    try {
      r.group.scaleBy(-1);
      await r.group.settle();
      expect(serving(r)).toEqual([b!]);
      expect(domainsOf(r.prefix).has(a!)).toBe(false);
    } finally {
      r.store.operations.end(held);
    }
  });
});

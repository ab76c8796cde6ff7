// Source predefined on libvirt's test driver (the fast twin of
// test/testbed/predefined.qemu.test.ts): a PREFIX-NNNN domain that runs before
// the run is a member as it is (not started again), the shut-off ones start in
// name order, and at the end nothing of the prefix is undefined (one with our
// metadata neither), what the run started is shut down, and the one found
// running still runs, listed in summary.left with its reason.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { domainsOf, groupRigs, keepTestDriver, rand6, rigConfig, servingNames, startGroupRig, stepUntil, type GroupRig } from "./testdriver-rig.ts";
import { domainXml, TestDriverVms } from "./testdriver-vms.ts";

const keeper = keepTestDriver();
const rigs = groupRigs<GroupRig>();

describe("source predefined on test:///default", () => {
  setDefaultTimeout(30000);
  test("the running one adopted and left as found; the others started in order, shut down, never undefined", async () => {
    const prefix = `vst-pdt-${rand6()}`;
    const [a, b, c] = ["0000", "0001", "0002"].map((n) => `${prefix}-${n}`) as [string, string, string];
    const vms = new TestDriverVms(prefix);
    // a and b without metadata (the user's), c with our group's (made by an earlier run, say): all predefined here.
    keeper.defineXML(domainXml(a)).free();
    keeper.defineXML(domainXml(b)).free();
    keeper.defineXML(domainXml(c, { group: prefix, role: "serving" })).free();
    // The user started a before the run.
    const d = keeper.lookupByName(a);
    d.create();
    d.free();
    await vms.serve(a);

    const config = rigConfig(prefix, { scaler: { min: 1, max: 3, paused: true, source: "predefined" } });
    const r = await startGroupRig({ prefix, config, vms });
    rigs.push(r);
    await r.group.start();
    expect(r.group.summary.adopted).toEqual([a]);
    expect(r.group.members().map((m) => [m.name, m.kind, m.startedByRun])).toEqual([[a, "predefined", false]]);
    await stepUntil(r, () => servingNames(r).length === 1);
    expect(servingNames(r)).toEqual([a]);
    r.group.scaleBy(1);
    await stepUntil(r, () => servingNames(r).length === 2);
    expect(servingNames(r)).toEqual([a, b]);
    expect(r.group.members().find((m) => m.name === b)?.startedByRun).toBe(true);

    const summary = await r.group.stop({ removeVms: true });
    expect(vms.calls.filter((x) => x.startsWith("start "))).toEqual([`start ${b}`]);
    expect(vms.calls.filter((x) => x.startsWith("destroy "))).toEqual([]);
    expect([...domainsOf(keeper, prefix).entries()].sort()).toEqual([
      [a, true],
      [b, false],
      [c, false],
    ]);
    expect(summary.left).toEqual([a]);
    expect(summary.leftReasons[a]).toMatch(/running before this run/);
    expect(summary.removed).not.toContain(a);
    expect(summary.removed).not.toContain(c);
    expect(r.store.events().filter((e) => e.type === "error")).toEqual([]);
  });

  test("one started outside the run after the last sample listed it shut off: its launch takes it as found (the user's report: 'already running')", async () => {
    const prefix = `vst-pdt-${rand6()}`;
    const [a, b] = ["0000", "0001"].map((n) => `${prefix}-${n}`) as [string, string];
    const vms = new TestDriverVms(prefix);
    keeper.defineXML(domainXml(a)).free();
    keeper.defineXML(domainXml(b)).free();
    const config = rigConfig(prefix, { scaler: { min: 0, max: 2, paused: true, source: "predefined" } });
    const r = await startGroupRig({ prefix, config, vms });
    rigs.push(r);
    await r.group.start(); // its samples list a and b shut off
    const d = keeper.lookupByName(a);
    d.create();
    d.free();
    await vms.serve(a);
    r.group.scaleBy(1); // launches at once, from the domain list of the last sample: a
    await stepUntil(r, () => servingNames(r).length === 1);
    expect(servingNames(r)).toEqual([a]);
    expect(r.group.summary.launches.map((l) => [l.name, l.how, l.error])).toEqual([[a, "predefined", undefined]]);
    expect(r.group.members().find((m) => m.name === a)?.startedByRun).toBe(false);
    const summary = await r.group.stop({ removeVms: true });
    expect(vms.calls.filter((x) => x.startsWith("shutdown ") || x.startsWith("destroy "))).toEqual([]);
    expect([...domainsOf(keeper, prefix).entries()].sort()).toEqual([
      [a, true],
      [b, false],
    ]);
    expect(summary.left).toEqual([a]);
    expect(r.store.events().filter((e) => e.type === "error")).toEqual([]);
  });
});

// The one operation registry (store.operations) and the operation mark in a
// domain's metadata (another process's view), on libvirt's test driver: the
// mark round-trips, leaves the ownership element alone, says when it is stale;
// the snapshot use case registers, marks, refuses a VM another live process
// marked, leaves a halt mark, clears it on restore, and says when the save
// with resume had to stop the VM (the test driver has no external snapshots).
import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { Connection, DomainMetadataType, ErrorNumber, LibvirtError } from "../../ffi/index.ts";
import { toApiError } from "../../src/api/errors.ts";
import { parseConfig } from "../../src/config.ts";
import { BusyError, Store } from "../../src/store.ts";
import { VmManager } from "../../src/vm/manager.ts";
import { METADATA_NS, operationMarkXml, parseOperationMark, type OperationMark } from "../../src/vm/metadata.ts";
import { clearMark, inspectDomain, markStale, readMark, writeMark } from "../../src/vm/operations.ts";
import { restoreSnapshot, saveSnapshot } from "../../src/vm/snapshots.ts";

const prefix = `vst-vmops-${Math.random().toString(36).slice(2, 8)}`;
const snaps = mkdtempSync(join(tmpdir(), `${prefix}-`));
// test:///default's state lives as long as a connection does: one for the whole file.
const keeper = Connection.open("test:///default");
const config = parseConfig({ auto_scaler_domain_prefix: prefix, vm: { port_base: 31600, snapshot_dir: snaps } });
const image = { kernel: "/nonexistent/vmlinuz", initrd: "/nonexistent/initrd", cmdline: "", id: "test-image" };
const vms = new VmManager({ uri: "test:///default", config, image, group: prefix });
afterAll(async () => {
  for (const d of keeper.listAllDomains()) {
    if (d.name().startsWith(prefix)) await vms.destroy(d.name()).catch(() => {});
    d.free();
  }
  await vms.close();
  keeper.close();
  rmSync(snaps, { recursive: true, force: true });
});

describe("the operation registry", () => {
  test("one operation per VM; BusyError names it; labels reach store.state.busy; run ends on failure", async () => {
    let t = 1000;
    const store = new Store({ now: () => t });
    const ops = store.operations;
    const a = ops.begin("vm-a", "snapshot", "dashboard", { mode: "halt" });
    expect(store.state.busy.get("vm-a")).toBe("dashboard: snapshot vm-a");
    expect(ops.busySince).toBe(1000);
    t = 2500;
    let err: unknown;
    try {
      ops.begin("vm-a", "restore", "api");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BusyError);
    expect((err as Error).message).toBe("VM 'vm-a' is busy: snapshot in progress (halt), started by the dashboard 1.5 s ago");
    expect(toApiError(err).status).toBe(409);
    // Another VM is not held by it.
    const b = ops.begin("vm-b", "delete", "api");
    ops.end(a);
    expect(ops.busySince).toBe(1000); // still busy (vm-b) since the first began
    ops.end(b);
    expect(ops.busySince).toBeNull();
    expect(store.state.busy.size).toBe(0);
    // Just ended: a sample taken during it may still be read.
    expect(ops.activeWithin("vm-a", 5000)).toBe(true);
    t += 6000;
    expect(ops.activeWithin("vm-a", 5000)).toBe(false);
    expect(ops.activeWithin("never", 5000)).toBe(false);
    await expect(ops.run("vm-c", "pause", "scaler", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(ops.get("vm-c")).toBeUndefined();
    // Without a probe, inspect knows nothing; a failing probe is nothing too.
    expect(ops.inspect("vm-a")).toBeNull();
    ops.probe = () => {
      throw new Error("libvirt away");
    };
    expect(ops.inspect("vm-a")).toBeNull();
  });
});

describe("the operation mark", () => {
  const mark: OperationMark = { state: "running", kind: "snapshot", by: "cli", mode: "resume", pid: 4242, host: "h1", since: 1763718000000 };

  test("XML round trip; garbage, unknown kinds and missing fields are no mark", () => {
    expect(parseOperationMark(operationMarkXml(mark))).toEqual(mark);
    const halted: OperationMark = { ...mark, state: "halted", mode: "halt", path: "/snaps/a&b \"c\".save" };
    expect(parseOperationMark(operationMarkXml(halted))).toEqual(halted);
    expect(parseOperationMark(null)).toBeNull();
    expect(parseOperationMark("<op state='running' kind='format-disk' by='cli' pid='1' host='h' since='1'/>")).toBeNull();
    expect(parseOperationMark("<op state='running' kind='snapshot' by='cli' host='h' since='1'/>")).toBeNull();
    expect(parseOperationMark("not xml at all <")).toBeNull();
  });

  test("stale when its process is gone (this host only) or past the bound, with the reason", () => {
    const op = { vm: "v", kind: "snapshot" as const, by: "cli" as const, since: 0, label: "", pid: 4242, host: "h1" };
    const alive = () => true;
    const gone = () => false;
    expect(markStale(op, 60_000, { host: "h1", alive })).toBeNull();
    expect(markStale(op, 1000, { host: "h1", alive: gone })).toBe("its snapshot mark names cli pid 4242 on h1, which is gone");
    // A pid on another host is not checked here: only the bound applies.
    expect(markStale(op, 1000, { host: "h2", alive: gone })).toBeNull();
    expect(markStale(op, 130_000, { host: "h2", alive })).toBe("its snapshot by cli pid 4242 on h1 has lasted 130 s, past the 120 s bound");
    expect(markStale(op, 20_000, { host: "h2", boundMs: 10_000 })).toMatch(/past the 10 s bound/);
  });

  test("on a domain: written and read back, cleared, ownership element untouched; a halt mark survives in the config", async () => {
    const vm = await vms.create({ name: `${prefix}-0001` });
    const own = () => keeper.lookupByName(vm.name).getMetadata(DomainMetadataType.ELEMENT, METADATA_NS);
    const before = own();
    writeMark(vms.conn, vm.name, mark);
    expect(readMark(vms.conn, vm.name)).toEqual(mark);
    expect(own()).toBe(before);
    expect(inspectDomain(vms.conn, vm.name)).toMatchObject({ state: "running", mark: { vm: vm.name, kind: "snapshot", by: "cli", pid: 4242, host: "h1" }, halted: null });
    clearMark(vms.conn, vm.name);
    expect(readMark(vms.conn, vm.name)).toBeNull();
    expect(own()).toBe(before);
    // Stopped: the mark lives in the persistent config.
    keeper.lookupByName(vm.name).destroy();
    writeMark(vms.conn, vm.name, { ...mark, state: "halted", path: "/x.save" });
    expect(inspectDomain(vms.conn, vm.name)).toMatchObject({ state: "shutoff", mark: null, halted: { path: "/x.save" } });
    clearMark(vms.conn, vm.name);
    expect(inspectDomain(vms.conn, `${prefix}-none`)).toBeNull();
    await vms.destroy(vm.name);
  });
});

describe("the snapshot use case", () => {
  test("resume on a driver without external snapshots: registered, marked while it runs, and it says the VM was stopped", async () => {
    const store = new Store();
    const vm = await vms.create({ name: `${prefix}-0002` });
    const seen: string[] = [];
    let markDuring: OperationMark | null = null;
    const off = store.subscribe((ev) => {
      if (ev.type !== "snapshot") return;
      seen.push(`${ev.action} ${ev.status} ${ev.by}`);
      if (ev.status === "started") markDuring = readMark(vms.conn, vm.name);
    });
    const busy: string[] = [];
    const offChange = store.onChange(() => busy.push(...store.state.busy.values()));
    const warnings: string[] = [];
    const r = await saveSnapshot({ vms, store, by: "dashboard", onWarning: (m) => warnings.push(m) }, { name: vm.name, resume: true, path: "r.save" });
    off();
    offChange();
    expect(seen).toEqual(["save started dashboard", "save done dashboard"]);
    expect(busy).toContain(`dashboard: snapshot ${vm.name}`);
    expect(markDuring).toMatchObject({ state: "running", kind: "snapshot", by: "dashboard", mode: "resume", pid: process.pid, host: hostname() });
    expect(readMark(vms.conn, vm.name)).toBeNull();
    expect(r.method).toBe("save+restore");
    expect(r.warning).toMatch(/external snapshot was refused \(libvirt: .+\), so it was saved with virDomainSave, which stopped the VM, and restored/);
    expect(warnings).toEqual([r.warning!]);
    const done = store.events().find((e) => e.type === "snapshot" && e.status === "done");
    expect(done).toMatchObject({ method: "save+restore", detail: r.warning });
    expect(vms.get(vm.name).state).toBe("running");
  });

  test("halt leaves a halt mark; restore clears every mark; a VM another live process marked is refused", async () => {
    const store = new Store();
    const name = `${prefix}-0003`;
    await vms.create({ name });
    const r = await saveSnapshot({ vms, store, by: "api" }, { name, resume: false, path: "h.save" });
    expect(r.method).toBe("save");
    expect(r.warning).toBeUndefined();
    expect(inspectDomain(vms.conn, name)).toMatchObject({ state: "shutoff", halted: { path: r.path } });
    const back = await restoreSnapshot({ vms, store, by: "cli" }, { path: "h.save" });
    expect(back).toMatchObject({ name, state: "running" });
    expect(readMark(vms.conn, name)).toBeNull();

    // A live process of this host (not this one) holds a mark: refused, naming it; once it is gone, allowed.
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      writeMark(vms.conn, name, { state: "running", kind: "snapshot", by: "cli", mode: "halt", pid: child.pid!, host: hostname(), since: Date.now() });
      const events: string[] = [];
      store.subscribe((ev) => ev.type === "snapshot" && events.push(`${ev.action} ${ev.status}`));
      const refused = saveSnapshot({ vms, store, by: "dashboard" }, { name, resume: true, path: "x.save" });
      await expect(refused).rejects.toBeInstanceOf(BusyError);
      await expect(refused).rejects.toThrow(`busy: snapshot in progress (halt), started by cli pid ${child.pid} on ${hostname()}`);
      expect(events).toEqual(["save failed"]);
    } finally {
      child.kill("SIGKILL");
      await new Promise((res) => child.once("exit", res));
    }
    const ok = await saveSnapshot({ vms, store, by: "dashboard" }, { name, resume: true, path: "y.save" });
    expect(ok.path).toBe(join(snaps, "y.save"));
    expect(readMark(vms.conn, name)).toBeNull();
    await vms.destroy(name);
  });

  test("a stopped VM is a conflict before anything is written; an unknown one fails with libvirt's error", async () => {
    const name = `${prefix}-0004`;
    await vms.create({ name });
    keeper.lookupByName(name).destroy();
    await expect(saveSnapshot({ vms, by: "cli" }, { name, resume: true, path: "s.save" })).rejects.toThrow(`VM '${name}' is shutoff: only a running or paused VM can be snapshotted`);
    const e = await saveSnapshot({ vms, by: "cli" }, { name: `${prefix}-none`, resume: true }).catch((x) => x);
    expect(e).toBeInstanceOf(LibvirtError);
    expect((e as LibvirtError).code).toBe(ErrorNumber.NO_DOMAIN);
    await vms.destroy(name);
  });
});

describe("storage errors", () => {
  test("ENOSPC from libvirt or the system is a 507 with the message", () => {
    const lv = new LibvirtError({ code: ErrorNumber.SYSTEM_ERROR, domain: 10, level: 2, func: "virDomainSaveFlags", message: "Unable to write to '/snaps/a.save': No space left on device" });
    const a = toApiError(lv);
    expect(a.status).toBe(507);
    expect(a.description).toContain("No space left on device");
    // Across the worker boundary it is plain fields.
    expect(toApiError({ ...lv.toFields(), name: "LibvirtError" }).status).toBe(507);
    const sys = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    expect(toApiError(sys)).toMatchObject({ status: 507, description: "no space left: ENOSPC: no space left on device, write" });
    expect(toApiError(new LibvirtError({ code: ErrorNumber.SYSTEM_ERROR, domain: 10, level: 2, func: "f", message: "Broken pipe" })).status).toBe(500);
  });
});

describe("a run that is ending", () => {
  test("a create or restore refused because the run ends is a 503 (going away), not a 500", async () => {
    const { RunEndingError } = await import("../../src/scaler/owned-vms.ts");
    const e = toApiError(new RunEndingError("cannot create a VM: the run of group 'g' is ending (its VMs are being removed)"));
    expect(e.status).toBe(503);
    expect(e.description).toContain("is ending");
  });
});

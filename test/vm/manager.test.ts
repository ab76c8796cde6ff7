// VmManager on libvirt's test driver (test:///default, no daemon): names,
// ports, metadata ownership read back with virDomainGetMetadata, save/restore
// with path confinement, managed save, destroy; the store commands.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config.ts";
import { VmManager } from "../../src/vm/manager.ts";
import { registerVmCommands } from "../../src/vm/commands.ts";
import { Store } from "../../src/store.ts";
import { Connection } from "../../ffi/index.ts";

const rand = Math.random().toString(36).slice(2, 8);
const prefix = `vst-vm-${rand}`;
const snaps = mkdtempSync(join(tmpdir(), "vst-vm-snaps-"));
const config = parseConfig({ auto_scaler_domain_prefix: prefix, vm: { port_base: 31300, snapshot_dir: snaps } });
const image = { kernel: "/nonexistent/vmlinuz", initrd: "/nonexistent/initrd.img", cmdline: "console=ttyS0", id: "0123456789abcdef" };
const vms = new VmManager({ uri: "test:///default", config, image });

afterAll(async () => {
  for (const vm of vms.listOwned()) if (vm.name.startsWith(prefix)) await vms.destroy(vm.name);
  await vms.close();
  rmSync(snaps, { recursive: true, force: true });
});

describe("VmManager on test:///default", () => {
  test("create: prefix-NNNN names, distinct ports from port_base, metadata readable, address on loopback", async () => {
    const a = await vms.create();
    const b = await vms.create({ role: "warm" });
    expect(a.name).toBe(`${prefix}-0001`);
    expect(b.name).toBe(`${prefix}-0002`);
    expect(a.port).toBeGreaterThanOrEqual(31300);
    expect(b.port).not.toBe(a.port);
    expect(a.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const owned = vms.listOwned().filter((v) => v.group === prefix).sort((x, y) => x.name.localeCompare(y.name));
    expect(owned.map((v) => [v.name, v.role, v.port, v.state])).toEqual([
      [a.name, "serving", a.port, "running"],
      [b.name, "warm", b.port, "running"],
    ]);
    expect(vms.addressOf(a.name)).toEqual({ host: "127.0.0.1", port: a.port });
    expect(vms.addressOf("no-such-domain")).toBeNull();
    // The ownership mark, as libvirt stores it.
    using conn = Connection.open("test:///default");
    using d = conn.lookupByName(a.name);
    expect(d.xmlDesc()).toContain("https://virtscale.dev/xmlns/vm/1");
    // The predefined 'test' domain is not ours.
    expect(vms.listOwned().some((v) => v.name === "test")).toBe(false);
    expect(() => vms.get("test")).toThrow(/not managed by virtscale/);
  });

  test("concurrent creates get distinct names and ports", async () => {
    const made = await Promise.all([vms.create(), vms.create(), vms.create()]);
    try {
      expect(new Set(made.map((v) => v.name)).size).toBe(3);
      expect(new Set(made.map((v) => v.port)).size).toBe(3);
    } finally {
      for (const v of made) await vms.destroy(v.name);
    }
  });

  test("an explicit name that exists is refused", async () => {
    await expect(vms.create({ name: `${prefix}-0001` })).rejects.toThrow(/already exists/);
  });

  test("save (halt) + restore keep the identity; paths stay in the snapshot directory", async () => {
    const name = `${prefix}-0001`;
    const uuid = vms.get(name).uuid;
    const r = await vms.save(name, "one.save", { resume: false });
    expect(r.path).toBe(join(snaps, "one.save"));
    expect(r.bytes).toBeGreaterThan(0);
    expect(vms.get(name).state).toBe("shutoff");
    expect(readdirSync(snaps)).toEqual(["one.save"]);
    const back = await vms.restore("one.save");
    expect(back).toMatchObject({ name, uuid, state: "running", group: prefix });
    await expect(vms.save(name, "../escape.save", { resume: true })).rejects.toThrow(/outside the snapshot directory/);
    await expect(vms.restore("/etc/passwd")).rejects.toThrow(/outside/);
    await expect(vms.restore("missing.save")).rejects.toThrow(/no snapshot file 'missing.save'/);
  });

  test("save with resume leaves it running", async () => {
    const name = `${prefix}-0002`;
    await vms.save(name, "two.save", { resume: true });
    expect(vms.get(name).state).toBe("running");
  });

  test("managed save shows as saved, start resumes it", async () => {
    const name = `${prefix}-0002`;
    await vms.managedSave(name);
    expect(vms.get(name).state).toBe("saved");
    await vms.start(name);
    expect(vms.get(name).state).toBe("running");
  });

  test("suspend / resume (the hot pool) and setRole: the metadata role is rewritten, the rest of the mark kept", async () => {
    const vm = await vms.create({ role: "hot" });
    try {
      await vms.suspend(vm.name);
      expect(vms.get(vm.name).state).toBe("paused");
      vms.setRole(vm.name, "serving");
      const after = vms.listOwned().find((v) => v.name === vm.name)!;
      expect([after.role, after.port, after.group, after.template]).toEqual(["serving", vm.port, prefix, image.id]);
      await vms.resume(vm.name);
      expect(vms.get(vm.name).state).toBe("running");
      expect(() => vms.setRole("test", "serving")).toThrow(/not managed by virtscale/);
    } finally {
      await vms.destroy(vm.name);
    }
  });

  test("waitServing ends at once with its signal's reason (a cancelled launch), before the domain's removal says 'no such domain'", async () => {
    const vm = await vms.create();
    const stop = new AbortController();
    const t0 = performance.now();
    const wait = vms.waitServing(vm.name, 10_000, { signal: stop.signal });
    setTimeout(() => {
      stop.abort(new Error("cancelled by the test"));
      void vms.destroy(vm.name);
    }, 100);
    await expect(wait).rejects.toThrow("cancelled by the test");
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  test("store commands: snapshot NAME halt PATH, restore PATH, with events; bad args are errors", async () => {
    const store = new Store();
    registerVmCommands(store, vms);
    const events: string[] = [];
    store.subscribe((e) => {
      if (e.type === "snapshot") events.push(`${e.action}:${e.status}`);
    });
    const name = `${prefix}-0001`;
    const r = (await store.run("snapshot", [name, "halt", "cmd.save"])) as { path: string };
    expect(r.path).toBe(join(snaps, "cmd.save"));
    expect(vms.get(name).state).toBe("shutoff");
    await store.run("restore", ["cmd.save"]);
    expect(vms.get(name).state).toBe("running");
    expect(events).toEqual(["save:started", "save:done", "restore:started", "restore:done"]);
    expect(store.events().some((e) => e.type === "log" && /guests run under test \(libvirt test driver\)/.test(e.message))).toBe(true);
    await expect(store.run("snapshot", [name, "sideways"])).rejects.toThrow(/expected resume or halt/);
    await expect(store.run("restore", [])).rejects.toThrow(/usage/);
    await expect(store.run("restore", ["../../etc/shadow"])).rejects.toThrow(/outside the snapshot directory/);
    expect(store.state.busy.size).toBe(0);
  });

  test("destroy removes domain and managed-save image; unknown names are fine", async () => {
    const name = `${prefix}-0002`;
    await vms.managedSave(name);
    await vms.destroy(name);
    expect(vms.listOwned().some((v) => v.name === name)).toBe(false);
    await vms.destroy(name);
  });

  test("shutdown of a running VM ends with it stopped", async () => {
    const name = `${prefix}-0001`;
    await vms.shutdown(name, { timeoutMs: 1000 });
    expect(vms.get(name).state).toBe("shutoff");
  });
});

describe("waitServing fails fast", () => {
  test("for a missing domain and for a stopped one", async () => {
    await expect(vms.waitServing("vst-vm-no-such-domain", 5000)).rejects.toThrow(/no such domain/);
    const vm = await vms.create();
    try {
      await vms.save(vm.name, "stopped.save", { resume: false });
      // The state check, not the 30 s probe timeout, ends the wait (the message says which).
      await expect(vms.waitServing(vm.name, 30_000)).rejects.toThrow(/is shutoff, not running/);
    } finally {
      await vms.destroy(vm.name);
    }
  });
});

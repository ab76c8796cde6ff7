// AsyncConnection on test:///default: every operation round-trips through the
// worker, errors come back as LibvirtError with libvirt's fields.
import { describe, expect, test } from "bun:test";
import { AsyncConnection, Connection, DomainState, LibvirtError } from "../../ffi/index.ts";
import { PREFIX, tinyDomainXml } from "./helpers.ts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("AsyncConnection", () => {
  test("define, start, suspend, resume, save, restore, managed save, shutdown, destroy, undefine", async () => {
    // test:///default is one shared in-process driver: the worker's connection and
    // this thread's connection see the same domains.
    using c = Connection.open("test:///default");
    await using ac = await AsyncConnection.open("test:///default");
    expect(ac.uri).toBe("test:///default");
    const name = `${PREFIX}async`;
    const dir = mkdtempSync(join(tmpdir(), `${PREFIX}async-`));
    try {
      const def = await ac.defineXML(tinyDomainXml(name));
      expect(def.name).toBe(name);
      expect(def.uuid).toMatch(/^[0-9a-f-]{36}$/);
      using d = c.lookupByName(name);
      await ac.start(name);
      expect(d.state().state).toBe(DomainState.RUNNING);
      await ac.suspend(def.uuid); // by UUID works too
      expect(d.state().state).toBe(DomainState.PAUSED);
      await ac.resume(name);
      const path = join(dir, "a.save");
      await ac.save(name, path);
      expect(d.isActive()).toBe(false);
      await ac.restore(path);
      expect(d.isActive()).toBe(true);
      await ac.managedSave(name);
      expect(d.hasManagedSaveImage()).toBe(true);
      await ac.start(name);
      expect(d.hasManagedSaveImage()).toBe(false);
      await ac.shutdown(name);
      expect(d.isActive()).toBe(false);
      await ac.start(name);
      await ac.destroy(name);
      await ac.undefine(name);
      expect(() => c.lookupByName(name)).toThrow(LibvirtError);
      const t = await ac.createXML(tinyDomainXml(`${name}-t`));
      expect(t.id).toBeGreaterThan(0);
      await ac.destroy(t.name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      for (const n of [name, `${name}-t`]) {
        try {
          using d = c.lookupByName(n);
          if (d.isActive()) d.destroy();
          if (d.isPersistent()) d.undefine(1);
        } catch {}
      }
    }
  }, 120_000);

  test("errors arrive as LibvirtError with libvirt's fields; bad arguments as plain errors", async () => {
    await using ac = await AsyncConnection.open("test:///default");
    const err = await ac.destroy(`${PREFIX}missing`).catch((e) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err.code).toBe(42);
    expect(err.codeName).toBe("VIR_ERR_NO_DOMAIN");
    expect(err.domainName).toBe("VIR_FROM_TEST");
    expect(err.libvirtMessage).toBe("Domain not found");
    const bad = await ac.defineXML("<domain").catch((e) => e);
    expect(bad.codeName).toBe("VIR_ERR_XML_DETAIL");
    const e2 = await ac.start("").catch((e) => e);
    expect(e2).not.toBeInstanceOf(LibvirtError);
    expect(e2.message).toContain("domain name or UUID expected");
  }, 120_000);

  test("open of a bad URI rejects with LibvirtError; closed connection rejects", async () => {
    const err = await AsyncConnection.open("nosuchdriver:///").catch((e) => e);
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err.func).toBe("virConnectOpen");
    const ac = await AsyncConnection.open("test:///default");
    await ac.close();
    await ac.close();
    await expect(ac.suspend("test")).rejects.toThrow(/closed/);
  }, 120_000);

  test("requests are answered in order while the caller keeps running", async () => {
    await using ac = await AsyncConnection.open("test:///default");
    const done: number[] = [];
    const calls = Array.from({ length: 50 }, (_, i) => (i % 2 ? ac.resume("test") : ac.suspend("test")).then(() => done.push(i)));
    await Promise.all(calls);
    expect(done).toEqual(Array.from({ length: 50 }, (_, i) => i));
  }, 120_000);
});

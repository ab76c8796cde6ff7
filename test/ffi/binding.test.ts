// The binding against libvirt's in-process mock driver (test:///default): every
// wrapper, error paths, ownership rules. Each test opens its own connection, so
// each sees a fresh test:///default (the driver's state is per connection).
import { describe, expect, test } from "bun:test";
import {
  Connection, Domain, DomainState, DomainMetadataType, DomainStatsTypes, ErrorNumber, ErrorDomain,
  LibvirtError, UseAfterFreeError, DomainUndefineFlags, DomainSnapshotCreateFlags, ConnectListAllDomainsFlags,
  domainStateName, DomainInterfaceAddressesSource,
} from "../../ffi/index.ts";
import { PREFIX, tinyDomainXml } from "./helpers.ts";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const open = () => Connection.open("test:///default");

describe("connection", () => {
  test("open reports uri, versions, host facts", () => {
    using c = open();
    expect(c.uri).toBe("test:///default");
    expect(c.libVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(c.hypervisorVersion()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(c.hypervisorType()).toBe("TEST");
    expect(c.hostname().length).toBeGreaterThan(0);
    const n = c.nodeInfo();
    expect(n.cpus).toBe(16);
    expect(n.model).toBe("i686");
    expect(n.memoryKiB).toBe(3145728);
    expect(c.capabilities()).toContain("<capabilities>");
    expect(c.isAlive()).toBe(true);
  });

  test("open of a bad URI raises libvirt's error", () => {
    let err: unknown;
    try {
      Connection.open("nosuchdriver:///x");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LibvirtError);
    const e = err as LibvirtError;
    expect(e.func).toBe("virConnectOpen");
    expect(e.codeName).toMatch(/^VIR_ERR_/);
    expect(e.libvirtMessage.length).toBeGreaterThan(0);
  });

  test("readOnly connection refuses writes", () => {
    using c = Connection.open("test:///default", { readOnly: true });
    using d = c.lookupByName("test");
    expect(() => d.suspend()).toThrow(LibvirtError);
  });

  test("close is idempotent; use after close throws a JS error", () => {
    const c = open();
    c.close();
    c.close();
    expect(c.closed).toBe(true);
    expect(() => c.libVersion()).toThrow(UseAfterFreeError);
    expect(() => c.libVersion()).toThrow(/Connection 'test:\/\/\/default' was already closed/);
  });

  test("a Domain keeps working after its Connection is closed (libvirt refcount)", () => {
    const c = open();
    const d = c.lookupByName("test");
    c.close();
    expect(d.name()).toBe("test");
    expect(d.info().state).toBe(DomainState.RUNNING);
    d.free();
  });

  test("onClose poller stays quiet on a live connection and stops on unsubscribe", async () => {
    using c = open();
    let fired = 0;
    const stop = c.onClose(() => fired++, 10);
    await new Promise((r) => setTimeout(r, 60));
    stop();
    expect(fired).toBe(0);
  });
});

describe("domains", () => {
  test("list, lookup by name / UUID / id", () => {
    using c = open();
    const all = c.listAllDomains();
    expect(all.map((d) => d.name())).toEqual(["test"]);
    const uuid = all[0]!.uuidString();
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(all[0]!.uuid()).toBe(uuid);
    const id = all[0]!.id();
    for (const d of all) d.free();
    using byUuid = c.lookupByUUIDString(uuid);
    using byId = c.lookupById(id);
    expect(byUuid.name()).toBe("test");
    expect(byId.uuidString()).toBe(uuid);
    const active = c.listAllDomains(ConnectListAllDomainsFlags.ACTIVE);
    expect(active.length).toBe(1);
    active.forEach((d) => d.free());
    expect(c.listAllDomains(ConnectListAllDomainsFlags.INACTIVE).length).toBe(0);
  });

  test("lookup of a missing domain: LibvirtError 42 VIR_ERR_NO_DOMAIN with libvirt's message", () => {
    using c = open();
    let err: any;
    try {
      c.lookupByName(`${PREFIX}missing`);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err.code).toBe(42);
    expect(err.code).toBe(ErrorNumber.NO_DOMAIN);
    expect(err.codeName).toBe("VIR_ERR_NO_DOMAIN");
    expect(err.domain).toBe(ErrorDomain.TEST);
    expect(err.domainName).toBe("VIR_FROM_TEST");
    expect(err.level).toBe(2);
    expect(err.func).toBe("virDomainLookupByName");
    expect(err.libvirtMessage).toBe("Domain not found");
    expect(() => c.lookupById(9999)).toThrow(/Domain not found/);
    expect(() => c.lookupByUUIDString("00000000-0000-0000-0000-000000000000")).toThrow(LibvirtError);
  });

  test("define from bad XML raises an XML error", () => {
    using c = open();
    let err: any;
    try {
      c.defineXML("<domain type='test'><name>x</name");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LibvirtError);
    expect(err.codeName).toBe("VIR_ERR_XML_DETAIL");
    expect(err.func).toBe("virDomainDefineXML");
    expect(() => c.defineXML("<domain type='test'><memory>1</memory></domain>")).toThrow(LibvirtError);
  });

  test("define, start, suspend, resume, shutdown, destroy, undefine", () => {
    using c = open();
    const name = `${PREFIX}life`;
    using d = c.defineXML(tinyDomainXml(name, { vcpus: 2, memMiB: 128 }));
    expect(d.name()).toBe(name);
    expect(d.isPersistent()).toBe(true);
    expect(d.isActive()).toBe(false);
    expect(d.id()).toBe(-1);
    expect(d.state().state).toBe(DomainState.SHUTOFF);
    expect(domainStateName(d.state().state)).toBe("shutoff");
    d.create();
    expect(d.isActive()).toBe(true);
    expect(d.id()).toBeGreaterThan(0);
    const info = d.info();
    expect(info).toMatchObject({ state: DomainState.RUNNING, nrVirtCpu: 2, maxMemKiB: 131072 });
    expect(typeof info.cpuTimeNs).toBe("bigint");
    d.suspend();
    expect(d.state().state).toBe(DomainState.PAUSED);
    expect(domainStateName(d.state().state)).toBe("paused");
    d.resume();
    expect(d.state().state).toBe(DomainState.RUNNING);
    d.shutdown();
    expect(d.state().state).toBe(DomainState.SHUTOFF);
    d.create();
    d.destroy();
    expect(d.isActive()).toBe(false);
    expect(d.xmlDesc()).toContain(`<name>${name}</name>`);
    d.undefine(DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA);
    expect(() => c.lookupByName(name)).toThrow(LibvirtError);
  });

  test("createXML starts a transient domain", () => {
    using c = open();
    using d = c.createXML(tinyDomainXml(`${PREFIX}transient`));
    expect(d.isActive()).toBe(true);
    expect(d.isPersistent()).toBe(false);
    d.destroy();
    expect(() => c.lookupByName(`${PREFIX}transient`)).toThrow(/Domain not found/);
  });

  test("operation invalid in the current state gives libvirt's code", () => {
    using c = open();
    using d = c.defineXML(tinyDomainXml(`${PREFIX}inactive`));
    let err: any;
    try {
      d.suspend();
    } catch (e) {
      err = e;
    }
    // the test driver reports this one as an internal error, with the reason in the message
    expect(err.codeName).toBe("VIR_ERR_INTERNAL_ERROR");
    expect(err.libvirtMessage).toBe(`internal error: domain '${PREFIX}inactive' not running`);
    d.undefine();
  });
});

describe("metadata", () => {
  test("set/get round trip for description, title and an element in our namespace", () => {
    using c = open();
    using d = c.lookupByName("test");
    expect(d.getMetadata(DomainMetadataType.DESCRIPTION)).toBeNull();
    d.setMetadata(DomainMetadataType.DESCRIPTION, "a description ✓", null, null);
    expect(d.getMetadata(DomainMetadataType.DESCRIPTION)).toBe("a description ✓");
    d.setMetadata(DomainMetadataType.TITLE, "title", null, null);
    expect(d.getMetadata(DomainMetadataType.TITLE)).toBe("title");
    const ns = "https://virtscale.dev/xmlns/vm/1";
    expect(d.getMetadata(DomainMetadataType.ELEMENT, ns)).toBeNull();
    d.setMetadata(DomainMetadataType.ELEMENT, `<vm group="g1" role="server" port="31001"/>`, "virtscale", ns);
    const got = d.getMetadata(DomainMetadataType.ELEMENT, ns)!;
    expect(got).toContain(`group="g1"`);
    expect(got).toContain(`port="31001"`);
    expect(d.xmlDesc()).toContain(ns);
    d.setMetadata(DomainMetadataType.ELEMENT, null, null, ns);
    expect(d.getMetadata(DomainMetadataType.ELEMENT, ns)).toBeNull();
    // test:///default is shared by every connection in this process: leave it as found
    d.setMetadata(DomainMetadataType.DESCRIPTION, null, null, null);
    d.setMetadata(DomainMetadataType.TITLE, null, null, null);
    expect(d.getMetadata(DomainMetadataType.TITLE)).toBeNull();
  });

  test("bad metadata XML is a LibvirtError", () => {
    using c = open();
    using d = c.lookupByName("test");
    expect(() => d.setMetadata(DomainMetadataType.ELEMENT, "<unclosed", "v", "https://x/y")).toThrow(LibvirtError);
  });
});

describe("save / restore / managed save", () => {
  test("save to a file, read its XML, restore", () => {
    const dir = mkdtempSync(join(tmpdir(), `${PREFIX}save-`));
    try {
      using c = open();
      using d = c.defineXML(tinyDomainXml(`${PREFIX}save`));
      d.create();
      const path = join(dir, "test.save");
      d.save(path);
      expect(d.isActive()).toBe(false);
      expect(existsSync(path)).toBe(true);
      expect(statSync(path).size).toBeGreaterThan(0);
      expect(c.saveImageGetXMLDesc(path)).toContain(`<name>${PREFIX}save</name>`);
      c.restore(path);
      expect(d.isActive()).toBe(true);
      expect(() => c.restore(join(dir, "missing.save"))).toThrow(LibvirtError);
      d.destroy();
      d.undefine();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("managed save, has/remove, start resumes", () => {
    using c = open();
    using d = c.defineXML(tinyDomainXml(`${PREFIX}msave`));
    d.create();
    expect(d.hasManagedSaveImage()).toBe(false);
    d.managedSave();
    expect(d.hasManagedSaveImage()).toBe(true);
    expect(d.isActive()).toBe(false);
    d.managedSaveRemove();
    expect(d.hasManagedSaveImage()).toBe(false);
    d.create();
    d.managedSave();
    d.create();
    expect(d.isActive()).toBe(true);
    expect(d.hasManagedSaveImage()).toBe(false);
    d.destroy();
    d.undefine(DomainUndefineFlags.MANAGED_SAVE);
  });
});

describe("snapshots", () => {
  test("create with memory, list, lookup, revert, delete", () => {
    using c = open();
    using d = c.defineXML(tinyDomainXml(`${PREFIX}snap`));
    d.create();
    using s1 = d.snapshotCreateXML(`<domainsnapshot><name>${PREFIX}s1</name><memory snapshot='internal'/></domainsnapshot>`);
    expect(s1.name()).toBe(`${PREFIX}s1`);
    expect(s1.xmlDesc()).toContain(`<name>${PREFIX}s1</name>`);
    expect(s1.isCurrent()).toBe(true);
    d.suspend();
    using s2 = d.snapshotCreateXML(`<domainsnapshot><name>${PREFIX}s2</name></domainsnapshot>`, DomainSnapshotCreateFlags.ATOMIC);
    const list = d.listAllSnapshots();
    expect(list.map((s) => s.name()).sort()).toEqual([`${PREFIX}s1`, `${PREFIX}s2`]);
    list.forEach((s) => s.free());
    using again = d.snapshotLookupByName(`${PREFIX}s1`);
    again.revert();
    expect(d.state().state).toBe(DomainState.RUNNING);
    s2.delete();
    expect(() => d.snapshotLookupByName(`${PREFIX}s2`)).toThrow(/snapshot/i);
    s1.delete();
    expect(d.listAllSnapshots().length).toBe(0);
    expect(d.hasCurrentSnapshot()).toBe(false);
    d.destroy();
    d.undefine(DomainUndefineFlags.SNAPSHOTS_METADATA);
  });
});

describe("interface addresses", () => {
  test("test driver answers LEASE with its fake addresses, and unknown sources fail cleanly", () => {
    using c = open();
    using d = c.defineXML(tinyDomainXml(`${PREFIX}ifaddr`, { extra: "<devices><interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/></interface></devices>" }));
    expect(() => d.interfaceAddresses(DomainInterfaceAddressesSource.LEASE)).toThrow(/not running/);
    d.create();
    const ifaces = d.interfaceAddresses(DomainInterfaceAddressesSource.LEASE);
    // the mock driver invents one lease per NIC (no traffic involved)
    expect(ifaces.length).toBe(1);
    expect(ifaces[0]!.hwaddr).toBe("52:54:00:aa:bb:cc");
    expect(ifaces[0]!.addrs[0]).toMatchObject({ type: "ipv4", prefix: 24 });
    for (const i of ifaces) {
      expect(typeof i.name).toBe("string");
      for (const a of i.addrs) {
        expect(["ipv4", "ipv6"]).toContain(a.type);
        expect(a.addr.length).toBeGreaterThan(0);
      }
    }
    expect(() => d.interfaceAddresses(99)).toThrow(LibvirtError);
    d.destroy();
    d.undefine();
  });
});

describe("ownership", () => {
  test("double free is a no-op; use after free throws a JS error", () => {
    using c = open();
    const d = c.lookupByName("test");
    expect(d.name()).toBe("test");
    d.free();
    d.free();
    d[Symbol.dispose]();
    expect(d.released).toBe(true);
    expect(() => d.info()).toThrow(UseAfterFreeError);
    expect(() => d.info()).toThrow("Domain 'test' was already freed");
    expect(() => c.domainListGetStats([d], DomainStatsTypes.STATE)).toThrow(UseAfterFreeError);
  });

  test("`using` frees at scope end", () => {
    using c = open();
    let leaked: Domain;
    {
      using d = c.lookupByName("test");
      leaked = d;
    }
    expect(leaked.released).toBe(true);
  });

  test("snapshot use after free", () => {
    using c = open();
    using d = c.defineXML(tinyDomainXml(`${PREFIX}uaf`));
    const s = d.snapshotCreateXML(`<domainsnapshot><name>${PREFIX}uaf</name></domainsnapshot>`);
    s.delete();
    s.free();
    s.free();
    expect(() => s.name()).toThrow(UseAfterFreeError);
    d.undefine();
  });
});

describe("symbols", () => {
  test("a function this libvirt lacks is a LibvirtSymbolError when called, not a load failure", async () => {
    const { bindSymbol } = await import("../../ffi/lib.ts");
    const { LibvirtSymbolError } = await import("../../ffi/errors.ts");
    const f = bindSymbol("virVstFfiNoSuchFunction", { args: ["ptr"], returns: "i32" });
    expect(() => f(null)).toThrow(LibvirtSymbolError);
    expect(() => f(null)).toThrow("symbol virVstFfiNoSuchFunction not in this libvirt");
    const real = bindSymbol("virGetVersion", { args: ["buf", "buf", "buf"], returns: "i32" });
    const v = new BigUint64Array(1);
    expect(real(v, null, null)).toBe(0);
    expect(v[0]!).toBeGreaterThan(1_000_000n); // major*1e6 + minor*1e3 + release
  });

  test("lazySymbols binds each symbol on first access only; a bind that throws is retried on the next access", async () => {
    const { lazySymbols } = await import("../../ffi/runtime/index.ts");
    const bound: string[] = [];
    let absent = true;
    const t = lazySymbols<{ a(): number; bb(): number }>({ a: { args: [], returns: "i32" }, bb: { args: [], returns: "i32" } }, (name) => {
      bound.push(name);
      if (name === "bb" && absent) throw new Error("bb absent");
      return () => name.length;
    });
    expect(Object.keys(t)).toEqual(["a", "bb"]);
    expect(bound).toEqual([]);
    expect(t.a()).toBe(1);
    expect(t.a()).toBe(1);
    expect(bound).toEqual(["a"]);
    expect(() => t.bb).toThrow("bb absent");
    absent = false;
    expect(t.bb()).toBe(2);
    expect(t.bb()).toBe(2);
    expect(bound).toEqual(["a", "bb", "bb"]);
  });

  test("generated tables: enums match libvirt's values, skipped functions are listed with reasons", async () => {
    const { SYMBOLS, SKIPPED } = await import("../../ffi/generated/symbols.ts");
    expect(SYMBOLS.virDomainGetInfo.args).toEqual(["ptr", "buf"]);
    expect(SYMBOLS.virConnectGetAllDomainStats.returns).toBe("i32");
    expect(SKIPPED.some((s) => s.startsWith("virEventRegisterImpl:"))).toBe(true);
    // The event loop's callbacks are bound (ffi/event-loop.ts registers them on its own thread).
    expect(SYMBOLS.virConnectRegisterCloseCallback.args).toEqual(["ptr", "ptr", "ptr", "ptr"]);
    expect(SYMBOLS.virConnectDomainEventRegisterAny.args).toEqual(["ptr", "ptr", "i32", "ptr", "ptr", "ptr"]);
    expect(DomainState).toMatchObject({ NOSTATE: 0, RUNNING: 1, BLOCKED: 2, PAUSED: 3, SHUTDOWN: 4, SHUTOFF: 5, CRASHED: 6, PMSUSPENDED: 7 });
    expect(ErrorNumber.NO_DOMAIN_METADATA).toBe(80);
    expect(DomainStatsTypes).toMatchObject({ STATE: 1, CPU_TOTAL: 2, BALLOON: 4, VCPU: 8 });
    expect(DomainUndefineFlags).toMatchObject({ MANAGED_SAVE: 1, SNAPSHOTS_METADATA: 2, NVRAM: 4 });
    expect(DomainMetadataType).toMatchObject({ DESCRIPTION: 0, TITLE: 1, ELEMENT: 2 });
  });
});

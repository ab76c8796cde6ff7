// ConnectionKeeper (reopen after a loss, with backoff) and the loss test it
// relies on, with failures injected into real test:///default connections;
// and AsyncConnection's periodic reads on its worker (cpuStats, listDomains).
import { describe, expect, test } from "bun:test";
import { AsyncConnection, Connection, ConnectionKeeper, DomainMetadataType, LibvirtError, isConnectionLost, isUnsent } from "../../ffi/index.ts";
import { PREFIX, tinyDomainXml } from "./helpers.ts";

const rpc = (message: string, code = 38) => new LibvirtError({ code, domain: 7 /* VIR_FROM_RPC */, level: 2, message, func: "virConnectListAllDomains" });

describe("isConnectionLost / isUnsent", () => {
  test("the client's transport failures, not a call's own", () => {
    expect(isConnectionLost(rpc("Cannot write data: Broken pipe"))).toBe(true);
    expect(isUnsent(rpc("Cannot write data: Broken pipe"))).toBe(true);
    expect(isConnectionLost(rpc("internal error: client socket is closed", 1))).toBe(true);
    expect(isUnsent(rpc("internal error: client socket is closed", 1))).toBe(true);
    // Read failed: the daemon may have run the call before it went away.
    expect(isConnectionLost(rpc("End of file while reading data: Input/output error"))).toBe(true);
    expect(isUnsent(rpc("End of file while reading data: Input/output error"))).toBe(false);
    expect(isConnectionLost(new LibvirtError({ code: 42, domain: 10, level: 2, message: "Domain not found", func: "virDomainLookupByName" }))).toBe(false);
    expect(isConnectionLost(new Error("Broken pipe"))).toBe(false);
  });
});

describe("ConnectionKeeper", () => {
  test("a call that finds the connection lost reopens and runs again (reads); the daemon's restart is not seen", () => {
    let opens = 0;
    const k = new ConnectionKeeper("test:///default", { open: (u) => (opens++, Connection.open(u)) });
    let failNext = true;
    const names = k.run((c) => {
      if (failNext) {
        failNext = false;
        throw rpc("End of file while reading data: Input/output error");
      }
      return c.listAllDomains().map((d) => (d.free(), "x")).length;
    }, "always");
    expect(names).toBeGreaterThanOrEqual(1);
    expect(opens).toBe(2);
    expect(k.reopens).toBe(1);
    k.close();
  });

  test("a call that may have reached the daemon is not run twice by default; one that never left is", () => {
    const k = new ConnectionKeeper("test:///default");
    let runs = 0;
    expect(() =>
      k.run(() => {
        runs++;
        throw rpc("End of file while reading data: Input/output error");
      }),
    ).toThrow(/End of file/);
    expect(runs).toBe(1);
    runs = 0;
    const v = k.run(() => {
      if (runs++ === 0) throw rpc("Cannot write data: Broken pipe");
      return "sent once";
    });
    expect(v).toBe("sent once");
    expect(runs).toBe(2);
    // A call's own failure passes through and keeps the connection.
    const before = k.current;
    expect(() => k.run((c) => c.lookupByName(`${PREFIX}missing`))).toThrow(/Domain not found/);
    expect(k.current).toBe(before);
    k.close();
  });

  test("while libvirt is down: the open's error at once inside the backoff window, then one attempt per window (doubling, capped)", () => {
    let t = 0;
    let down = true;
    let opens = 0;
    const k = new ConnectionKeeper("test:///default", {
      now: () => t,
      backoff: { initialMs: 100, maxMs: 400 },
      open: (u) => {
        opens++;
        if (down) throw rpc("Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused");
        return Connection.open(u);
      },
    });
    expect(() => k.get()).toThrow(/Connection refused/);
    expect(opens).toBe(1);
    t = 50;
    expect(() => k.get()).toThrow(/Connection refused/);
    expect(opens).toBe(1); // inside the window: no attempt
    t = 100;
    expect(() => k.get()).toThrow();
    expect(opens).toBe(2); // next window 200 ms
    t = 250;
    expect(() => k.get()).toThrow();
    expect(opens).toBe(2);
    t = 300;
    expect(() => k.get()).toThrow();
    expect(opens).toBe(3); // next 400 (cap)
    down = false;
    t = 700;
    const c = k.get();
    expect(c.isAlive()).toBe(true);
    expect(k.get()).toBe(c);
    k.close();
    expect(() => k.get()).toThrow(/closed/);
  });
});

describe("AsyncConnection reads on the worker", () => {
  test("cpuStats: every domain, the named ones completed by virDomainGetInfo; listDomains with one namespace's metadata", async () => {
    using c = Connection.open("test:///default");
    await using ac = await AsyncConnection.open("test:///default", { readOnly: true });
    const name = `${PREFIX}list`;
    const ns = "https://virtscale.dev/xmlns/test-keeper";
    c.defineXML(tinyDomainXml(name, { vcpus: 3, extra: `<metadata><k:vm xmlns:k="${ns}" tag="x"/></metadata>` })).free();
    try {
      const all = await ac.cpuStats(0, ["test"]);
      const t = all.find((s) => s.name === "test")!;
      expect(t.cpu?.time).toBeGreaterThan(0n); // from virDomainGetInfo: the test driver's bulk stats lack it
      expect(t.vcpu?.current).toBe(2);
      const other = all.find((s) => s.name === name)!;
      expect(other.state?.state).toBe(5); // shut off
      expect(other.vcpu?.current).toBeUndefined(); // not asked to complete it
      const rows = await ac.listDomains({ metadataUri: ns, requireMetadata: true, managedSave: true });
      expect(rows).toEqual([{ name, uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 5, reason: expect.any(Number), active: false, persistent: true, metadata: '<vm tag="x"/>', managedSave: false }]);
      expect((await ac.listDomains()).map((r) => r.name)).toContain("test");
      using d = c.lookupByName(name);
      expect(d.getMetadata(DomainMetadataType.ELEMENT, ns)).toBe('<vm tag="x"/>');
    } finally {
      using d = c.lookupByName(name);
      d.undefine();
    }
  });
});

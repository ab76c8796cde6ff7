// Bulk statistics (ffi/stats.ts, ffi/cpu.ts) on test:///default: the records
// and their typed parameters as libvirt gives them; domainStats() files the
// fields through the field table (numeric kinds converted, other types left
// out, unreported groups absent); cpuStats()/withInfo fill from
// virDomainGetInfo only what the bulk stats leave out (the test driver
// reports only the state). Each test opens its own connection.
import { describe, expect, test } from "bun:test";
import {
  Connection, cpuStats, domainStats, DomainState, DomainStatsTypes, LibvirtError, withInfo, type CpuStatsSource, type DomainStats,
} from "../../ffi/index.ts";
import { PREFIX, tinyDomainXml } from "./helpers.ts";

const open = () => Connection.open("test:///default");

describe("domainStats", () => {
  test("fields go to their typed place; numeric kinds are converted, other types left out", () => {
    const s = domainStats({
      name: "a",
      uuid: "u",
      params: {
        "state.state": 1,
        "state.reason": 5,
        "cpu.time": 1_500_000_000n,
        "cpu.user": 7, // a number where libvirt sends ULLONG: kept as bigint
        "vcpu.current": 2,
        "vcpu.maximum": "4", // a string where a number belongs: left out, not guessed
        "balloon.current": 65536n, // ULLONG KiB: kept as number
        "block.count": 1, // outside the table: only in params
      },
    });
    expect(s).toEqual({
      name: "a",
      uuid: "u",
      state: { state: 1, reason: 5 },
      cpu: { time: 1_500_000_000n, user: 7n },
      vcpu: { current: 2 },
      balloon: { current: 65536 },
    });
  });

  test("a group libvirt did not report is absent, not zero", () => {
    expect(domainStats({ name: "a", uuid: "u", params: { "state.state": 5 } })).toEqual({ name: "a", uuid: "u", state: { state: 5 } });
  });
});

describe("cpuStats / withInfo", () => {
  test("test driver: CPU time, vCPUs and memory come from virDomainGetInfo", () => {
    using c = Connection.open("test:///default", { readOnly: true });
    const t = cpuStats(c).find((s) => s.name === "test")!;
    expect(t.state?.state).toBe(DomainState.RUNNING);
    expect(typeof t.cpu?.time).toBe("bigint");
    expect(t.vcpu?.current).toBe(2);
    expect(t.balloon?.current).toBe(2097152);
  });

  test("a shut-off domain gets vCPUs and memory but no CPU time", () => {
    using c = Connection.open("test:///default");
    using d = c.defineXML(tinyDomainXml(`${PREFIX}cpuoff`, { vcpus: 3, memMiB: 32 }));
    try {
      const s = cpuStats(c).find((x) => x.name === `${PREFIX}cpuoff`)!;
      expect(s.state?.state).toBe(DomainState.SHUTOFF);
      expect(s.cpu?.time).toBeUndefined();
      expect(s.vcpu?.current).toBe(3);
      expect(s.balloon?.current).toBe(32 * 1024);
    } finally {
      d.undefine();
    }
  });

  const full: DomainStats = { name: "q", uuid: "00000000-0000-0000-0000-000000000001", state: { state: 1 }, cpu: { time: 5n }, vcpu: { current: 1 }, balloon: { current: 1024 } };
  const failing = (e: Error): CpuStatsSource & { lookups: number } => {
    const src = {
      lookups: 0,
      getAllDomainStats: () => [],
      lookupByUUIDString: () => {
        src.lookups++;
        throw e;
      },
    };
    return src;
  };

  test("no virDomainGetInfo when the bulk stats have every field (qemu)", () => {
    const src = failing(new Error("must not be called"));
    expect(withInfo(src, full)).toBe(full);
    expect(withInfo(src, { ...full, state: { state: DomainState.SHUTOFF }, cpu: undefined })).toMatchObject({ vcpu: { current: 1 } });
    expect(src.lookups).toBe(0);
  });

  test("a domain gone between the two calls keeps what the stats said; other failures are thrown", () => {
    const partial: DomainStats = { ...full, cpu: undefined };
    using c = Connection.open("test:///default");
    let noDomain: LibvirtError | undefined;
    try {
      c.lookupByUUIDString(full.uuid);
    } catch (e) {
      noDomain = e as LibvirtError;
    }
    expect(noDomain?.codeName).toBe("VIR_ERR_NO_DOMAIN");
    expect(withInfo(failing(noDomain!), partial)).toBe(partial);
    expect(() => withInfo(failing(new Error("injected: connection lost")), partial)).toThrow("injected: connection lost");
  });
});

describe("statistics", () => {
  test("getAllDomainStats decodes typed parameters", () => {
    using c = open();
    using d = c.defineXML(tinyDomainXml(`${PREFIX}stats`));
    d.create();
    d.suspend();
    const recs = c.getAllDomainStats(DomainStatsTypes.STATE);
    const byName = Object.fromEntries(recs.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual([`${PREFIX}stats`, "test"].sort());
    expect(byName.test!.params["state.state"]).toBe(DomainState.RUNNING);
    expect(byName[`${PREFIX}stats`]!.params["state.state"]).toBe(DomainState.PAUSED);
    expect(typeof byName[`${PREFIX}stats`]!.params["state.reason"]).toBe("number");
    using t = c.lookupByName("test");
    expect(byName.test!.uuid).toBe(t.uuidString());
    const one = c.domainListGetStats([d], DomainStatsTypes.STATE);
    expect(one.length).toBe(1);
    expect(one[0]!.name).toBe(`${PREFIX}stats`);
    expect(one[0]!.params["state.state"]).toBe(DomainState.PAUSED);
    d.destroy();
    d.undefine();
  });

  test("stats with an ACTIVE filter leaves out inactive domains", () => {
    using c = open();
    using d = c.defineXML(tinyDomainXml(`${PREFIX}off`));
    const recs = c.getAllDomainStats(DomainStatsTypes.STATE, 1 /* VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE */);
    expect(recs.map((r) => r.name)).toEqual(["test"]);
    d.undefine();
  });
});

describe("typed parameter decoding", () => {
  test("every virTypedParameterType, built by libvirt's virTypedParamsAdd*", async () => {
    const { C, cstr, runtime } = await import("../../ffi/lib.ts");
    const { decodeTypedParams } = await import("../../ffi/stats.ts");
    const params = new BigUint64Array(1);
    const n = new Int32Array(1);
    const max = new Int32Array(1);
    const ok = (r: number) => expect(r).toBe(0);
    ok(C.virTypedParamsAddInt(params, n, max, cstr("a.int"), -7));
    ok(C.virTypedParamsAddUInt(params, n, max, cstr("a.uint"), 4000000000));
    ok(C.virTypedParamsAddLLong(params, n, max, cstr("a.llong"), -(2n ** 62n)));
    ok(C.virTypedParamsAddULLong(params, n, max, cstr("cpu.time"), 2n ** 64n - 1n));
    ok(C.virTypedParamsAddDouble(params, n, max, cstr("a.double"), 0.25));
    ok(C.virTypedParamsAddBoolean(params, n, max, cstr("a.bool"), 1));
    ok(C.virTypedParamsAddString(params, n, max, cstr("a.string"), cstr("héllo")));
    const p = runtime.ptrFromAddr(params[0]!);
    try {
      expect(decodeTypedParams(p, n[0]!)).toEqual({
        "a.int": -7,
        "a.uint": 4000000000,
        "a.llong": -(2n ** 62n),
        "cpu.time": 2n ** 64n - 1n,
        "a.double": 0.25,
        "a.bool": true,
        "a.string": "héllo",
      });
      // decoding twice reuses interned names and gives the same result
      expect(Object.keys(decodeTypedParams(p, n[0]!))).toEqual(["a.int", "a.uint", "a.llong", "cpu.time", "a.double", "a.bool", "a.string"]);
    } finally {
      C.virTypedParamsFree(p, n[0]!);
    }
  });
});

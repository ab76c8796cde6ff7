// The host calls and the scheduler call (ffi/node.ts) on test:///default, on
// the caller's connection and through AsyncConnection's worker: what the
// scaler's capacity reads (cores, memory, CPU time, free memory) and the CPU
// weight it sets (virDomainSetSchedulerParameters). The test driver's
// scheduler has one parameter, "weight", which it validates and then drops
// (its setter is a stub), so here the call is checked to reach libvirt and
// its validation; that the QEMU driver's cpu_shares changes the VM's cgroup
// is checked in test/scaler/capacity.qemu.test.ts.
import { describe, expect, test } from "bun:test";
import {
  AsyncConnection, Connection, LibvirtError, virDomainGetSchedulerParameters, virDomainSetSchedulerParameters, virNodeGetCPUStats, virNodeGetFreeMemory, virNodeGetInfo,
} from "../../ffi/index.ts";
import { packTypedParams } from "../../ffi/node.ts";
import { decodeTypedParams } from "../../ffi/stats.ts";
import { runtime } from "../../ffi/runtime/index.ts";
import { PREFIX, tinyDomainXml } from "./helpers.ts";

describe("host calls", () => {
  test("virNodeGetInfo, virNodeGetCPUStats, virNodeGetFreeMemory on the caller's connection", () => {
    using c = Connection.open("test:///default");
    const info = virNodeGetInfo(c);
    expect(info.cpus).toBeGreaterThan(0);
    expect(info.memoryKiB).toBeGreaterThan(0);
    const cpu = virNodeGetCPUStats(c);
    for (const k of ["kernel", "user", "idle"]) expect(typeof cpu[k]).toBe("bigint");
    expect(virNodeGetFreeMemory(c)).toBeGreaterThan(0);
  });

  test("the same through the worker", async () => {
    await using a = await AsyncConnection.open("test:///default", { readOnly: true });
    using c = Connection.open("test:///default");
    expect(await a.nodeGetInfo()).toEqual(virNodeGetInfo(c));
    expect(Object.keys(await a.nodeGetCPUStats()).sort()).toEqual(Object.keys(virNodeGetCPUStats(c)).sort());
    expect(await a.nodeGetFreeMemory()).toBe(virNodeGetFreeMemory(c));
  });
});

describe("scheduler parameters", () => {
  test("typed parameters pack into libvirt's layout and decode back", () => {
    const buf = packTypedParams([
      { field: "cpu_shares", type: "ullong", value: 64 },
      { field: "vcpu_quota", type: "llong", value: -1 },
      { field: "weight", type: "uint", value: 7 },
      { field: "d", type: "double", value: 0.5 },
      { field: "b", type: "boolean", value: true },
      { field: "i", type: "int", value: -3 },
    ]);
    expect(buf.length).toBe(6 * 96);
    expect(decodeTypedParams(runtime.ptrFromAddr(runtime.bufferAddress(buf)), 6)).toEqual({ cpu_shares: 64n, vcpu_quota: -1n, weight: 7, d: 0.5, b: true, i: -3 });
    expect(() => packTypedParams([{ field: "x".repeat(80), type: "int", value: 1 }])).toThrow(/longer than 79 bytes/);
  });

  test("a domain's scheduler parameters read, and set through libvirt's validation, on the caller's connection and on the worker", async () => {
    using c = Connection.open("test:///default");
    const name = `${PREFIX}-sched-${Math.random().toString(36).slice(2, 8)}`;
    using d = c.defineXML(tinyDomainXml(name));
    try {
      d.create();
      expect(virDomainGetSchedulerParameters(d)).toEqual({ weight: 50 });
      virDomainSetSchedulerParameters(d, [{ field: "weight", type: "uint", value: 200 }]);
      // The wrong type for a field the driver has: libvirt's validation refuses it, so the packed type reaches libvirt.
      expect(() => virDomainSetSchedulerParameters(d, [{ field: "weight", type: "ullong", value: 200 }])).toThrow(LibvirtError);
      await using a = await AsyncConnection.open("test:///default");
      await a.domainSetSchedulerParameters(name, [{ field: "weight", type: "uint", value: 300 }]);
      expect(await a.domainGetSchedulerParameters(name)).toEqual({ weight: 50 });
      // A parameter the driver does not have: libvirt's own error, named after the call.
      const err = await a.domainSetSchedulerParameters(name, [{ field: "cpu_shares", type: "ullong", value: 64 }]).then(() => null, (e) => e);
      expect(err).toBeInstanceOf(LibvirtError);
      expect((err as LibvirtError).func).toBe("virDomainSetSchedulerParametersFlags");
    } finally {
      if (d.isActive()) d.destroy();
      d.undefine();
    }
  });
});

// VM names and host ports.
import { describe, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { allocatePort, formatName, nextName, udpPortFree } from "../../src/vm/ports.ts";

describe("names", () => {
  test("prefix-NNNN after the highest taken, other names ignored", () => {
    expect(formatName("web", 4, 7)).toBe("web-0007");
    expect(nextName("web", 4, [])).toBe("web-0001");
    expect(nextName("web", 4, ["web-0001", "web-0003", "other-0009", "web-12"])).toBe("web-0004");
    expect(nextName("a.b", 2, ["a.b-05", "axb-09"])).toBe("a.b-06");
  });
  test("wraps to the lowest free number, errors when all are taken", () => {
    expect(nextName("w", 1, ["w-9", "w-1"])).toBe("w-2");
    expect(() => nextName("w", 1, Array.from({ length: 9 }, (_, i) => `w-${i + 1}`))).toThrow(/no free VM name/);
  });
});

describe("ports", () => {
  test("skips ports owned domains use and ports bound on the host", async () => {
    const s = createSocket("udp4");
    await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
    const busy = s.address().port;
    try {
      expect(await udpPortFree(busy)).toBe(false);
      // The bound port is skipped by the bind test.
      const got = await allocatePort(busy, new Set());
      expect(got).not.toBe(busy);
      expect(got).toBeGreaterThan(busy);
      // Used ports are skipped without probing.
      const probed: number[] = [];
      const p = await allocatePort(31000, new Set([31000, 31001]), { isFree: async (x) => (probed.push(x), x !== 31002) });
      expect(p).toBe(31003);
      expect(probed).toEqual([31002, 31003]);
    } finally {
      s.close();
    }
  });
  test("a full range is a clear error", async () => {
    await expect(allocatePort(31990, new Set([31990]), { max: 31991, isFree: async () => false })).rejects.toThrow(/no free UDP port in 31990\.\.31991/);
  });
});

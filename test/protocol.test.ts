import { describe, expect, test } from "bun:test";
import {
  LCG_A, LCG_C, decodeReply, decodeRequest, encodeReply, encodeRequest, expectedReply, lcgJump, work,
} from "../src/protocol.ts";

const MASK = (1n << 64n) - 1n;
function naive(n: number, scale: number): bigint {
  let x = BigInt(n);
  for (let k = 0; k < n * scale; k++) x = (LCG_A * x + LCG_C) & MASK;
  return x;
}

describe("work function", () => {
  test.each([
    [0, 1], [1, 1], [2, 3], [7, 5], [1000, 1], [65535, 1], [4096, 4],
  ])("fast loop equals the BigInt definition for n=%d scale=%d", (n, scale) => {
    expect(work(n, scale)).toBe(naive(n, scale));
  });

  test("large n values exercise every limb", () => {
    // n = 0xFFFFFFFF with scale 0 is the seed itself; a few steps from big seeds.
    for (const n of [0xffffffff, 0x80000000, 0xdeadbeef]) {
      expect(work(n, 0)).toBe(BigInt(n));
      let x = BigInt(n);
      for (let k = 0; k < 3; k++) x = (LCG_A * x + LCG_C) & MASK;
      expect(lcgJump(BigInt(n), 3n)).toBe(x);
    }
  });

  test("jump-ahead verifies what the loop computes", () => {
    for (const [n, s] of [[12345, 2], [99999, 1], [3, 1000]] as const) {
      expect(expectedReply(n, s)).toBe(work(n, s));
    }
  });
});

describe("framing", () => {
  test("request round trip, big-endian", () => {
    const b = encodeRequest(0x01020304);
    expect([...b]).toEqual([1, 2, 3, 4]);
    expect(decodeRequest(b)).toBe(0x01020304);
    expect(decodeRequest(encodeRequest(0xffffffff))).toBe(0xffffffff);
  });
  test("anything but 4 bytes is not a request", () => {
    for (const len of [0, 1, 3, 5, 8, 65507]) expect(decodeRequest(new Uint8Array(len))).toBe(-1);
  });
  test("reply round trip, big-endian", () => {
    const v = 0x0102030405060708n;
    const b = encodeReply(v);
    expect([...b]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decodeReply(b)).toBe(v);
    expect(decodeReply(encodeReply(MASK))).toBe(MASK);
  });
  test("anything but 8 bytes is not a reply", () => {
    for (const len of [0, 4, 7, 9]) expect(decodeReply(new Uint8Array(len))).toBeNull();
  });
});

import { describe, expect, test } from "bun:test";
import { LeastOutstanding, makePicker, PowerOfTwo, RoundRobin } from "../../src/lb/policy.ts";

const be = (id: string, f = 0) => ({ id, f, inFlight() { return this.f; } });

describe("policies", () => {
  test("round robin cycles and survives a shrinking set", () => {
    const rr = new RoundRobin<ReturnType<typeof be>>();
    const set = [be("a"), be("b"), be("c")];
    expect([1, 2, 3, 4, 5, 6].map(() => rr.pick(set)!.id).join("")).toBe("abcabc");
    expect(rr.pick(set.slice(0, 1))!.id).toBe("a");
    expect(rr.pick([])).toBeUndefined();
  });

  test("least outstanding takes the emptiest, ties round robin", () => {
    const lo = new LeastOutstanding<ReturnType<typeof be>>();
    const set = [be("a", 5), be("b", 1), be("c", 3)];
    expect(lo.pick(set)!.id).toBe("b");
    const tied = [be("a"), be("b"), be("c")];
    expect(new Set([1, 2, 3].map(() => lo.pick(tied)!.id)).size).toBe(3);
  });

  test("p2c picks the less loaded of two distinct random backends", () => {
    const seq = [0.0, 0.0]; // a=0, b: floor(0*(n-1))=0 -> bumped to 1
    let i = 0;
    const p = new PowerOfTwo<ReturnType<typeof be>>(() => seq[i++ % seq.length]!);
    const set = [be("a", 4), be("b", 2), be("c", 0)];
    expect(p.pick(set)!.id).toBe("b");
    expect(new PowerOfTwo<ReturnType<typeof be>>().pick([be("x")])!.id).toBe("x");
  });

  test("with an accept filter (the per-backend cap) every policy picks among accepted backends only", () => {
    const set = [be("a", 8), be("b", 2), be("c", 8)];
    const below = (b: ReturnType<typeof be>) => b.f < 8;
    const rr = new RoundRobin<ReturnType<typeof be>>();
    expect([1, 2, 3].map(() => rr.pick(set, below)!.id).join("")).toBe("bbb");
    expect(new LeastOutstanding<ReturnType<typeof be>>().pick(set, below)!.id).toBe("b");
    let i = 0;
    const seq = [0.0, 0.99]; // a=0 ("a"), then "c": both full
    const p = new PowerOfTwo<ReturnType<typeof be>>(() => seq[i++ % seq.length]!);
    expect(p.pick(set, below)!.id).toBe("b");
    const full = (_: ReturnType<typeof be>) => false;
    expect(rr.pick(set, full)).toBeUndefined();
    expect(new LeastOutstanding<ReturnType<typeof be>>().pick(set, full)).toBeUndefined();
    expect(p.pick(set, full)).toBeUndefined();
    expect(p.pick([be("x", 8)], below)).toBeUndefined();
  });

  test("unknown policy names are refused with the name", () => {
    expect(() => makePicker("fastest" as never)).toThrow(/fastest/);
  });
});

import { describe, expect, test } from "bun:test";
import { AnswerMatcher, ExpectedCache, type Pending } from "../../src/load/matcher.ts";
import { expectedReply } from "../../src/protocol.ts";
import { parseRate } from "../../src/load/rate.ts";
import { parseConfig } from "../../src/config.ts";

const split = (v: bigint) => ({ hi: Number(v >> 32n), lo: Number(v & 0xffffffffn) });

describe("answer matcher", () => {
  test("answers match their requests in any order, duplicates included", () => {
    const m = new AnswerMatcher();
    const ns = [5, 9, 5, 1000, 77];
    ns.forEach((n, i) => m.add({ ...split(expectedReply(n, 1)), sentAt: i, state: 0 } as Pending));
    const lat = { ms: 0 };
    for (const n of [77, 5, 1000, 9, 5]) {
      const { hi, lo } = split(expectedReply(n, 1));
      expect(m.match(hi, lo, 10, lat)).toBe("answered");
    }
    expect(m.outstanding).toBe(0);
    const { hi, lo } = split(expectedReply(5, 1));
    expect(m.match(hi, lo, 10, lat)).toBe("wrong"); // a third answer for 5: nobody asked
  });

  test("a value that equals the low half but not the high half is wrong", () => {
    const m = new AnswerMatcher();
    const e = split(expectedReply(42, 1));
    m.add({ ...e, sentAt: 0, state: 0 });
    expect(m.match(e.hi ^ 1, e.lo, 1, { ms: 0 })).toBe("wrong");
    expect(m.outstanding).toBe(1);
  });

  test("timed-out requests answered later are late, then forgotten", () => {
    const m = new AnswerMatcher();
    const a = split(expectedReply(1, 1));
    const b = split(expectedReply(2, 1));
    m.add({ ...a, sentAt: 0, state: 0 });
    m.add({ ...b, sentAt: 0, state: 0 });
    expect(m.sweep(100, 50, 200)).toBe(2);
    expect(m.outstanding).toBe(0);
    expect(m.match(a.hi, a.lo, 120, { ms: 0 })).toBe("late");
    m.sweep(300, 50, 200); // past the late window
    expect(m.match(b.hi, b.lo, 300, { ms: 0 })).toBe("wrong");
  });

  test("a timed-out request answered a minute later is late; a value nobody asked for stays wrong", () => {
    const m = new AnswerMatcher();
    const a = split(expectedReply(7, 1));
    const other = split(expectedReply(8, 1));
    m.add({ ...a, sentAt: 0, state: 0 });
    expect(m.sweep(100, 50, 60_000)).toBe(1);
    m.sweep(50_000, 50, 60_000);
    expect(m.match(other.hi, other.lo, 50_000, { ms: 0 })).toBe("wrong");
    expect(m.match(a.hi ^ 1, a.lo, 50_000, { ms: 0 })).toBe("wrong");
    expect(m.match(a.hi, a.lo, 50_000, { ms: 0 })).toBe("late");
    expect(m.match(a.hi, a.lo, 50_000, { ms: 0 })).toBe("wrong"); // one answer per request
  });

  test("remembered timed-out requests are capped: the oldest are forgotten and counted", () => {
    const m = new AnswerMatcher(3);
    const vals = [1, 2, 3, 4, 5].map((n) => split(expectedReply(n, 1)));
    vals.forEach((v, i) => m.add({ ...v, sentAt: i, state: 0 }));
    expect(m.sweep(1000, 50, 60_000)).toBe(5);
    expect(m.forgotten).toBe(2);
    expect(m.remembered).toBe(3);
    expect(m.match(vals[0]!.hi, vals[0]!.lo, 1000, { ms: 0 })).toBe("wrong");
    expect(m.match(vals[4]!.hi, vals[4]!.lo, 1000, { ms: 0 })).toBe("late");
    expect(m.remembered).toBe(2);
  });

  test("answered requests do not stay in memory for the late window", () => {
    const m = new AnswerMatcher();
    for (let i = 0; i < 10_000; i++) {
      const v = split(expectedReply(i, 1));
      m.add({ ...v, sentAt: i, state: 0 });
      m.match(v.hi, v.lo, i, { ms: 0 });
      m.sweep(i, 50, 60_000);
    }
    expect(m.retained).toBeLessThan(200);
  });

  test("expected cache agrees with expectedReply inside and outside the dense range", () => {
    const c = new ExpectedCache(3, 100, 200);
    const out = { hi: 0, lo: 0 };
    for (const n of [100, 150, 200, 5, 4_000_000_000]) {
      c.get(n, out);
      expect((BigInt(out.hi) << 32n) | BigInt(out.lo)).toBe(expectedReply(n, 3));
    }
  });
});

describe("rates", () => {
  const cfg = parseConfig({ load_request_time_period_seconds_mid: 0.25 });
  test("low/mid/high come from the config periods", () => {
    expect(parseRate("low", cfg).perSecond).toBe(1);
    expect(parseRate("mid", cfg).perSecond).toBe(4);
    expect(parseRate("high", cfg).perSecond).toBe(50);
    expect(parseRate("off", cfg).perSecond).toBe(0);
    expect(parseRate("250/s", cfg)).toEqual({ label: "250/s", perSecond: 250 });
    expect(parseRate("2.5", cfg).perSecond).toBe(2.5);
  });
  test("bad rates name what was given", () => {
    for (const bad of ["fast", "-1/s", "1e9/s", "", "10/m"]) expect(() => parseRate(bad, cfg)).toThrow(/rate: expected/);
  });
});

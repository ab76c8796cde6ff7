import { describe, expect, test } from "bun:test";
import { bucketHigh, bucketLow, bucketOf, BUCKETS, LogHistogram, WindowedHistogram } from "../../src/net/histogram.ts";

describe("log histogram", () => {
  test("buckets are monotonic and each value lies inside its bucket", () => {
    let prev = -1;
    for (const v of [0, 1, 2, 15, 16, 17, 31, 32, 100, 1000, 12345, 2 ** 20 + 7, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 33 + 1]) {
      const b = bucketOf(v);
      expect(b).toBeGreaterThanOrEqual(prev);
      expect(b).toBeLessThan(BUCKETS);
      expect(bucketLow(b)).toBeLessThanOrEqual(v);
      expect(bucketHigh(b)).toBeGreaterThan(v);
      prev = b;
    }
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(NaN)).toBe(0);
    expect(bucketOf(1e20)).toBe(BUCKETS - 1);
  });

  test("quantiles are within the bucket precision (12.5 %)", () => {
    const h = new LogHistogram();
    for (let i = 1; i <= 10000; i++) h.record(i * 10); // 10 us .. 100 ms uniform
    for (const [q, exact] of [[0.5, 50000], [0.9, 90000], [0.99, 99000]] as const) {
      const v = h.quantile(q)!;
      expect(Math.abs(v - exact) / exact).toBeLessThan(0.125);
    }
    expect(new LogHistogram().quantile(0.5)).toBeNull();
  });

  test("windowed histogram forgets slots older than the window", () => {
    const w = new WindowedHistogram(3);
    w.record(1000);
    expect(w.percentilesMs().p50Ms).toBeCloseTo(1, 0);
    w.tick();
    w.tick();
    expect(w.window().count).toBe(1);
    w.tick(); // the slot holding 1000 us is reused and cleared
    expect(w.window().count).toBe(0);
    expect(w.percentilesMs().p99Ms).toBeNull();
  });
});

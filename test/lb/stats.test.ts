// The total row is derived from the rows (each event is counted once): the
// front row's requestsIn, sums of everything else, removed backends kept.
import { describe, expect, test } from "bun:test";
import { LB_STATS, StatsRow, Totals } from "../../src/lb/stats.ts";

function rows() {
  const totals = new Totals(0);
  const a = new StatsRow(0);
  const b = new StatsRow(0);
  const f = totals.front;
  f.requestsIn = 10; // every datagram the front saw
  f.drop("bad_size", 2);
  f.queued = 3;
  a.requestsIn = 5;
  a.forwarded = 5;
  a.answered = 4;
  a.inFlight = 1;
  a.drop("unsolicited");
  b.requestsIn = 3;
  b.forwarded = 2;
  b.sendFailed = 1;
  b.late = 2;
  b.drop("unsolicited", 2);
  b.drop("foreign_source");
  for (let i = 0; i < 4; i++) a.latency.record(1000); // 1 ms
  for (let i = 0; i < 4; i++) b.latency.record(9000); // 9 ms
  return { totals, a, b };
}

describe("Totals", () => {
  test("requestsIn is the front's; the other counters and the drops are summed over every row", () => {
    const { totals, a, b } = rows();
    const t = totals.counters([a, b]);
    expect(t).toMatchObject({ requestsIn: 10, forwarded: 7, answered: 4, late: 2, sendFailed: 1, queued: 3, inFlight: 1 });
    expect(t.dropped).toEqual({ bad_size: 2, unsolicited: 3, foreign_source: 1 });
    // Latency over every row's window: half the answers at 1 ms, half at 9 ms.
    expect(t.p50Ms).toBeLessThan(1.2);
    expect(t.p99Ms).toBeGreaterThan(8);
    // Every counter of the table is in the total row.
    for (const def of LB_STATS) expect(typeof t[def.key]).toBe("number");
  });

  test("a removed backend's counts stay; its latency leaves with its window", () => {
    const { totals, a, b } = rows();
    totals.retire(b);
    const before = totals.counters([a]);
    expect(before).toMatchObject({ forwarded: 7, late: 2, sendFailed: 1 });
    expect(before.dropped.foreign_source).toBe(1);
    expect(before.p99Ms).toBeGreaterThan(8);
    for (let s = 1; s <= 10; s++) totals.tick(s * 1000, [a]);
    const after = totals.counters([a]);
    expect(after).toMatchObject({ forwarded: 7, late: 2, sendFailed: 1, answered: 4 });
    expect(after.dropped).toEqual({ bad_size: 2, unsolicited: 3, foreign_source: 1 });
    expect(after.p99Ms).toBeNull(); // every window moved past the answers
  });

  test("rates: requests in from the front row, answers out (answered + late) over every row", () => {
    const { totals, a, b } = rows();
    totals.tick(1000, [a, b]);
    const f = totals.front;
    f.requestsIn += 500;
    a.answered += 300;
    b.late += 100;
    totals.tick(1500, [a, b]);
    const t = totals.counters([a, b]);
    expect(t.rpsIn).toBe(1000);
    expect(t.rpsOut).toBe(800);
    expect(a.rpsOut).toBe(600); // the rows' own rates tick with them
  });
});

// The pieces of /metrics' histograms and text, without a server: cumulative
// counts from the balancer's log histogram, totals that never go down when a
// backend leaves, and the exposition writer's rules.
import { describe, expect, test } from "bun:test";
import { LogHistogram, WindowedHistogram } from "../../src/net/histogram.ts";
import { StatsRow, Totals } from "../../src/lb/stats.ts";
import { LATENCY_BOUNDS_US, latencySeries } from "../../src/lb/metrics.ts";
import { Exposition } from "../../src/util/prometheus-text.ts";

describe("LogHistogram as a Prometheus histogram", () => {
  test("counts below power-of-two bounds are exact, the sum is the values'", () => {
    const h = new LogHistogram();
    const values = [10, 31.9, 32, 63, 64, 100, 1000, 1023.5, 1024, 5_000_000, 9_000_000];
    for (const v of values) h.record(v);
    expect(h.sum).toBeCloseTo(values.reduce((a, b) => a + b, 0), 6);
    const bounds = [32, 64, 1024, 8_388_608];
    expect(h.cumulativeAt(bounds)).toEqual(bounds.map((b) => values.filter((v) => v < b).length));
    const s = latencySeries(h, { backend: "x" });
    expect(s.bounds[0]).toBe(0.000032);
    expect(s.bounds.at(-1)).toBe(8.388608);
    expect(s.cumulative).toEqual(LATENCY_BOUNDS_US.map((b) => values.filter((v) => v < b).length));
    expect(s.count).toBe(values.length);
    expect(s.sum).toBeCloseTo(h.sum / 1e6, 9);
  });

  test("a windowed histogram keeps everything in cumulative(), however many ticks pass", () => {
    const w = new WindowedHistogram(3);
    for (let t = 0; t < 10; t++) {
      w.record(100 + t);
      w.tick();
    }
    expect(w.window().count).toBe(2); // the last 3 slots, the current one empty
    expect(w.cumulative().count).toBe(10);
    expect(w.cumulative().sum).toBe(Array.from({ length: 10 }, (_, t) => 100 + t).reduce((a, b) => a + b, 0));
  });

  test("the total's histogram keeps a removed backend's answers after its window has passed", () => {
    const totals = new Totals(0);
    const a = new StatsRow(0);
    const b = new StatsRow(0);
    for (let i = 0; i < 5; i++) a.latency.record(200);
    for (let i = 0; i < 3; i++) b.latency.record(400);
    expect(totals.latencyCumulative([a, b]).count).toBe(8);
    totals.retire(a);
    for (let t = 1; t <= 15; t++) {
      totals.tick(t * 1000, [b]);
      expect(totals.latencyCumulative([b]).count).toBe(8);
    }
    expect(totals.latencyCumulative([b]).sum).toBe(5 * 200 + 3 * 400);
  });
});

describe("Exposition", () => {
  test("unknown values are absent, histograms end in +Inf, _sum, _count", () => {
    const w = new Exposition();
    w.gauge("x_ratio", "a ratio", [
      [{ name: "a" }, 0.5],
      [{ name: "b" }, null],
    ]);
    w.histogram("y_seconds", "durations", [{ labels: { k: 'q"uote' }, bounds: [0.1, 1], cumulative: [1, 2], count: 3, sum: 2.5 }]);
    expect(w.text()).toBe(
      [
        "# HELP x_ratio a ratio",
        "# TYPE x_ratio gauge",
        'x_ratio{name="a"} 0.5',
        "# HELP y_seconds durations",
        "# TYPE y_seconds histogram",
        'y_seconds_bucket{k="q\\"uote",le="0.1"} 1',
        'y_seconds_bucket{k="q\\"uote",le="1"} 2',
        'y_seconds_bucket{k="q\\"uote",le="+Inf"} 3',
        'y_seconds_sum{k="q\\"uote"} 2.5',
        'y_seconds_count{k="q\\"uote"} 3',
        "",
      ].join("\n"),
    );
  });

  test("a counter must end in _total; a family name twice is refused", () => {
    expect(() => new Exposition().counter("requests", "x", [])).toThrow(/_total/);
    const w = new Exposition().gauge("a", "x", []);
    expect(() => w.gauge("a", "x", [])).toThrow(/written twice/);
    expect(() => new Exposition().gauge("a", "x", []).append(new Exposition().gauge("a", "y", []))).toThrow(/written twice/);
  });
});

// The balancer's in-flight per backend, averaged over time (src/scaler/concurrency.ts).
import { describe, expect, test } from "bun:test";
import { InFlightSampler } from "../../src/scaler/concurrency.ts";
import type { BackendHealth } from "../../src/scaler/ports.ts";

function rig() {
  let t = 0;
  let list: Partial<BackendHealth>[] = [];
  const s = new InFlightSampler(() => list as BackendHealth[], 100, () => t);
  return {
    s,
    at: (ms: number, backends: Partial<BackendHealth>[]) => {
      t = ms;
      list = backends;
    },
  };
}
const b = (id: string, inFlight: number, extra: Partial<BackendHealth> = {}): Partial<BackendHealth> => ({ id, state: "active", inFlight, owed: 0, p99Ms: 12, ...extra });

describe("InFlightSampler", () => {
  test("the mean over time: each reading holds until the next; owed requests count; p99 from the balancer", () => {
    const r = rig();
    r.at(0, [b("a", 1)]);
    r.s.sample();
    r.at(100, [b("a", 3)]);
    r.s.sample();
    r.at(400, [b("a", 0, { owed: 2 })]);
    r.s.sample();
    r.at(1000, [b("a", 2)]);
    // (1 × 100 + 3 × 300 + 2 × 600) / 1000
    expect(r.s.take().get("a")).toEqual({ inFlight: 2.2, p99Ms: 12 });
  });

  test("a stall of the balancer's thread: the count before it holds for the stall, not the burst after it", () => {
    const r = rig();
    r.at(0, [b("a", 0)]);
    r.s.sample();
    r.at(2000, [b("a", 15)]); // the backlog forwarded at once after 2 s without a reading
    const f = r.s.take().get("a")!;
    expect(f.inFlight).toBe(0);
    r.at(3000, [b("a", 1)]);
    expect(r.s.take().get("a")!.inFlight).toBe(15); // the next period starts from the last reading
  });

  test("one reading in a period (a backend just added, no timer): that reading", () => {
    const r = rig();
    r.at(0, [b("a", 4)]);
    expect(r.s.take().get("a")!.inFlight).toBe(4);
  });

  test("draining and removed backends are left out; one that leaves rotation is forgotten", () => {
    const r = rig();
    r.at(0, [b("a", 1), b("d", 9, { state: "draining" })]);
    r.s.sample();
    r.at(500, [b("a", 1)]);
    const m = r.s.take();
    expect([...m.keys()]).toEqual(["a"]);
    r.at(1000, []);
    expect(r.s.take().size).toBe(0);
  });
});

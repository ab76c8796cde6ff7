import { describe, expect, test } from "bun:test";
import { DemoCycle, type CycleOptions } from "../../src/commands/demo/cycle.ts";
import type { ScalerView } from "../../src/events.ts";

const OPTS: CycleOptions = { lowHoldS: 10, highHoldS: 20, cooldownHoldS: 5, phaseTimeoutS: 100, repeat: false };

function view(current: number, extra: Partial<ScalerView> = {}): ScalerView {
  return { policy: "threshold", paused: false, current, desired: current, min: 1, max: 2, high: 80, low: 35, avgCpu: null, windowRemainingS: null, warmPool: 1, ...extra };
}

/** Feed (second, group size) pairs; collect the rate changes and the end. */
function drive(c: DemoCycle, steps: [number, number][]): string[] {
  const out: string[] = [];
  for (const [t, current] of steps) {
    const s = c.step(view(current), t * 1000);
    if (s.rate) out.push(`${t}:${s.rate}`);
    if (s.done) out.push(`${t}:done`);
  }
  return out;
}

describe("DemoCycle", () => {
  test("nothing happens before calibration ends", () => {
    const c = new DemoCycle(OPTS);
    expect(c.step(view(1), 0)).toEqual({});
    expect(c.phase).toBe("calibrate");
  });

  test("low -> high after the hold at min; high -> low after holding at max; done after holding at min", () => {
    const c = new DemoCycle(OPTS);
    expect(c.begin(0)).toMatchObject({ rate: "low", phase: "low" });
    // A hold counts from the first step that sees the condition (the demo steps every 500 ms).
    const seq = drive(c, [
      [0, 1], [5, 1], [10, 1], // held 10 s at min: high
      [15, 1], [30, 1], [40, 2], [55, 2], [60, 2], // reached max at 40, held 20 s: low
      [62, 2], [70, 1], [74, 1], [75, 1], // back at min at 70, held 5 s: done
    ]);
    expect(seq).toEqual(["10:high", "60:low", "75:done"]);
    expect(c.phase).toBe("done");
    expect(c.outcome).toMatchObject({ scaledOut: true, scaledIn: true, cycles: 1, timeouts: [] });
  });

  test("a hold restarts when the group leaves the state it waits for", () => {
    const c = new DemoCycle(OPTS);
    c.begin(0);
    // at max from 10, drops back at 20 (a VM died), at max again from 25: the 20 s hold counts from 25.
    const seq = drive(c, [[0, 1], [10, 1], [11, 2], [20, 1], [25, 2], [44, 2], [45, 2]]);
    expect(seq).toEqual(["10:high", "45:low"]);
  });

  test("no scale-out within the phase timeout: it steps down and says so", () => {
    const c = new DemoCycle(OPTS);
    c.begin(0);
    const seq = drive(c, [[0, 1], [10, 1], [50, 1], [111, 1], [120, 1], [125, 1], [200, 1]]);
    expect(seq).toEqual(["10:high", "111:low", "125:done"]);
    expect(c.outcome.scaledOut).toBe(false);
    expect(c.outcome.scaledIn).toBe(false);
    expect(c.outcome.timeouts).toEqual(["no scale-out within 100 s of high load"]);
  });

  test("no scale-in within the phase timeout is reported", () => {
    const c = new DemoCycle(OPTS);
    c.begin(0);
    const seq = drive(c, [[0, 1], [10, 1], [11, 2], [31, 2], [100, 2], [132, 2]]);
    expect(seq).toEqual(["10:high", "31:low", "132:done"]);
    expect(c.outcome).toMatchObject({ scaledOut: true, scaledIn: false, timeouts: ["no scale-in within 100 s of low load"] });
  });

  test("repeat: a finished cycle starts over at low", () => {
    const c = new DemoCycle({ ...OPTS, repeat: true });
    c.begin(0);
    const seq = drive(c, [[0, 1], [10, 1], [11, 2], [31, 2], [32, 1], [37, 1], [38, 1], [48, 1]]);
    expect(seq).toEqual(["10:high", "31:low", "37:low", "48:high"]);
    expect(c.outcome.cycles).toBe(1);
  });
});


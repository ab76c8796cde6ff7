import { describe, expect, test } from "bun:test";
import { verdict } from "../../src/commands/demo/verdict.ts";
import type { LoadPhaseView, LoadView } from "../../src/events.ts";

function phase(name: string, sent: number, answered: number, extra: Partial<LoadPhaseView> = {}): LoadPhaseView {
  const timedOut = sent - answered;
  return { phase: name, rate: name === "high" ? "high" : "low", perSecond: 10, startS: 0, durationS: 10, sent, answered, late: 0, timedOut, wrong: 0, inFlight: 0, inTimePct: sent ? Math.round((answered / sent) * 1000) / 10 : null, p50Ms: 5, p99Ms: 50, ...extra };
}
function load(phases: LoadPhaseView[], extra: Partial<LoadView & { late: number }> = {}): LoadView & { late: number } {
  const sum = (k: "sent" | "answered" | "timedOut" | "wrong" | "late") => phases.reduce((a, p) => a + p[k], 0);
  return { rate: "low", perSecond: 10, sent: sum("sent"), answered: sum("answered"), wrong: sum("wrong"), timedOut: sum("timedOut"), late: sum("late"), p50Ms: 5, p99Ms: 50, phases, ...extra };
}

describe("demo verdict", () => {
  test("everything in time and right: no problem, totals per phase kept", () => {
    const v = verdict(load([phase("low", 150, 150), phase("high", 600, 598), phase("cooldown", 200, 200)]), 95);
    expect(v.problems).toEqual([]);
    expect(v.total).toEqual({ sent: 950, answered: 948, late: 0, timedOut: 2, wrong: 0, inTimePct: 99.8 });
    expect(v.phases.map((p) => p.phase)).toEqual(["low", "high", "cooldown"]);
  });

  test("too few in time: a problem naming the share, the threshold and each phase's share", () => {
    const v = verdict(load([phase("low", 30, 30), phase("high", 60, 20, { late: 25 }), phase("cooldown", 10, 10)]), 95);
    expect(v.total.inTimePct).toBe(60);
    expect(v.problems).toHaveLength(1);
    expect(v.problems[0]).toBe("answered in time 60 % of 100 (< 95 %): 40 timed out, 25 of them answered late; by phase: low 100 %, high 33.3 %, cooldown 100 %");
  });

  test("the threshold is the caller's: 60 % passes at 50", () => {
    expect(verdict(load([phase("high", 10, 6)]), 50).problems).toEqual([]);
  });

  test("any wrong answer is a problem, with the phases it came in, even when all were in time", () => {
    const v = verdict(load([phase("low", 10, 10), phase("high", 10, 10, { wrong: 2 })]), 95);
    expect(v.problems).toEqual(["2 wrong answer(s) (high 2)"]);
  });

  test("wrong answers and a low share are both reported", () => {
    const v = verdict(load([phase("high", 10, 5, { wrong: 1 })]), 95);
    expect(v.problems).toHaveLength(2);
    expect(v.problems[0]).toMatch(/^1 wrong/);
    expect(v.problems[1]).toMatch(/^answered in time 50 %/);
  });

  test("nothing sent, or no figures at all, is a problem too (a demo that served nothing did not pass)", () => {
    expect(verdict(load([]), 95).problems).toEqual(["no request was sent"]);
    expect(verdict(undefined, 95).problems[0]).toMatch(/no load generator figures/);
  });

  test("phases that sent nothing are left out", () => {
    const v = verdict(load([phase("calibrate", 0, 0), phase("low", 5, 5)]), 95);
    expect(v.phases.map((p) => p.phase)).toEqual(["low"]);
  });
});

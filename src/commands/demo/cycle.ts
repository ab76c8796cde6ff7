// The demo's load cycle: low -> high -> low, stepped by what the group does
// rather than by a clock, so a slow machine still shows a VM being added and
// removed. Each step says why it moved on. Pure state machine: `step(view,
// now)` returns the rate to set (or nothing) and whether the cycle is over.
import type { ScalerView } from "../../events.ts";

export type Phase = "calibrate" | "low" | "high" | "cooldown" | "done";

export interface CycleOptions {
  /** Seconds of low load before stepping up (the group settles, the graph shows a baseline). */
  lowHoldS: number;
  /** Seconds to keep high load once the group reached its max (load spreads over the new VM). */
  highHoldS: number;
  /** Seconds to stay at low load once the group is back at min. */
  cooldownHoldS: number;
  /** Give up on a phase after this long (the summary says the step did not happen). */
  phaseTimeoutS: number;
  /** Start over after cooldown (dashboard) or end (headless). */
  repeat: boolean;
}

export interface CycleStep {
  rate?: "low" | "high";
  /** The phase the rate belongs to (the load generator reports its figures by it). */
  phase?: Phase;
  log?: string;
  done?: boolean;
}

export class DemoCycle {
  phase: Phase = "calibrate";
  private since = 0;
  private reachedAt: number | null = null;
  readonly outcome = { scaledOut: false, scaledIn: false, cycles: 0, timeouts: [] as string[] };

  constructor(private readonly o: CycleOptions) {}

  /** Calibration finished: start the cycle. */
  begin(now: number): CycleStep {
    return this.enter("low", now, "low load: the group settles at its minimum");
  }

  step(s: ScalerView | undefined, now: number): CycleStep {
    if (!s || this.phase === "calibrate" || this.phase === "done") return {};
    const inPhase = (now - this.since) / 1000;
    const held = (cond: boolean, holdS: number) => {
      if (!cond) this.reachedAt = null;
      else this.reachedAt ??= now;
      return this.reachedAt !== null && (now - this.reachedAt) / 1000 >= holdS;
    };
    switch (this.phase) {
      case "low":
        if (held(s.current >= s.min, this.o.lowHoldS)) return this.enter("high", now, `high load: ${expectOut(s)}, then a VM added`);
        break;
      case "high":
        if (s.current >= s.max) this.outcome.scaledOut = true;
        if (held(s.current >= s.max, this.o.highHoldS)) return this.enter("cooldown", now, `low load again: ${expectIn(s)}, then a VM drained and removed`);
        if (inPhase > this.o.phaseTimeoutS) {
          this.outcome.timeouts.push(`no scale-out within ${this.o.phaseTimeoutS} s of high load`);
          return this.enter("cooldown", now, `high load ran ${this.o.phaseTimeoutS} s without reaching ${s.max} VMs; stepping down`);
        }
        break;
      case "cooldown":
        if (this.outcome.scaledOut && s.current <= s.min) this.outcome.scaledIn = true;
        if (held(s.current <= s.min, this.o.cooldownHoldS) || inPhase > this.o.phaseTimeoutS) {
          if (inPhase > this.o.phaseTimeoutS && s.current > s.min) this.outcome.timeouts.push(`no scale-in within ${this.o.phaseTimeoutS} s of low load`);
          this.outcome.cycles++;
          if (this.o.repeat) return this.enter("low", now, `cycle ${this.outcome.cycles} done; again`);
          this.phase = "done";
          return { done: true, log: `cycle done: scaled out ${this.outcome.scaledOut ? "yes" : "no"}, scaled in ${this.outcome.scaledIn ? "yes" : "no"}` };
        }
        break;
    }
    return {};
  }

  private enter(phase: Phase, now: number, log: string): CycleStep {
    this.phase = phase;
    this.since = now;
    this.reachedAt = null;
    return { rate: phase === "high" ? "high" : "low", phase, log };
  }
}

/** What the scaler's policy waits for before it adds a VM, in the demo's narration (the CPU rule, or the balancer's concurrency). */
function expectOut(s: ScalerView): string {
  return s.policy === "concurrency" ? `expect more requests in flight per VM than the target (panic window: twice it), or a slow p99` : `expect avg CPU > ${s.high} % for the window`;
}

/** What it waits for before it removes one. */
function expectIn(s: ScalerView): string {
  return s.policy === "concurrency" ? `expect requests in flight per VM under the target for the stable window` : `expect avg CPU < ${s.low} % for the window`;
}

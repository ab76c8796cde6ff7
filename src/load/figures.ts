// The load generator's figures over the run: its counters, the sent and
// answered rates of the last second, and the latency of answers in time
// (the last 10 s for the live view, the whole run for the summary), with
// the shape of the view they are reported in (LoadViewExt). Apart from the
// generator so that what is counted and how it is summed is one piece.
import type { LoadPhaseView, LoadView } from "../events.ts";
import { LogHistogram, WindowedHistogram } from "../net/histogram.ts";

export interface LoadViewExt extends LoadView {
  /** The first server ("none" with an empty list). */
  target: string;
  /** Every server requests go to, round robin. */
  servers: string[];
  /** The service check answers are held to (service.check). */
  check: string;
  /** Answers taken without a check (service.check any), in time or late: also in answered / late. */
  unverified: number;
  scale: number;
  /** Answers that matched a request that had timed out (right value, late). */
  late: number;
  /** Timed-out requests forgotten before the late window ended (more than MAX_REMEMBERED remembered); a later answer for one counts as wrong. */
  lateForgotten: number;
  inFlight: number;
  /** Answers that were not 8 bytes (also counted in wrong). */
  badSize: number;
  /** Requests the socket refused to send. */
  sendFailed: number;
  /** Requests skipped because the scheduler fell more than a second behind. */
  skipped: number;
  sentPerS: number;
  answeredPerS: number;
  p90Ms: number | null;
  elapsedS: number;
  /** Where the current rate comes from (a named level's basis), when it is a named level. */
  basis?: string;
  /** Requests per second one VM serves for this request mix (from the measured cost), null when not measured. */
  vmCapacityPerS: number | null;
  /** answered / sent over the run in %, null before anything was sent. */
  inTimePct: number | null;
  phases: LoadPhaseView[];
}

export interface Percentiles {
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

export class Figures {
  /** The run's counters (every phase's, including the phases dropped from the view). */
  readonly c = { sent: 0, answered: 0, wrong: 0, late: 0, timedOut: 0, badSize: 0, sendFailed: 0, unverified: 0 };
  /** Over the last second (tick()). */
  sentPerS = 0;
  answeredPerS = 0;
  private readonly window = new WindowedHistogram(10);
  private readonly whole = new LogHistogram();
  private lastSent = 0;
  private lastAnswered = 0;
  private lastTick = 0;

  /** The run starts at `now` (the first second's rates count from it). */
  start(now: number): void {
    this.lastTick = now;
  }

  /** An answer in time, `us` microseconds after its request. */
  record(us: number): void {
    this.window.record(us);
    this.whole.record(us);
  }

  /** Latency over the last 10 s. */
  recent(): Percentiles {
    return this.window.percentilesMs();
  }

  /** Latency over the whole run. */
  overall(): Percentiles {
    const q = (x: number) => {
      const v = this.whole.quantile(x);
      return v === null ? null : Math.round(v) / 1000;
    };
    return { p50Ms: q(0.5), p90Ms: q(0.9), p99Ms: q(0.99) };
  }

  /** Once a second: the rates since the last tick; the 10 s window moves on. */
  tick(): void {
    const now = performance.now();
    const dt = (now - this.lastTick) / 1000;
    if (dt > 0) {
      this.sentPerS = Math.round((this.c.sent - this.lastSent) / dt);
      this.answeredPerS = Math.round((this.c.answered - this.lastAnswered) / dt);
    }
    this.lastSent = this.c.sent;
    this.lastAnswered = this.c.answered;
    this.lastTick = now;
    this.window.tick();
  }
}

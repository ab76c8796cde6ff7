// The control loop's timer: one step per period, never two at once (a step()
// during one returns it), and a step that fails never ends the loop. The data
// plane never dies with the control plane: a failure is logged once per
// distinct message, and the next step waits longer (period × 2^failures,
// capped) until one works again, which is said too.
import { errorMessage } from "../errors.ts";
import type { Store } from "../store.ts";

/** Longest wait between two steps while steps keep failing (ms). */
const LOOP_BACKOFF_MAX_MS = 30_000;

export interface StepLoopOptions<T> {
  /** One step; it may throw (the loop logs it and backs off). */
  body: () => Promise<T | undefined>;
  store: Store;
  periodMs: () => number;
  /** Whether the timer may run (false: stopped, or steps are driven by hand). */
  enabled: () => boolean;
}

export class StepLoop<T> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** The step running now (steps never overlap; step() during one returns it). */
  private stepping: Promise<T | undefined> | null = null;
  /** Steps failed in a row, and the last failure's message (logged once per distinct message). */
  private failures = 0;
  private lastError: string | null = null;

  constructor(private readonly o: StepLoopOptions<T>) {}

  /** One step now. Never rejects: a failure is logged (once per distinct message) and makes the timer wait longer. */
  step(): Promise<T | undefined> {
    this.stepping ??= this.guarded().finally(() => (this.stepping = null));
    return this.stepping;
  }

  /** The step running now, if one is. */
  get current(): Promise<T | undefined> | null {
    return this.stepping;
  }

  /** The timer: the next step after `ms`; while steps fail, period × 2^failures, capped. */
  schedule(ms: number): void {
    if (!this.o.enabled()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.step().then(() => {
        const period = this.o.periodMs();
        this.schedule(this.failures ? Math.min(period * 2 ** this.failures, Math.max(period, LOOP_BACKOFF_MAX_MS)) : period);
      });
    }, ms);
  }

  /** No further timed step (a step running now still ends). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async guarded(): Promise<T | undefined> {
    try {
      const d = await this.o.body();
      if (this.failures > 0) this.o.store.log(`scaler: control loop works again after ${this.failures} failed step(s)`);
      this.failures = 0;
      this.lastError = null;
      return d;
    } catch (e) {
      this.failures++;
      const msg = errorMessage(e);
      if (msg !== this.lastError) {
        this.o.store.error("scaler: control step failed (the balancer keeps serving; retrying with backoff)", e);
        this.lastError = msg;
      }
      return undefined;
    }
  }
}

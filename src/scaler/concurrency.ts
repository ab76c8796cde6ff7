// What the balancer sees of each backend, for the concurrency policy:
// requests in flight (sent, not answered yet, queued ones included: the
// balancer's count plus the timed-out ones the VM still owes), averaged over
// the sample period from readings every 100 ms, and the backend's p99 (the
// balancer's 10 s latency window). An instantaneous count once a second would
// read a VM at 0.7 in flight as 0, 1 or 2; ten readings a period average that
// out, as Knative's queue-proxy averages concurrency per second for the KPA.
import type { BackendHealth } from "./ports.ts";

/** One backend's figures over the last period. */
export interface LbFigures {
  /** Mean requests in flight over the period. */
  inFlight: number;
  /** p99 latency (ms) of the balancer's window, null before any answer. */
  p99Ms: number | null;
}

export const SAMPLE_EVERY_MS = 100;

export class InFlightSampler {
  private sums = new Map<string, { sum: number; n: number }>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly backends: () => readonly BackendHealth[],
    private readonly everyMs = SAMPLE_EVERY_MS,
  ) {}

  /** Read every everyMs until stop() (the timer does not keep the process alive); take() alone reads once a period. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        this.sample();
      } catch {
        // The balancer's view failed: the step's own read of it reports that; this period just has fewer readings.
      }
    }, this.everyMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One reading of every backend in rotation or unhealthy (draining ones take no new load). */
  sample(list: readonly BackendHealth[] = this.backends()): void {
    for (const b of list) {
      if (b.state !== "active" && b.state !== "unhealthy") continue;
      const s = this.sums.get(b.id) ?? { sum: 0, n: 0 };
      s.sum += b.inFlight + (b.owed ?? 0);
      s.n++;
      this.sums.set(b.id, s);
    }
  }

  /** The period's figures per backend id (one more reading first, so a period is never empty), and a new period begins. */
  take(): Map<string, LbFigures> {
    const list = this.backends();
    this.sample(list);
    const p99 = new Map(list.map((b) => [b.id, b.p99Ms] as const));
    const out = new Map<string, LbFigures>();
    for (const [id, s] of this.sums) out.set(id, { inFlight: s.sum / s.n, p99Ms: p99.get(id) ?? null });
    this.sums.clear();
    return out;
  }
}

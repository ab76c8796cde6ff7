// What the balancer sees of each backend, for the concurrency policy:
// requests in flight (sent, not answered yet, queued ones included: the
// balancer's count plus the timed-out ones the VM still owes), averaged over
// the sample period from readings every 100 ms, and the backend's p99 (the
// balancer's 10 s latency window). An instantaneous count once a second would
// read a VM at 0.7 in flight as 0, 1 or 2; ten readings a period average that
// out, as Knative's queue-proxy averages concurrency per second for the KPA.
//
// The average is over time, not over readings: each reading holds until the
// next one. The readings run on the balancer's thread, so when that thread
// stalls (seen here for ~2 s while another VM was being saved), no request is
// forwarded and the count it had holds for the whole stall; counting readings
// instead would give the one reading right after the stall, when the backlog
// has just been forwarded, the weight of the whole period (a spurious panic).
import type { BackendHealth } from "./ports.ts";

/** One backend's figures over the last period. */
export interface LbFigures {
  /** Mean requests in flight over the period (time-weighted). */
  inFlight: number;
  /** p99 latency (ms) of the balancer's window, null before any answer. */
  p99Ms: number | null;
}

export const SAMPLE_EVERY_MS = 100;

interface Acc {
  /** In flight × ms, summed over the period so far, and the ms covered. */
  area: number;
  ms: number;
  /** The latest reading and when it was taken. */
  value: number;
  at: number;
}

export class InFlightSampler {
  private accs = new Map<string, Acc>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly backends: () => readonly BackendHealth[],
    private readonly everyMs = SAMPLE_EVERY_MS,
    private readonly now: () => number = () => performance.now(),
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

  /** One reading of every backend in rotation or unhealthy (draining ones take no new load): the previous reading held until now. */
  sample(list: readonly BackendHealth[] = this.backends()): void {
    const at = this.now();
    const seen = new Set<string>();
    for (const b of list) {
      if (b.state !== "active" && b.state !== "unhealthy") continue;
      seen.add(b.id);
      const value = b.inFlight + (b.owed ?? 0);
      const a = this.accs.get(b.id);
      if (!a) {
        this.accs.set(b.id, { area: 0, ms: 0, value, at });
        continue;
      }
      a.area += a.value * (at - a.at);
      a.ms += at - a.at;
      a.value = value;
      a.at = at;
    }
    // A backend that left rotation: its figures end with its last reading.
    for (const id of [...this.accs.keys()]) if (!seen.has(id)) this.accs.delete(id);
  }

  /** The period's figures per backend id (one more reading first), and a new period begins from that reading. */
  take(): Map<string, LbFigures> {
    const list = this.backends();
    this.sample(list);
    const p99 = new Map(list.map((b) => [b.id, b.p99Ms] as const));
    const out = new Map<string, LbFigures>();
    for (const [id, a] of this.accs) {
      // Only one reading in the period (a backend just added, or no timer): that reading.
      out.set(id, { inFlight: a.ms > 0 ? a.area / a.ms : a.value, p99Ms: p99.get(id) ?? null });
      a.area = 0;
      a.ms = 0;
    }
    return out;
  }
}

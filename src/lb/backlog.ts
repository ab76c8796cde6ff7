// The starvation guard. With the bun and node engines the runtime reads a UDP
// socket until it is empty, so a flood faster than the balancer forwards would
// never let timers (timeouts, health, stats) run. A heartbeat timer marks that
// timers still run; once requests kept the loop busy OVERLOAD_MS without a
// beat, new requests go to a bounded backlog (cheap: a copy, no send) that is
// forwarded in chunks between event-loop turns (setImmediate), and beyond the
// bound they are shed as `overload`. (The batch engine also yields to the
// loop after every 4 ms of work by itself.)
import type { StatsRow } from "./stats.ts";

/** Continuous request processing without a timer tick beyond this sheds load (see takes()). */
export const OVERLOAD_MS = 100;
/** Requests held while the event loop catches up; more are shed as `overload`. */
export const BACKLOG_MAX = 32768;
/** Backlog requests forwarded per event-loop turn. */
const BACKLOG_CHUNK = 512;
/** The heartbeat that tells the hot path timers still run. */
const HEARTBEAT_MS = 20;

type Forward = (data: Uint8Array, port: number, host: string, at: number) => void;

export class Backlog {
  /** When the current stretch of requests without a timer tick began (-1: a timer ran since). */
  private busySince = -1;
  /** Requests waiting while the loop catches up; `head` is the next to forward. */
  private queue: { data: Uint8Array; port: number; host: string; at: number }[] = [];
  private head = 0;
  private scheduled = false;
  private beat: ReturnType<typeof setInterval> | null = null;
  private closed = false;

  /** `forward` routes a request that arrived at `at`; `front` counts `queued` and `overload`. */
  constructor(
    private readonly forward: Forward,
    private readonly front: StatsRow,
  ) {}

  start(): void {
    this.beat = setInterval(() => (this.busySince = -1), HEARTBEAT_MS);
  }

  /** Requests waiting in the backlog. */
  get length(): number {
    return this.queue.length - this.head;
  }

  /** Whether this request, arrived at `now`, is the backlog's (queued behind others or because the loop is starved, or shed) rather than to be forwarded at once. */
  takes(data: Uint8Array, port: number, host: string, now: number): boolean {
    // Behind a non-empty backlog: keep the order.
    if (this.queue.length > this.head) return this.enqueue(data, port, host, now);
    if (this.busySince < 0) this.busySince = now;
    else if (now - this.busySince > OVERLOAD_MS) return this.enqueue(data, port, host, now);
    return false;
  }

  close(): void {
    this.closed = true;
    if (this.beat) clearInterval(this.beat);
    this.queue = [];
    this.head = 0;
  }

  private enqueue(data: Uint8Array, port: number, host: string, now: number): true {
    if (this.queue.length - this.head >= BACKLOG_MAX) {
      this.front.drop("overload");
      return true;
    }
    this.queue.push({ data: data.slice(), port, host, at: now });
    this.front.queued++;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
    return true;
  }

  /** Forward a chunk of the backlog, then give the event loop a turn (timers, I/O) before the next. */
  private readonly drain = (): void => {
    this.scheduled = false;
    if (this.closed) return;
    const q = this.queue;
    const end = Math.min(q.length, this.head + BACKLOG_CHUNK);
    for (let i = this.head; i < end; i++) {
      const r = q[i]!;
      this.forward(r.data, r.port, r.host, r.at);
    }
    this.head = end;
    if (end < q.length) {
      this.scheduled = true;
      setImmediate(this.drain);
    } else {
      this.queue = [];
      this.head = 0;
    }
  };
}

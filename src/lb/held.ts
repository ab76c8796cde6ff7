// The held queue: requests that arrive while no backend is in rotation (a
// group scaled to zero, or its last VM being replaced), kept while the scaler
// wakes a VM, then forwarded in arrival order, like Fly's proxy holding a
// request while it starts a stopped machine. Bounded twice: at most
// lb.hold_queue requests (beyond: dropped as no_backend_queue_full) and
// lb.hold_timeout_ms each (older: dropped as no_backend_timeout); every
// request is forwarded or counted, never lost silently. The first request
// held tells the demand listener (the scaler) at once, so a VM wakes on the
// request instead of on the next sample.
import type { StatsRow } from "./stats.ts";

/** While requests stay held, the demand listener is told again this often. */
const DEMAND_REPEAT_MS = 1000;

type Forward = (data: Uint8Array, port: number, host: string, at: number) => void;

interface Held {
  data: Uint8Array;
  port: number;
  host: string;
  at: number;
}

export interface HeldQueueOptions {
  /** lb.hold_queue: the most requests held at once (0: none). */
  max: number;
  /** lb.hold_timeout_ms. */
  timeoutMs: number;
  /** Counts `held` and the two drop reasons. */
  front: StatsRow;
}

export class HeldQueue {
  private q: Held[] = [];
  private head = 0;
  private demand: ((at: number) => void) | null = null;
  /** When the demand listener was last told (-1: not while this stretch of held requests lasts). */
  private toldAt = -1;

  constructor(private readonly o: HeldQueueOptions) {}

  /** The scaler's "demand with no backend" listener; holding is on only while one is set (nothing else would bring a backend). */
  onDemand(cb: ((at: number) => void) | null): void {
    this.demand = cb;
  }

  get length(): number {
    return this.q.length - this.head;
  }

  /** Whether requests with no backend are held (a listener is set and the queue has room for any). */
  get enabled(): boolean {
    return this.demand !== null && this.o.max > 0;
  }

  /** Hold one request that found no backend (the caller checked `enabled`); counted either way. */
  hold(data: Uint8Array, port: number, host: string, now: number): void {
    if (this.length >= this.o.max) return this.o.front.drop("no_backend_queue_full");
    this.q.push({ data: data.slice(), port, host, at: now });
    this.o.front.held++;
    // Told at the first request held, and again each second while requests keep waiting (a wake that failed is asked again).
    if (this.toldAt < 0 || now - this.toldAt >= DEMAND_REPEAT_MS) {
      this.toldAt = now;
      // The listener is the scaler's; its failure must not lose the request (it waits for its timeout).
      try {
        this.demand?.(now);
      } catch {
        /* the scaler reports its own failures */
      }
    }
  }

  /** Forward every held request (a backend is in rotation again), oldest first, each with the time it is forwarded. */
  release(forward: Forward, now: number): void {
    if (this.length === 0) return;
    const q = this.q;
    const from = this.head;
    this.q = [];
    this.head = 0;
    this.toldAt = -1;
    for (let i = from; i < q.length; i++) {
      const r = q[i]!;
      forward(r.data, r.port, r.host, now);
    }
  }

  /** Drop what waited past lb.hold_timeout_ms (the sweep timer, every <= 100 ms). */
  expire(now: number): void {
    const limit = now - this.o.timeoutMs;
    let n = 0;
    while (this.head < this.q.length && this.q[this.head]!.at <= limit) {
      this.head++;
      n++;
    }
    if (n > 0) this.o.front.drop("no_backend_timeout", n);
    if (this.head === this.q.length) {
      this.q = [];
      this.head = 0;
      this.toldAt = -1;
    } else if (this.head > 1024 && this.head * 2 > this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
  }

  /** Closing: what is still held cannot be answered now; counted as timed out waiting for a backend. */
  close(): void {
    if (this.length > 0) this.o.front.drop("no_backend_timeout", this.length);
    this.q = [];
    this.head = 0;
    this.toldAt = -1;
  }
}

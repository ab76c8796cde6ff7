// The load generator's send scheduler, open loop: a timer every PACE_MS
// sends what is due since the rate was set (in a batch when the timer ran
// late, so high rates work with coarse timers), whether or not answers came
// back. Apart from the generator so that the schedule's arithmetic (the
// first request at once, the backlog cap) is one small piece.

const PACE_MS = 10;
/** The scheduler never owes more than this much time's worth of requests (a stalled process does not burst). */
const MAX_BACKLOG_S = 1;

export class Pacer {
  private base = 0;
  private sentSinceBase = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Requests skipped because the scheduler fell more than MAX_BACKLOG_S behind. */
  skipped = 0;

  /** Restart the schedule at `now` (a new rate, the start, nowhere to send): the next request leaves at once. */
  restart(now: number): void {
    this.base = now;
    this.sentSinceBase = 0;
  }

  /**
   * How many requests are due at `now` at `perS` per second, taken as sent
   * (the caller sends them): the first at once, then one every 1/rate
   * seconds; beyond MAX_BACKLOG_S worth, they are skipped and counted.
   */
  due(now: number, perS: number): number {
    let due = Math.floor(((now - this.base) / 1000) * perS) + 1 - this.sentSinceBase;
    const cap = Math.max(1, Math.ceil(perS * MAX_BACKLOG_S));
    if (due > cap) {
      this.skipped += due - cap;
      this.sentSinceBase += due - cap;
      due = cap;
    }
    this.sentSinceBase += Math.max(0, due);
    return due;
  }

  /** Call `tick` every PACE_MS until stop(). */
  start(tick: () => void): void {
    this.timer = setInterval(tick, PACE_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

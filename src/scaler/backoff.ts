// Crash loops back off. A launch that fails the same way again and again (a
// guest that never gets a lease, a port the balancer refuses, an image that
// does not boot) would otherwise boot, fail and remove a VM every few seconds
// for as long as the group runs. Each failure that looks like the last one
// doubles the wait before the next launch, up to a cap; another kind of
// failure starts over at the base; a launch that serves clears it. Each step
// is said once, with the count and the wait, so the log shows the loop
// without one line per churned VM. Pure: the caller brings the clock.

export interface BackoffOptions {
  /** Wait after the first failure (ms). */
  baseMs: number;
  /** The longest wait (ms). */
  maxMs: number;
}

export interface BackoffStep {
  /** Failures in a row that look the same (1 for the first of its kind). */
  count: number;
  /** Wait before the next launch (ms). */
  delayMs: number;
  /** No launch before this time (the caller's clock). */
  until: number;
  /** What to log for this step. */
  message: string;
}

/**
 * What makes two failures "the same way": the message without the VM's name
 * (every launch has its own) and with every number as # (ports, addresses,
 * timings, counts differ from one launch to the next).
 */
export function failureKind(message: string, name?: string): string {
  let m = message;
  if (name) m = m.split(name).join("<vm>");
  return m.replace(/\d+(?:\.\d+)?/g, "#").replace(/\s+/g, " ").trim();
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`.replace(".0 s", " s");

export class LaunchBackoff {
  private kind: string | null = null;
  private count = 0;
  private blockedUntil = 0;

  constructor(private readonly o: BackoffOptions) {}

  /** A launch failed with `message` (of VM `name`) at `now`: the next step. */
  failed(message: string, name: string | undefined, now: number): BackoffStep {
    const kind = failureKind(message, name);
    this.count = kind === this.kind ? this.count + 1 : 1;
    this.kind = kind;
    const delayMs = Math.min(this.o.maxMs, this.o.baseMs * 2 ** (this.count - 1));
    this.blockedUntil = now + delayMs;
    const text =
      this.count === 1
        ? `launch${name ? ` of ${name}` : ""} failed (${message}); next try in ${seconds(delayMs)}`
        : `launch failed ${this.count} times the same way (${message}); next try in ${seconds(delayMs)}${delayMs >= this.o.maxMs ? " (the longest wait)" : ""}`;
    return { count: this.count, delayMs, until: this.blockedUntil, message: text };
  }

  /** Whether a failure with `message` (of VM `name`) would be a repeat of the last one (the caller then need not log it in full again). */
  isRepeat(message: string, name?: string): boolean {
    return this.kind !== null && failureKind(message, name) === this.kind;
  }

  /** A launch served: the next failure starts at the base again. Returns how many failures in a row it ends (0: none). */
  succeeded(): number {
    const n = this.count;
    this.kind = null;
    this.count = 0;
    this.blockedUntil = 0;
    return n;
  }

  /** Whether a launch must wait at `now`. */
  blocked(now: number): boolean {
    return now < this.blockedUntil;
  }

  /** Failures in a row of the current kind. */
  get failures(): number {
    return this.count;
  }

  /** No launch before this time (0: none waits). */
  get until(): number {
    return this.blockedUntil;
  }
}

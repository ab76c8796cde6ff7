// The size the group is driven to, and when it last changed. The policy and
// the commands change it through scaleTo (a scale event: the summary and the
// store's event stream); a VM that joins grows it by one without an event;
// reconcile reads it (a launch measures its decision-to-serving time from
// the last change).
import type { Store } from "../store.ts";
import type { GroupSummary } from "./group-summary.ts";

export class DesiredSize {
  private n: number;
  private changedAt: number | null = null;

  constructor(
    initial: number,
    private readonly o: { now: () => number; store: Store; summary: GroupSummary },
  ) {
    this.n = initial;
  }

  get value(): number {
    return this.n;
  }

  /** When the last scale action was taken (ms), null if never. */
  get lastScaleAt(): number | null {
    return this.changedAt;
  }

  /** The size the group starts at (what it adopted), before any scale action: no event. */
  reset(n: number): void {
    this.n = n;
  }

  /** A scale action: out or in, with its reason. */
  scaleTo(to: number, reason: string, action: "out" | "in"): void {
    const from = this.n;
    this.n = to;
    this.changedAt = this.o.now();
    const ev = { ts: this.changedAt, action, from, to, reason };
    this.o.summary.scaleEvents.push(ev);
    this.o.store.emit({ type: "scale", ...ev });
  }

  /** A VM joined (adopt.ts): capacity the user added, so the group grows by one within max, with no launch. */
  grow(max: number): number {
    this.n = Math.min(max, this.n + 1);
    this.changedAt = this.o.now();
    return this.n;
  }
}

// How long the group has gone without a request, for scale to zero
// (scaler.min 0, scaler.idle_timeout_s). The balancer's per-backend request
// counters are read once per step (a count that grew is a request since the
// last step); a request held while no backend serves (the balancer's demand
// signal) counts too. A new backend starts at the count it has when first
// seen, so joining the balancer is not a request.
export class IdleClock {
  private readonly seen = new Map<string, number>();
  private lastAt: number;

  constructor(now: number) {
    this.lastAt = now;
  }

  /** Fold in the balancer's backends (id, requests routed to it so far). */
  observe(backends: readonly { id: string; requestsIn: number }[], now: number): void {
    const live = new Set<string>();
    for (const b of backends) {
      live.add(b.id);
      const before = this.seen.get(b.id);
      if (before !== undefined && b.requestsIn > before) this.lastAt = now;
      this.seen.set(b.id, b.requestsIn);
    }
    for (const id of this.seen.keys()) if (!live.has(id)) this.seen.delete(id);
  }

  /** A request arrived with no backend to take it (held by the balancer). */
  demand(now: number): void {
    this.lastAt = now;
  }

  /** Seconds since the last request (or since the clock started). */
  idleS(now: number): number {
    return Math.max(0, (now - this.lastAt) / 1000);
  }
}

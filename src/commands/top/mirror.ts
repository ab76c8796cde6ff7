// A local Store that mirrors a remote `virtscale up` (read over its HTTP API):
// the dashboard draws it exactly as it draws the owner's store. The remote
// already reports every VM state change as an event; the local setVms would
// report the same change again, so those derived events are held back while a
// remote tick is applied.
import type { VirtscaleEvent } from "../../events.ts";
import { Store } from "../../store.ts";

export type TickEvent = Extract<VirtscaleEvent, { type: "tick" }>;

/** What GET /v1/state answers (src/api/routes/observe.ts). */
export interface StateSnapshot {
  tick: TickEvent;
  history: Record<string, (number | null)[]>;
  events: VirtscaleEvent[];
  commands: string[];
  busy: Record<string, string>;
  period_s: number;
}

export class MirrorStore extends Store {
  #applying = false;

  override emit(ev: VirtscaleEvent): void {
    // setVms' own "vm" events: the remote sends its own, with the owner's timestamps and details.
    if (this.#applying && ev.type === "vm") return;
    super.emit(ev);
  }

  /** The remote's state now: VMs (their CPU sample appended to the history), scaler, balancer, load. */
  applyTick(t: TickEvent): void {
    this.#quietly(() => this.setVms(t.vms));
    if (t.scaler) this.setScaler(t.scaler);
    if (t.lb) this.setLb(t.lb);
    this.setLoad(t.load);
    super.emit(t);
  }

  /** Start from a /v1/state answer: the CPU histories (so the chart is not empty at first), the last events, the current tick. */
  seed(s: StateSnapshot): void {
    // Histories align on the newest sample (a VM that joined later has a shorter one): replay them sample by
    // sample, each VM entering at its first sample, so the store builds the same histories it would have recorded.
    const byName = new Map(s.tick.vms.map((v) => [v.name, v]));
    const longest = Math.max(0, ...[...byName.keys()].map((n) => s.history[n]?.length ?? 0));
    this.#quietly(() => {
      for (let k = longest; k >= 2; k--) {
        const vms = [...byName.values()].filter((v) => (s.history[v.name]?.length ?? 0) >= k).map((v) => ({ ...v, cpuPct: s.history[v.name]![s.history[v.name]!.length - k]! }));
        this.setVms(vms);
      }
    });
    for (const ev of s.events) if (ev.type !== "tick") super.emit(ev);
    this.applyTick(s.tick);
  }

  #quietly(fn: () => void): void {
    this.#applying = true;
    try {
      fn();
    } finally {
      this.#applying = false;
    }
  }
}

// The load generator's phases: every rate change starts one, and a request
// counts in the phase that sent it (its tag), so a phase's figures say how
// the group served that load. Apart from the generator so that the phase
// bookkeeping (which phase a tag names, which phases are listed, the view's
// times and percentiles) is one piece.
import type { LoadPhaseView } from "../events.ts";
import { LogHistogram } from "../net/histogram.ts";

/** Phases kept for the view (the oldest are dropped beyond; their requests still count in the totals). */
const MAX_PHASES = 32;

export interface Phase {
  phase: string;
  rate: string;
  perSecond: number;
  startedAt: number;
  endedAt: number | null;
  sent: number;
  answered: number;
  late: number;
  timedOut: number;
  wrong: number;
  hist: LogHistogram;
}

export class Phases {
  private list: Phase[] = [];
  /** Index (in the run) of list[0]: the requests' phase tags count from the run's first phase. */
  private base = 0;

  /** The phase now (the last begun). */
  current(): Phase | undefined {
    return this.list.at(-1);
  }

  /** The tag a request sent now carries. */
  get tag(): number {
    return this.base + this.list.length - 1;
  }

  /** A new phase from `now`: the current one ends, or goes if it saw nothing. */
  begin(name: string, now: number, rate: { label: string; perSecond: number }): void {
    const cur = this.list.at(-1);
    // A phase that saw nothing (off, pending, set and changed at once) is replaced, not listed.
    if (cur && cur.sent === 0 && cur.wrong === 0) this.list.pop();
    else if (cur) cur.endedAt = now;
    this.list.push({ phase: name, rate: rate.label, perSecond: rate.perSecond, startedAt: now, endedAt: null, sent: 0, answered: 0, late: 0, timedOut: 0, wrong: 0, hist: new LogHistogram() });
    if (this.list.length > MAX_PHASES) {
      this.list.shift();
      this.base++;
    }
  }

  /** The phase a request's tag names, undefined when it was dropped from the view. */
  at(tag: number | undefined): Phase | undefined {
    return tag === undefined ? undefined : this.list[tag - this.base];
  }

  /** The phases that saw something, and the current one, with times from `t0` (the run's start; 0: not started). */
  views(now: number, t0: number): LoadPhaseView[] {
    const ms = (h: LogHistogram, q: number) => {
      const v = h.quantile(q);
      return v === null ? null : Math.round(v) / 1000;
    };
    const s = (t: number) => Math.round((Math.max(t, t0) - t0) / 100) / 10;
    return this.list
      .filter((p) => p.sent > 0 || p.wrong > 0 || p === this.list.at(-1))
      .map((p) => ({
        phase: p.phase,
        rate: p.rate,
        perSecond: p.perSecond,
        startS: t0 ? s(p.startedAt) : 0,
        durationS: t0 ? Math.round((Math.max(p.endedAt ?? now, t0) - Math.max(p.startedAt, t0)) / 100) / 10 : 0,
        sent: p.sent,
        answered: p.answered,
        late: p.late,
        timedOut: p.timedOut,
        wrong: p.wrong,
        inFlight: Math.max(0, p.sent - p.answered - p.timedOut),
        inTimePct: p.sent ? Math.round((p.answered / p.sent) * 1000) / 10 : null,
        p50Ms: ms(p.hist, 0.5),
        p99Ms: ms(p.hist, 0.99),
      }));
  }
}

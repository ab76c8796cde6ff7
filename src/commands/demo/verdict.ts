// Did the demo serve? The verdict over the load generator's final figures:
// any wrong answer, or less than the required share answered within the
// timeout, is a problem the summary names (with the phases it happened in),
// and the headless demo exits non-zero for it. Pure: tested on figures.
import type { LoadPhaseView, LoadView } from "../../events.ts";

export interface Totals {
  sent: number;
  answered: number;
  late: number;
  timedOut: number;
  wrong: number;
  /** answered / sent in %, null when nothing was sent. */
  inTimePct: number | null;
}

export interface Verdict {
  total: Totals;
  phases: LoadPhaseView[];
  problems: string[];
}

const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);

export function verdict(load: (LoadView & { late?: number }) | undefined, minInTimePct: number): Verdict {
  if (!load) return { total: { sent: 0, answered: 0, late: 0, timedOut: 0, wrong: 0, inTimePct: null }, phases: [], problems: ["no load generator figures (the run ended before any load)"] };
  const phases = (load.phases ?? []).filter((p) => p.sent > 0 || p.wrong > 0);
  const total: Totals = {
    sent: load.sent,
    answered: load.answered,
    late: load.late ?? phases.reduce((a, p) => a + p.late, 0),
    timedOut: load.timedOut,
    wrong: load.wrong,
    inTimePct: pct(load.answered, load.sent),
  };
  const problems: string[] = [];
  if (total.wrong > 0) {
    const where = phases.filter((p) => p.wrong > 0).map((p) => `${p.phase} ${p.wrong}`);
    problems.push(`${total.wrong} wrong answer(s)${where.length ? ` (${where.join(", ")})` : ""}`);
  }
  if (total.sent === 0) problems.push("no request was sent");
  else if (total.inTimePct! < minInTimePct) {
    const per = phases.map((p) => `${p.phase} ${p.inTimePct ?? "-"} %`).join(", ");
    problems.push(
      `answered in time ${total.inTimePct} % of ${total.sent} (< ${minInTimePct} %): ${total.timedOut} timed out, ${total.late} of them answered late${per ? `; by phase: ${per}` : ""}`,
    );
  }
  return { total, phases, problems };
}

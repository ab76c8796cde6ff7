// Request rates: low / mid / high, `off`, or an explicit `N/s`. A named level
// is, in this order: 1 / load_request_time_period_seconds_* when the config
// sets it; else a fixed fraction of one VM's measured capacity (cost.ts
// LEVELS); else, while that measurement is under way, nothing (pending);
// else, when nothing was measured (a target that is no virtscale group, a host
// without a cached cost), the assignment's periods of 1, 0.1 and 0.02 s.
import type { Config } from "../config.ts";
import { LEVELS, type LevelName } from "./cost.ts";

export interface Rate {
  /** As given: low, mid, high, off or N/s. */
  label: string;
  perSecond: number;
  /** Where a named level's rate comes from, in words (absent for off and N/s). */
  basis?: string;
  /** A named level waiting for the request cost to be measured: sends nothing until then. */
  pending?: boolean;
}

export type RateName = "low" | "mid" | "high" | "off" | `${number}/s`;

/** What the named levels are resolved against. */
export interface RateContext {
  /** Requests per second one VM serves (cost.ts vmCapacityPerS), when measured. */
  capacityPerS?: number;
  /** The capacity is being measured: a named level sends nothing until it is known. */
  pending?: boolean;
}

/** The assignment's client.conf periods, used only when nothing better is known. */
export const ASSIGNMENT_PERIODS_S: Record<LevelName, number> = { low: 1, mid: 0.1, high: 0.02 };

const PERIOD_KEY = {
  low: "load_request_time_period_seconds_low",
  mid: "load_request_time_period_seconds_mid",
  high: "load_request_time_period_seconds_high",
} as const;

export function parseRate(rate: string, config: Config, ctx: RateContext = {}): Rate {
  const r = rate.trim();
  if (r === "low" || r === "mid" || r === "high") return levelRate(r, config, ctx);
  if (r === "off") return { label: r, perSecond: 0 };
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(r);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(n) || n > 10_000_000)
    throw new Error(`rate: expected low, mid, high, off or N/s (0..10000000), got '${rate}'`);
  return { label: `${n}/s`, perSecond: n };
}

function levelRate(level: LevelName, config: Config, ctx: RateContext): Rate {
  const key = PERIOD_KEY[level];
  const period = config[key];
  if (period !== undefined) return { label: level, perSecond: 1 / period, basis: `config ${key} = ${period} s` };
  const cap = ctx.capacityPerS;
  if (cap !== undefined && cap > 0) {
    const pct = Math.round(LEVELS[level] * 100);
    return { label: level, perSecond: roundLevel(LEVELS[level] * cap), basis: `${pct} % of one VM (one VM serves ${cap >= 100 ? Math.round(cap) : cap.toFixed(1)}/s)` };
  }
  if (ctx.pending) return { label: level, perSecond: 0, basis: "waiting for one VM's capacity to be measured", pending: true };
  const p = ASSIGNMENT_PERIODS_S[level];
  return { label: level, perSecond: 1 / p, basis: `the assignment's period ${p} s (one VM's capacity is not measured here)` };
}

/** Two significant digits (6.6/s, 66/s, 660/s), never 0. */
export function roundLevel(x: number): number {
  if (!Number.isFinite(x)) return 10_000_000;
  const digits = 1 - Math.floor(Math.log10(Math.max(x, 1e-9)));
  const f = 10 ** digits;
  return Math.min(10_000_000, Math.max(0.1, Math.round(x * f) / f));
}

// Request rates: the assignment's low/mid/high (1 / load_request_time_period_seconds_*),
// `off`, or an explicit `N/s`.
import type { Config } from "../config.ts";

export interface Rate {
  /** As given: low, mid, high, off or N/s. */
  label: string;
  perSecond: number;
}

export type RateName = "low" | "mid" | "high" | "off" | `${number}/s`;

export function parseRate(rate: string, config: Config): Rate {
  const r = rate.trim();
  switch (r) {
    case "low":
      return { label: r, perSecond: 1 / config.load_request_time_period_seconds_low };
    case "mid":
      return { label: r, perSecond: 1 / config.load_request_time_period_seconds_mid };
    case "high":
      return { label: r, perSecond: 1 / config.load_request_time_period_seconds_high };
    case "off":
      return { label: r, perSecond: 0 };
  }
  const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(r);
  const n = m ? Number(m[1]) : NaN;
  if (!m || !Number.isFinite(n) || n > 10_000_000)
    throw new Error(`rate: expected low, mid, high, off or N/s (0..10000000), got '${rate}'`);
  return { label: `${n}/s`, perSecond: n };
}

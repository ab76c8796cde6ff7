// The "threshold" policy (the assignment's): average CPU of the serving VMs
// above `high` for the whole window -> one more VM; below `low` for the whole
// window -> one fewer. A window only starts after the last scale action and
// after the last change of the serving set, so every action needs a fresh one.
// Its own file so that each policy reads on its own; decide() (policy.ts)
// applies the bounds and host capacity around it.
import type { Decision, GroupState, PolicyConfig, Sample } from "./policy-types.ts";
import { pct, runStart, secs, servingAverage } from "./policy-samples.ts";

export function threshold(
  history: readonly Sample[],
  group: GroupState,
  c: PolicyConfig,
  avgCpu: number,
  none: (reason: string, remaining?: number | null) => Decision,
): Decision {
  const base = group.desired;
  const high = avgCpu > c.high;
  const low = avgCpu < c.low;
  if (!high && !low) return none(`avg ${pct(avgCpu)} within ${pct(c.low)}..${pct(c.high)}`);
  const hotNone = (reason: string, remaining: number | null = null): Decision => ({ ...none(reason, remaining), hot: high });

  // The run: the longest suffix of samples where the same condition holds.
  const holds = (s: Sample) => {
    const a = servingAverage(s);
    return a !== null && (high ? a > c.high : a < c.low);
  };
  let start = runStart(history, holds);
  // A fresh window after every action and every change of the serving set.
  const fresh = Math.max(group.lastScaleAt ?? -Infinity, group.servingChangedAt ?? -Infinity);
  if (fresh > start) start = fresh;
  const end = history.at(-1)!.ts;
  const held = Math.max(0, end - start);
  const windowMs = c.windowS * 1000;
  const cmp = high ? `> ${pct(c.high)}` : `< ${pct(c.low)}`;
  if (held < windowMs) {
    const remaining = (windowMs - held) / 1000;
    return hotNone(`avg ${pct(avgCpu)} ${cmp} for ${secs(held)} of ${secs(windowMs)}`, remaining);
  }
  const what = `avg ${pct(avgCpu)} ${cmp} for ${secs(held)}`;
  if (high) {
    if (base >= c.max) return hotNone(`${what}, at max ${c.max}`);
    // The starting VMs are capacity already asked for and not yet measured.
    if (group.starting > 0) return hotNone(`${what}, waiting for ${group.starting} starting VM${group.starting > 1 ? "s" : ""}`);
    return { desired: base + 1, reason: `${what}: ${base} → ${base + 1}`, action: "out", avgCpu, windowRemainingS: 0, hot: true };
  }
  if (base <= c.min) return none(`${what}, at min ${c.min}`);
  return { desired: base - 1, reason: `${what}: ${base} → ${base - 1}`, action: "in", avgCpu, windowRemainingS: 0 };
}

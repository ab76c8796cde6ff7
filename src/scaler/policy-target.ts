// The "target" policy (target tracking, like Kubernetes' HPA): desired =
// ceil(serving * avg / target) when avg is outside the tolerance band, with
// scale-up / scale-down stabilization windows (min / max of the
// recommendations over the window, as HPA does), a cooldown after each
// action, and min / max bounds. Its own file so that each policy reads on its
// own; decide() (policy.ts) applies the bounds and host capacity around it.
import type { Decision, GroupState, PolicyConfig, Sample } from "./policy-types.ts";
import { clamp, pct, remainingFor, secs, servingAverage } from "./policy-samples.ts";

export function target(
  history: readonly Sample[],
  group: GroupState,
  c: PolicyConfig,
  now: number,
  avgCpu: number,
  none: (reason: string, remaining?: number | null) => Decision,
): Decision {
  const base = group.desired;

  // The recommendation of one sample. Only serving VMs are capacity: a VM still
  // starting is neither counted in `serving` nor read as 0 % CPU. A sample with
  // no figure recommends no change (it blocks both stabilization windows).
  const recommend = (s: Sample): number => {
    const a = servingAverage(s);
    const serving = s.vms.filter((v) => v.role === "serving").length;
    if (a === null || serving === 0) return base;
    const ratio = a / c.target;
    if (Math.abs(ratio - 1) <= c.tolerance) return base;
    return clamp(Math.ceil(serving * ratio), c.min, c.max);
  };
  const last = history.at(-1)!;
  const rec = recommend(last);
  const ratio = avgCpu / c.target;
  const band = Math.abs(ratio - 1) <= c.tolerance;

  // Stabilization: scale up only to the lowest recommendation of the up window,
  // down only to the highest of the down window (HPA's behavior).
  const windowRecs = (windowS: number): number[] => {
    const from = last.ts - windowS * 1000;
    const recs: number[] = [];
    for (let k = history.length - 1; k >= 0 && history[k]!.ts >= from; k--) recs.push(recommend(history[k]!));
    // Not enough history to cover the window: the unseen part recommends no change.
    const covered = windowS === 0 || history[0]!.ts <= from;
    if (!covered) recs.push(base);
    return recs;
  };
  const up = Math.min(...windowRecs(c.upStabilizationS));
  const down = Math.max(...windowRecs(c.downStabilizationS));
  const what = `avg ${pct(avgCpu)} vs target ${pct(c.target)}`;

  let desired = base;
  let stabilizedMs: number | null = null;
  if (rec > base) {
    desired = Math.max(base, up);
    if (desired === base) stabilizedMs = remainingFor(history, (s) => recommend(s) > base, c.upStabilizationS);
  } else if (rec < base) {
    desired = Math.min(base, down);
    if (desired === base) stabilizedMs = remainingFor(history, (s) => recommend(s) < base, c.downStabilizationS);
  }
  const hot = !band && ratio > 1;
  const held = (reason: string, remaining: number | null = null): Decision => ({ ...none(reason, remaining), hot });
  if (desired === base) {
    if (band) return none(`${what} within ±${Math.round(c.tolerance * 100)} %`);
    if (ratio > 1 && base >= c.max) return held(`${what}, at max ${c.max}`);
    if (ratio < 1 && base <= c.min) return held(`${what}, at min ${c.min}`);
    if (rec === base) return held(`${what}: ${base} is right`);
    const dir = rec > base ? "up" : "down";
    return held(`${what} wants ${rec}, ${dir} stabilization`, stabilizedMs === null ? null : stabilizedMs / 1000);
  }

  // Cooldown after the last action.
  if (group.lastScaleAt !== null) {
    const left = group.lastScaleAt + c.cooldownS * 1000 - now;
    if (left > 0) return held(`${what} wants ${desired}, cooldown ${secs(left)} left`, left / 1000);
  }
  const action = desired > base ? "out" : "in";
  return { desired, reason: `${what}: ${base} → ${desired}`, action, avgCpu, windowRemainingS: 0, hot };
}

// The "concurrency" policy (Knative's KPA): the balancer's requests in
// flight, which rise the moment a VM cannot keep up, before a CPU sample
// shows it. desired = ceil(in flight over the stable window / target per VM);
// when the short panic window's average reaches panic_threshold x target per
// serving VM, the group scales out at once and does not scale in until a
// stable window has passed without panic. A stable scale-out also needs the
// latest period to want it (the stable average still holds a backlog that a
// scale-out has already cleared). A latency guard adds one VM when the
// slowest serving VM's p99 stays above latency_p99_ms for latency_window_s.
// Its own file so that each policy reads on its own; decide() (policy.ts)
// applies the bounds and host capacity around it.
import { LB_LATENCY_WINDOW_S, type Decision, type GroupState, type PolicyConfig, type Sample } from "./policy-types.ts";
import { clamp, remainingFor, runStart, secs } from "./policy-samples.ts";

/** The serving VMs' total requests in flight in one sample and how many they are; null when a serving VM has no figure (or none serves). */
function inFlightOf(s: Sample): { total: number; ready: number } | null {
  let total = 0;
  let ready = 0;
  for (const vm of s.vms) {
    if (vm.role !== "serving") continue;
    if (vm.inFlight === null || vm.inFlight === undefined || !Number.isFinite(vm.inFlight)) return null;
    total += vm.inFlight;
    ready++;
  }
  return ready === 0 ? null : { total, ready };
}

/** The slowest serving VM's p99 in one sample (ms), null when none has one. */
function p99Of(s: Sample): number | null {
  let worst: number | null = null;
  for (const vm of s.vms) if (vm.role === "serving" && typeof vm.p99Ms === "number" && (worst === null || vm.p99Ms > worst)) worst = vm.p99Ms;
  return worst;
}

/**
 * The average of the serving VMs' total in flight over the `windowS` seconds
 * that end with sample `end` (samples without figures are left out), and the
 * serving VMs then; null when no sample of the window has figures.
 */
function windowAverage(history: readonly Sample[], end: number, windowS: number): { total: number; ready: number } | null {
  const from = history[end]!.ts - windowS * 1000;
  let sum = 0;
  let n = 0;
  // A sample covers the period before it: the one at exactly `from` covers time before the window.
  for (let k = end; k >= 0 && history[k]!.ts > from; k--) {
    const f = inFlightOf(history[k]!);
    if (!f) continue;
    sum += f.total;
    n++;
  }
  const ready = inFlightOf(history[end]!)?.ready ?? 0;
  return n === 0 || ready === 0 ? null : { total: sum / n, ready };
}

const conc = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(2));

export function concurrency(history: readonly Sample[], group: GroupState, c: PolicyConfig, now: number, avgCpu: number | null): Decision {
  const base = group.desired;
  const lastIdx = history.length - 1;
  const last = history[lastIdx]!;
  const nowFig = inFlightOf(last);
  const p99 = p99Of(last);
  const out = (d: Omit<Decision, "avgCpu" | "concurrency" | "p99Ms">): Decision => ({ ...d, avgCpu, concurrency: nowFig ? nowFig.total / nowFig.ready : null, p99Ms: p99 });
  const none = (reason: string, hot = false, windowRemainingS: number | null = null) => out({ desired: base, reason, action: "none", windowRemainingS, hot });
  if (!nowFig) return none(group.serving === 0 ? "no serving VM to measure" : "no balancer figures for the serving VMs yet");

  const target = c.concurrencyTarget;
  const desiredOf = (total: number) => clamp(Math.ceil(total / target - 1e-9), c.min, c.max);
  const stable = windowAverage(history, lastIdx, c.stableWindowS)!;
  const panic = windowAverage(history, lastIdx, c.panicWindowS)!;
  const panicAt = c.panicThreshold * target;
  const isPanic = (k: number) => {
    const w = windowAverage(history, k, c.panicWindowS);
    return w !== null && w.total / w.ready >= panicAt;
  };
  // Panic mode: entered when the panic window's average per serving VM reaches panicAt, kept for a stable window after the last such sample (KPA).
  let panicLastAt: number | null = null;
  for (let k = lastIdx; k >= 0 && history[k]!.ts > last.ts - c.stableWindowS * 1000; k--)
    if (isPanic(k)) {
      panicLastAt = history[k]!.ts;
      break;
    }
  const perVm = (w: { total: number; ready: number }) => w.total / w.ready;
  const stableWhat = `${conc(perVm(stable))} in flight per VM over ${c.stableWindowS} s vs target ${target}`;

  // The latency guard: p99 above the limit for latencyWindowS, counted once the balancer's window holds only answers from after the last action.
  let guard: { what: string; remaining: number | null; fire: boolean } | null = null;
  if (c.latencyP99Ms > 0 && p99 !== null && p99 > c.latencyP99Ms) {
    let start = runStart(history, (s) => {
      const v = p99Of(s);
      return v !== null && v > c.latencyP99Ms;
    });
    const fresh = Math.max(group.lastScaleAt ?? -Infinity, group.servingChangedAt ?? -Infinity) + LB_LATENCY_WINDOW_S * 1000;
    if (fresh > start) start = fresh;
    const held = Math.max(0, last.ts - start);
    const need = c.latencyWindowS * 1000;
    const what = `p99 ${Math.round(p99)} ms > ${c.latencyP99Ms} ms`;
    guard = held >= need ? { what: `${what} for ${secs(held)}`, remaining: 0, fire: true } : { what: `${what} for ${secs(held)} of ${secs(need)}`, remaining: (need - held) / 1000, fire: false };
  }

  const hot = panicLastAt !== null || perVm(stable) > target || Boolean(guard);
  const starting = group.starting > 0 ? `, waiting for ${group.starting} starting VM${group.starting > 1 ? "s" : ""}` : "";

  // Panic: at once, to what the panic window asks for; never in.
  if (panicLastAt !== null) {
    const want = Math.max(base, desiredOf(panic.total));
    const panicWhat = `panic: ${conc(perVm(panic))} in flight per VM over ${c.panicWindowS} s (≥ ${c.panicThreshold} × target ${target})`;
    if (want > base && !starting) return out({ desired: want, reason: `${panicWhat}: ${base} → ${want}`, action: "out", windowRemainingS: 0, hot: true });
    if (base >= c.max && want >= base) return none(`${panicWhat}, at max ${c.max}`, true);
    const leftS = (panicLastAt + c.stableWindowS * 1000 - last.ts) / 1000;
    return none(`panic mode for ${leftS.toFixed(1)} s more (no scale-in): ${stableWhat}${starting}`, true, leftS);
  }

  // Stable: the window's average, and the latest period must want a scale-out too.
  const stableRec = desiredOf(stable.total);
  const latestRec = desiredOf(nowFig.total);
  if (Math.min(stableRec, latestRec) > base || guard?.fire) {
    if (base >= c.max) return none(`${guard?.fire ? guard.what : stableWhat}, at max ${c.max}`, true);
    if (starting) return none(`${guard?.fire ? guard.what : stableWhat}${starting}`, true);
    const to = Math.max(Math.min(stableRec, latestRec), guard?.fire ? base + 1 : 0);
    const why = guard?.fire && Math.min(stableRec, latestRec) <= base ? `latency guard: ${guard.what}` : stableWhat;
    return out({ desired: clamp(to, c.min, c.max), reason: `${why}: ${base} → ${clamp(to, c.min, c.max)}`, action: "out", windowRemainingS: 0, hot: true });
  }
  if (guard && !guard.fire) return none(`latency guard: ${guard.what}; ${stableWhat}`, true, guard.remaining);

  // Scale-in: the highest recommendation over the down-stabilization window (each sample's own stable average).
  if (stableRec < base) {
    let down = stableRec;
    const from = last.ts - c.downStabilizationS * 1000;
    for (let k = lastIdx - 1; k >= 0 && history[k]!.ts >= from; k--) {
      const w = windowAverage(history, k, c.stableWindowS);
      down = Math.max(down, w ? desiredOf(w.total) : base);
    }
    const covered = c.downStabilizationS === 0 || history[0]!.ts <= from;
    if (!covered) down = base;
    if (down < base) return out({ desired: down, reason: `${stableWhat}: ${base} → ${down}`, action: "in", windowRemainingS: 0, hot: false });
    const remaining = remainingFor(history, (s) => {
      const f = inFlightOf(s);
      return f !== null && desiredOf(f.total) < base;
    }, c.downStabilizationS);
    return none(`${stableWhat} wants ${stableRec}, down stabilization`, false, remaining / 1000);
  }
  if (base <= c.min && perVm(stable) < target) return none(`${stableWhat}, at min ${c.min}`);
  return none(`${stableWhat}: ${base} is right`, hot);
}

// Helpers that every scaling policy (policy-*.ts) reads the history with:
// the serving VMs' average CPU, when the current run of samples began and
// how long until it covers a window, and the figures' wording. One place, so
// that "a run counts from the sample before its first one" means the same in
// every policy.
import type { Sample } from "./policy-types.ts";

/** Average CPU % of the serving VMs that have a figure; null when none has. */
export function servingAverage(s: Sample): number | null {
  let sum = 0;
  let n = 0;
  for (const vm of s.vms) {
    if (vm.role !== "serving" || vm.cpuPct === null || !Number.isFinite(vm.cpuPct)) continue;
    sum += vm.cpuPct;
    n++;
  }
  return n === 0 ? null : sum / n;
}

export const pct = (x: number) => `${Math.round(x)} %`;
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/**
 * When the current run of samples satisfying `p` (the longest suffix of the
 * history, at least the latest sample) began. A sample's CPU figure covers the
 * period before it, so the run counts from the sample before its first one
 * (or from its first one when the history starts with it).
 */
export function runStart(history: readonly Sample[], p: (s: Sample) => boolean): number {
  let i = history.length - 1;
  while (i > 0 && p(history[i - 1]!)) i--;
  return i > 0 ? history[i - 1]!.ts : history[i]!.ts;
}

/** Milliseconds until the current run of samples satisfying `p` covers windowS seconds. */
export function remainingFor(history: readonly Sample[], p: (s: Sample) => boolean, windowS: number): number {
  return Math.max(0, windowS * 1000 - (history.at(-1)!.ts - runStart(history, p)));
}

// What one request costs a server VM, and what the named load levels mean in
// requests per second. The cost is guest CPU time as libvirt's cpu.time
// counts it: the same figure the scaler's CPU % is made of. So "x % of one
// VM" here is the CPU % the scaler sees for that load on one VM (plus the
// idle guest's own few %): the load generator and the scaler agree on the
// cost model by construction.
//
// A request for n costs `overheadMs + n * scale * nsPerStep / 1e6` ms (the
// server's work is exactly n * scale LCG steps; the overhead is the guest's
// network path and server loop). Both terms are measured on this host for
// this image (calibrate.ts) and cached with the image, so the model holds for
// any req_num range and work scale a config picks.

/**
 * The named levels as fractions of one VM's capacity (used unless the config
 * sets load_request_time_period_seconds_*). low and mid are the assignment's
 * ~30 % and ~50 %. high is 120 %, not 80 %: it must drive a real scale-out,
 * so it has to stay above the 80 % threshold on one VM and inside the
 * 35..80 % band on two (120 / 2 = 60 %). 120 % leaves a margin of 1.5x to the
 * first bound (80 %) and 1.33x to the second (160 %) for an error in the
 * measured cost, and two VMs at 60 % leave a 2-core host most of a core for
 * the balancer, the load generator and QEMU's own threads. low on two VMs is
 * 15 % each (below 35 %: scale in); mid is 50 % on one VM, 25 % each on two,
 * so mid settles on one VM.
 */
export const LEVELS = { low: 0.3, mid: 0.5, high: 1.2 } as const;
export type LevelName = keyof typeof LEVELS;

export interface RequestCost {
  /** Guest CPU ms of one request besides its work (n * scale LCG steps). */
  overheadMs: number;
  /** Guest CPU ns per LCG step. */
  nsPerStep: number;
  /** Whose cost: `ACCEL@HOSTNAME` (tcg@box): the cache key beside the image id. */
  host: string;
  imageId?: string;
  /** ISO time of the measurement. */
  measuredAt: string;
  /** Per-request ms of each warm round at refSteps (the median is what the model uses). */
  samplesMs: number[];
  /** LCG steps of the reference request the rounds sent. */
  refSteps: number;
  /** max / min of the warm rounds: how steady the measurement was. */
  spread: number;
  /** Host CPU busy % (all processes, /proc/stat) while it measured, when known. */
  hostBusyPct?: number;
  /** Read from the image's cache, or measured in this run. */
  source?: "cached" | "measured";
}

/** Guest CPU ms of one request for n at this work scale. */
export function requestMs(cost: Pick<RequestCost, "overheadMs" | "nsPerStep">, n: number, scale: number): number {
  return cost.overheadMs + (n * scale * cost.nsPerStep) / 1e6;
}

/** Mean guest CPU ms of a request with n uniform in [nLow, nHigh] (cost is linear in n). */
export function meanRequestMs(cost: Pick<RequestCost, "overheadMs" | "nsPerStep">, r: { nLow: number; nHigh: number; scale: number }): number {
  return requestMs(cost, (r.nLow + r.nHigh) / 2, r.scale);
}

/** Requests per second one VM serves at 100 % CPU for this request mix. */
export function vmCapacityPerS(cost: Pick<RequestCost, "overheadMs" | "nsPerStep">, r: { nLow: number; nHigh: number; scale: number }): number {
  const ms = meanRequestMs(cost, r);
  return ms > 0 ? 1000 / ms : Infinity;
}

/** A cached record read back from disk, checked (null when it is not one). */
export function parseCost(raw: unknown): RequestCost | null {
  if (typeof raw !== "object" || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const num = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  if (!num(r.overheadMs) || !num(r.nsPerStep) || typeof r.host !== "string" || typeof r.measuredAt !== "string") return null;
  if (!Array.isArray(r.samplesMs) || !r.samplesMs.every(num) || !num(r.refSteps) || !num(r.spread)) return null;
  return {
    overheadMs: r.overheadMs as number,
    nsPerStep: r.nsPerStep as number,
    host: r.host,
    imageId: typeof r.imageId === "string" ? r.imageId : undefined,
    measuredAt: r.measuredAt,
    samplesMs: r.samplesMs as number[],
    refSteps: r.refSteps as number,
    spread: r.spread as number,
    hostBusyPct: num(r.hostBusyPct) ? (r.hostBusyPct as number) : undefined,
  };
}

/** One line for logs: `18.2 ms per request at n=11000 (0.55 ms + 7.8 ns/step), one VM serves 55/s`. */
export function describeCost(cost: RequestCost, r: { nLow: number; nHigh: number; scale: number }): string {
  const n = Math.round((r.nLow + r.nHigh) / 2);
  const ms = meanRequestMs(cost, r);
  const cap = vmCapacityPerS(cost, r);
  return `${ms.toFixed(1)} ms of guest CPU per request at n=${n} (${cost.overheadMs.toFixed(2)} ms + ${cost.nsPerStep.toFixed(2)} ns/step), one VM serves ${cap >= 100 ? Math.round(cap) : cap.toFixed(1)}/s`;
}

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

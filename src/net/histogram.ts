// A fixed-bucket log histogram (HDR-like) for latencies in microseconds.
// record() is a couple of integer ops and one array increment, so it can sit
// on the per-datagram hot path; percentiles walk ~250 buckets when a view is
// built. Values below 16 us get exact buckets; above, each power of two is
// split into 8 sub-buckets (relative error <= 12.5 %). Values beyond ~2^34 us
// (4.7 h) land in the last bucket.
//
// /metrics exposes these as Prometheus histograms: cumulative counts at
// bounds that are bucket edges (cumulativeAt), so a bound's count is exact,
// and the exact sum of what was recorded.

const SUB_BITS = 3; // 8 sub-buckets per power of two
const SUB = 1 << SUB_BITS;
const LINEAR = 16; // exact buckets for 0..15
const MAX_EXP = 34;
export const BUCKETS = LINEAR + (MAX_EXP - 4 + 1) * SUB;

/** Bucket index of a non-negative value (microseconds). */
export function bucketOf(us: number): number {
  if (!(us > 0)) return 0;
  if (us < LINEAR) return us | 0;
  if (us >= 2 ** MAX_EXP) return BUCKETS - 1;
  const v = Math.floor(us);
  // Exponent of the highest set bit; values up to 2^34 exceed 32 bits, so split.
  const e = v >= 2 ** 31 ? 31 + (31 - Math.clz32(Math.floor(v / 2 ** 31))) : 31 - Math.clz32(v);
  const sub = Math.floor(v / 2 ** (e - SUB_BITS)) & (SUB - 1);
  return LINEAR + (e - 4) * SUB + sub;
}

/** Lowest value that falls in bucket i. */
export function bucketLow(i: number): number {
  if (i < LINEAR) return i;
  const k = i - LINEAR;
  const e = 4 + Math.floor(k / SUB);
  const sub = k % SUB;
  return 2 ** e + sub * 2 ** (e - SUB_BITS);
}

/** Highest value (exclusive) of bucket i. */
export function bucketHigh(i: number): number {
  return i + 1 < BUCKETS ? bucketLow(i + 1) : Infinity;
}

export class LogHistogram {
  readonly counts = new Float64Array(BUCKETS);
  count = 0;
  /** Sum of the recorded values (us): a Prometheus histogram's _sum. */
  sum = 0;

  record(us: number): void {
    this.counts[bucketOf(us)]!++;
    this.count++;
    this.sum += us;
  }
  clear(): void {
    this.counts.fill(0);
    this.count = 0;
    this.sum = 0;
  }
  add(other: LogHistogram): void {
    if (other.count === 0) return;
    const a = this.counts;
    const b = other.counts;
    for (let i = 0; i < BUCKETS; i++) a[i]! += b[i]!;
    this.count += other.count;
    this.sum += other.sum;
  }
  /**
   * Values recorded below each bound (us, ascending), counted whole buckets
   * at a time: exact where a bound is a bucket edge (bucketLow of some
   * bucket: 0..16 and every power of two above are); otherwise the bucket
   * that straddles the bound counts at the next one.
   */
  cumulativeAt(boundsUs: readonly number[]): number[] {
    const out: number[] = [];
    let i = 0;
    let seen = 0;
    for (const b of boundsUs) {
      while (i < BUCKETS && bucketHigh(i) <= b) seen += this.counts[i++]!;
      out.push(seen);
    }
    return out;
  }
  /** Value at quantile q (0..1) in microseconds (bucket midpoint), null when empty. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        if (i < LINEAR) return i;
        const hi = bucketHigh(i);
        return hi === Infinity ? bucketLow(i) : (bucketLow(i) + hi) / 2;
      }
    }
    return bucketLow(BUCKETS - 1);
  }
}

/**
 * Percentiles over the last `slots` ticks: a ring of histograms, the current
 * one recording, rotated by tick() (once a second). A view merges the ring.
 */
export class WindowedHistogram {
  private ring: LogHistogram[];
  private cur = 0;
  private merged = new LogHistogram();
  /** Every slot that left the window, folded in as it was cleared: with the ring, everything ever recorded (at no cost per record). */
  private past = new LogHistogram();
  private whole = new LogHistogram();

  constructor(readonly slots = 10) {
    this.ring = Array.from({ length: slots }, () => new LogHistogram());
  }
  record(us: number): void {
    this.ring[this.cur]!.record(us);
  }
  tick(): void {
    this.cur = (this.cur + 1) % this.slots;
    this.past.add(this.ring[this.cur]!);
    this.ring[this.cur]!.clear();
  }
  /** Everything recorded since construction (a shared scratch object: read it before the next call): /metrics' histograms. */
  cumulative(): LogHistogram {
    this.whole.clear();
    this.whole.add(this.past);
    for (const h of this.ring) this.whole.add(h);
    return this.whole;
  }
  /** The merged window (a shared scratch object: read it before the next call). */
  window(): LogHistogram {
    this.merged.clear();
    for (const h of this.ring) this.merged.add(h);
    return this.merged;
  }
  /** p50/p90/p99 over the window, in milliseconds. */
  percentilesMs(): { p50Ms: number | null; p90Ms: number | null; p99Ms: number | null } {
    const w = this.window();
    const ms = (v: number | null) => (v === null ? null : Math.round(v) / 1000);
    return { p50Ms: ms(w.quantile(0.5)), p90Ms: ms(w.quantile(0.9)), p99Ms: ms(w.quantile(0.99)) };
  }
}

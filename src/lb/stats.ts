// The balancer's ONE stats table: every counter the balancer keeps is declared
// here once, with its Prometheus name, type, help and how the total row gets
// it. Each event is counted once, on one row: the backend's row for what
// happened to a request routed to it, the front row for what the front socket
// saw before any backend was chosen (datagrams in, drops of malformed or
// unroutable requests, the backlog). The total row is derived (Totals), never
// bumped, so it cannot disagree with the rows. view() and lbPrometheus() both
// read the table, so a counter added here shows up everywhere.
import type { LbCounters } from "../events.ts";
import { LogHistogram, WindowedHistogram } from "../net/histogram.ts";

export interface LbCountersExt extends LbCounters {
  /** Answers that arrived after their request had timed out (still relayed). */
  late: number;
  /** Requests whose send to the backend failed at the socket (counted, not silent). */
  sendFailed: number;
  /** Requests held in the backlog before being forwarded (the event loop was behind). */
  queued: number;
  /** Requests sent to an unhealthy backend because no backend was healthy (panic routing). */
  panic: number;
  /** Requests held while no backend was in rotation (a VM waking, held.ts); each is later forwarded or dropped as no_backend_queue_full / no_backend_timeout. */
  held: number;
  /** Datagrams the kernel dropped on the front socket (receive buffer full), from /proc/net/udp; total row only. */
  kernelDrops: number;
}

type NumericKey = { [K in keyof LbCountersExt]: LbCountersExt[K] extends number ? K : never }[keyof LbCountersExt];

export interface StatDef {
  key: NumericKey;
  /**
   * Prometheus name without the virtscale_lb_ prefix (the group's total; a
   * backend's is virtscale_lb_backend_ + this). Absent for the per-second
   * rates: Prometheus takes rate() of the counters instead.
   */
  metric?: string;
  /** Only the total row has it (no backend family in /metrics). */
  totalOnly?: true;
  type: "counter" | "gauge";
  help: string;
  /** The total row's value: the sum over the front row and every backend row (also removed ones); the front row's alone; or a rate of the total's own counters. */
  total: "sum" | "front" | "rate";
}

/** The stats table. Order is the order of the Prometheus output. */
export const LB_STATS: readonly StatDef[] = [
  // The front counts every datagram, a backend the requests routed to it: the total is the front's count.
  { key: "requestsIn", metric: "requests_in_total", type: "counter", total: "front", help: "Datagrams received from clients (total row) or requests routed to the backend (backend rows)" },
  { key: "forwarded", metric: "forwarded_total", type: "counter", total: "sum", help: "Requests sent to a backend" },
  { key: "answered", metric: "answered_total", type: "counter", total: "sum", help: "Backend answers relayed to the client that asked, in time" },
  { key: "late", metric: "late_total", type: "counter", total: "sum", help: "Answers relayed after their request had timed out" },
  { key: "timedOut", metric: "timed_out_total", type: "counter", total: "sum", help: "Requests not answered within lb.timeout_ms" },
  { key: "sendFailed", metric: "send_failed_total", type: "counter", total: "sum", help: "Requests the socket refused to send to the backend" },
  { key: "queued", metric: "queued_total", type: "counter", total: "sum", help: "Requests held in the backlog before forwarding because the event loop was behind" },
  { key: "panic", metric: "panic_routed_total", type: "counter", total: "sum", help: "Requests sent to an unhealthy backend because none was healthy" },
  { key: "held", metric: "held_total", totalOnly: true, type: "counter", total: "sum", help: "Requests held while no backend was in rotation (a VM waking), then forwarded or dropped as no_backend_queue_full / no_backend_timeout" },
  { key: "kernelDrops", metric: "kernel_drops_total", totalOnly: true, type: "counter", total: "sum", help: "Datagrams the kernel dropped on the front socket, receive buffer full (Linux /proc/net/udp)" },
  { key: "inFlight", metric: "in_flight", type: "gauge", total: "sum", help: "Requests sent and not yet answered or timed out" },
  { key: "rpsIn", type: "gauge", total: "rate", help: "Requests in per second over the last tick" },
  { key: "rpsOut", type: "gauge", total: "rate", help: "Answers relayed per second over the last tick" },
];

/** Drop reasons (the `dropped` record's keys); others may appear, these are documented. */
export const DROP_REASONS = {
  empty: "client datagram of 0 bytes",
  bad_size: "client datagram of 1-3 or 5-64 bytes (requests are exactly 4)",
  oversized: "client datagram over 64 bytes",
  no_backend: "no backend in rotation (none added, or all draining)",
  no_backend_queue_full: "no backend in rotation and lb.hold_queue requests already held while a VM wakes",
  no_backend_timeout: "held lb.hold_timeout_ms while no backend was in rotation (the VM did not wake in time), or still held when the balancer closed",
  overload: "request shed under a flood: the loop was busy 100 ms without a timer tick and the backlog (32768) was full",
  session_limit: "lb.max_sessions upstream sessions are open (one socket per client and backend)",
  backend_full: "every backend in rotation owes lb.max_in_flight_per_backend requests (in flight + timed out, still queued): shed rather than queued",
  backend_bad_size: "backend answer that is not exactly 8 bytes",
  relay_failed: "answer the front socket refused to send back to its client",
  foreign_source: "datagram on an upstream socket from an address that is not its backend",
  unsolicited: "backend answer with no request pending on that client's session and none owed (timed out, within the late window); or a probe answer with no recent probe",
  probe_wrong_answer: "probe answer of 8 bytes that equals no recent probe's expected value (checked with vm.work_scale)",
} as const;

export const LATENCY_QUANTILES = [
  ["p50Ms", "0.5"],
  ["p90Ms", "0.9"],
  ["p99Ms", "0.99"],
] as const;

/** Ticks a latency window spans (one tick a second: the last 10 s). */
const LATENCY_SLOTS = 10;

/** Per-second rates of requests in and answers out (answered + late), from counter deltas between ticks. */
class Rates {
  rpsIn = 0;
  rpsOut = 0;
  private lastIn = 0;
  private lastOut = 0;
  constructor(private lastT: number) {}
  update(now: number, requestsIn: number, out: number): void {
    const dt = (now - this.lastT) / 1000;
    if (dt > 0) {
      this.rpsIn = Math.round((requestsIn - this.lastIn) / dt);
      this.rpsOut = Math.round((out - this.lastOut) / dt);
    }
    this.lastIn = requestsIn;
    this.lastOut = out;
    this.lastT = now;
  }
}

/** The counters of one backend, or of the front socket. */
export class StatsRow {
  requestsIn = 0;
  forwarded = 0;
  answered = 0;
  late = 0;
  timedOut = 0;
  sendFailed = 0;
  queued = 0;
  panic = 0;
  held = 0;
  kernelDrops = 0;
  inFlight = 0;
  dropped: Record<string, number> = {};
  readonly latency = new WindowedHistogram(LATENCY_SLOTS);
  private readonly rates: Rates;

  constructor(now: number) {
    this.rates = new Rates(now);
  }
  get rpsIn(): number {
    return this.rates.rpsIn;
  }
  get rpsOut(): number {
    return this.rates.rpsOut;
  }

  drop(reason: string, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  /** Once a second: rates over the elapsed time, and the latency window moves on. */
  tick(now: number): void {
    this.rates.update(now, this.requestsIn, this.answered + this.late);
    this.latency.tick();
  }

  /** The row's values: every counter of the table, the drops by reason and the latency percentiles. */
  counters(): LbCountersExt {
    const c = { dropped: { ...this.dropped }, ...this.latency.percentilesMs() } as LbCountersExt;
    for (const def of LB_STATS) c[def.key] = this[def.key];
    return c;
  }
}

/** Every counter the total row sums (LB_STATS `total: "sum"`). */
const SUMMED = LB_STATS.filter((d) => d.total === "sum").map((d) => d.key);

type Sums = Record<NumericKey, number> & { dropped: Record<string, number> };

/**
 * The total row, derived from the rows: the front row (`front`, bumped by the
 * balancer for what happened before a backend was chosen), the live backends'
 * rows (passed in), and the rows of removed backends. A removed row stays
 * whole until its latency window has moved past its last answer, then only
 * its counters are kept (`gone`), so totals never drop when a backend leaves.
 */
export class Totals {
  readonly front: StatsRow;
  /** Counters of removed backends whose latency window has passed. */
  private readonly gone = sums();
  /** Their latencies since they were added (the total's cumulative histogram must never go down). */
  private readonly goneLatency = new LogHistogram();
  private readonly allLatency = new LogHistogram();
  /** Removed backends' rows, with the ticks left until their latency window is empty. */
  private fading: { row: StatsRow; ticksLeft: number }[] = [];
  private readonly rates: Rates;
  private readonly latency = new LogHistogram();

  constructor(now: number) {
    this.front = new StatsRow(now);
    this.rates = new Rates(now);
  }

  /** A backend left: its counts stay in the totals. */
  retire(row: StatsRow): void {
    this.fading.push({ row, ticksLeft: LATENCY_SLOTS });
  }

  /** Once a second, with the live rows: every row's window moves on (removed ones too), then the total's rates. */
  tick(now: number, live: readonly StatsRow[]): void {
    this.front.tick(now);
    for (const r of live) r.tick(now);
    for (const f of this.fading) {
      f.row.latency.tick();
      if (--f.ticksLeft === 0) {
        add(this.gone, f.row);
        this.goneLatency.add(f.row.latency.cumulative());
      }
    }
    this.fading = this.fading.filter((f) => f.ticksLeft > 0);
    const s = this.sum(live);
    this.rates.update(now, this.front.requestsIn, s.answered + s.late);
  }

  /** The total row's values (LB_STATS says how each is derived); latency over every row's window. */
  counters(live: readonly StatsRow[]): LbCountersExt {
    const s = this.sum(live);
    const h = this.latency;
    h.clear();
    for (const f of this.fading) h.add(f.row.latency.window());
    for (const r of live) h.add(r.latency.window());
    const c = { dropped: s.dropped } as LbCountersExt;
    for (const [key, q] of LATENCY_QUANTILES) {
      const us = h.quantile(Number(q));
      c[key] = us === null ? null : Math.round(us) / 1000;
    }
    for (const def of LB_STATS) c[def.key] = def.total === "sum" ? s[def.key] : def.total === "front" ? this.front[def.key] : this.rates[def.key as "rpsIn" | "rpsOut"];
    return c;
  }

  /** Every answer's latency since the start, over every row (removed ones too): /metrics' histogram (a shared scratch object). */
  latencyCumulative(live: readonly StatsRow[]): LogHistogram {
    const h = this.allLatency;
    h.clear();
    h.add(this.goneLatency);
    for (const f of this.fading) h.add(f.row.latency.cumulative());
    for (const r of live) h.add(r.latency.cumulative());
    return h;
  }

  private sum(live: readonly StatsRow[]): Sums {
    const s = sums();
    add(s, this.gone);
    add(s, this.front);
    for (const f of this.fading) add(s, f.row);
    for (const r of live) add(s, r);
    return s;
  }
}

function sums(): Sums {
  const s = { dropped: {} } as Sums;
  for (const k of SUMMED) s[k] = 0;
  return s;
}

/** Add `r`'s summed counters and drops into `into`. */
function add(into: Sums, r: Sums | StatsRow): void {
  for (const k of SUMMED) into[k] += r[k];
  for (const reason in r.dropped) into.dropped[reason] = (into.dropped[reason] ?? 0) + r.dropped[reason]!;
}

// The balancer's ONE stats table: every counter the balancer keeps is declared
// here once, with its Prometheus name, type and help. StatsRow holds the
// values for one backend (or the total); view() and lbPrometheus() both read
// the table, so a counter added here shows up everywhere.
import type { LbCounters } from "../events.ts";
import { WindowedHistogram } from "../net/histogram.ts";

export interface LbCountersExt extends LbCounters {
  /** Answers that arrived after their request had timed out (still relayed). */
  late: number;
  /** Requests whose send to the backend failed at the socket (counted, not silent). */
  sendFailed: number;
  /** Requests held in the backlog before being forwarded (the event loop was behind). */
  queued: number;
  /** Requests sent to an unhealthy backend because no backend was healthy (panic routing). */
  panic: number;
  /** Datagrams the kernel dropped on the front socket (receive buffer full), from /proc/net/udp; total row only. */
  kernelDrops: number;
}

type NumericKey = { [K in keyof LbCountersExt]: LbCountersExt[K] extends number ? K : never }[keyof LbCountersExt];

export interface StatDef {
  key: NumericKey;
  /** Prometheus name without the virtscale_lb_ prefix. */
  metric: string;
  type: "counter" | "gauge";
  help: string;
}

/** The stats table. Order is the order of the Prometheus output. */
export const LB_STATS: readonly StatDef[] = [
  { key: "requestsIn", metric: "requests_in_total", type: "counter", help: "Datagrams received from clients (total row) or requests routed to the backend (backend rows)" },
  { key: "forwarded", metric: "forwarded_total", type: "counter", help: "Requests sent to a backend" },
  { key: "answered", metric: "answered_total", type: "counter", help: "Backend answers relayed to the client that asked, in time" },
  { key: "late", metric: "late_total", type: "counter", help: "Answers relayed after their request had timed out" },
  { key: "timedOut", metric: "timed_out_total", type: "counter", help: "Requests not answered within lb.timeout_ms" },
  { key: "sendFailed", metric: "send_failed_total", type: "counter", help: "Requests the socket refused to send to the backend" },
  { key: "queued", metric: "queued_total", type: "counter", help: "Requests held in the backlog before forwarding because the event loop was behind" },
  { key: "panic", metric: "panic_routed_total", type: "counter", help: "Requests sent to an unhealthy backend because none was healthy" },
  { key: "kernelDrops", metric: "kernel_drops_total", type: "counter", help: "Datagrams the kernel dropped on the front socket, receive buffer full (Linux /proc/net/udp)" },
  { key: "inFlight", metric: "in_flight", type: "gauge", help: "Requests sent and not yet answered or timed out" },
  { key: "rpsIn", metric: "requests_per_second", type: "gauge", help: "Requests in per second over the last tick" },
  { key: "rpsOut", metric: "answers_per_second", type: "gauge", help: "Answers relayed per second over the last tick" },
];

/** Drop reasons (the `dropped` record's keys); others may appear, these are documented. */
export const DROP_REASONS = {
  empty: "client datagram of 0 bytes",
  bad_size: "client datagram of 1-3 or 5-64 bytes (requests are exactly 4)",
  oversized: "client datagram over 64 bytes",
  no_backend: "no backend in rotation (none added, or all draining)",
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

export class StatsRow {
  requestsIn = 0;
  forwarded = 0;
  answered = 0;
  late = 0;
  timedOut = 0;
  sendFailed = 0;
  queued = 0;
  panic = 0;
  kernelDrops = 0;
  inFlight = 0;
  dropped: Record<string, number> = {};
  readonly latency = new WindowedHistogram(10);
  rpsIn = 0;
  rpsOut = 0;
  private lastIn = 0;
  private lastOut = 0;
  private lastT: number;

  constructor(now: number) {
    this.lastT = now;
  }

  drop(reason: string, n = 1): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + n;
  }

  /** Once a second: rates over the elapsed time, and the latency window moves on. */
  tick(now: number): void {
    const dt = (now - this.lastT) / 1000;
    if (dt > 0) {
      this.rpsIn = Math.round((this.requestsIn - this.lastIn) / dt);
      this.rpsOut = Math.round((this.answered + this.late - this.lastOut) / dt);
    }
    this.lastIn = this.requestsIn;
    this.lastOut = this.answered + this.late;
    this.lastT = now;
    this.latency.tick();
  }

  /** The row's values: every counter of the table, the drops by reason and the latency percentiles. */
  counters(): LbCountersExt {
    const c = { dropped: { ...this.dropped }, ...this.latency.percentilesMs() } as LbCountersExt;
    for (const def of LB_STATS) c[def.key] = this[def.key];
    return c;
  }
}

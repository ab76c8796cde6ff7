// The balancer's Prometheus families, generated from the one stats table
// (stats.ts) so /metrics and the dashboard never disagree.
//
// Two sets: the group's (virtscale_lb_*), from the total row, and each
// backend's (virtscale_lb_backend_*{backend}). They are not redundant: the
// total keeps the counts of removed backends and the front socket's own
// (datagrams in, drops before any backend was chosen), which a PromQL sum()
// over the backends would lose. A backend's state is a label of its _info
// gauge only: a label that changes would split a counter into new series.
// The per-second rates of the view are left out (rate() of the counters is
// Prometheus' own), and latency is a histogram of every answer since the
// start, not the view's 10 s percentiles.
import type { LbView } from "../events.ts";
import type { LogHistogram } from "../net/histogram.ts";
import { Exposition, type HistogramSeries, type Labels, type Sample } from "../util/prometheus-text.ts";
import { DROP_REASONS, LB_STATS } from "./stats.ts";

const PREFIX = "virtscale_lb_";
const BACKEND = `${PREFIX}backend_`;

/** What /metrics needs from the balancer beyond its view (Balancer.latencyHistograms). */
export interface LbLatencySource {
  latencyHistograms(): { total: LogHistogram; backends: { id: string; latency: LogHistogram }[] };
}

/** `le` bounds of the latency histograms: powers of two from 32 us to 8.4 s. They are edges of LogHistogram's buckets, so each count is exact. */
export const LATENCY_BOUNDS_US: readonly number[] = Array.from({ length: 19 }, (_, i) => 2 ** (5 + i));

/** A LogHistogram (us) as a histogram series in seconds. */
export function latencySeries(h: LogHistogram, labels: Labels): HistogramSeries {
  return { labels, bounds: LATENCY_BOUNDS_US.map((us) => us / 1e6), cumulative: h.cumulativeAt(LATENCY_BOUNDS_US), count: h.count, sum: h.sum / 1e6 };
}

const value = (row: object, key: string): number | undefined => {
  const v = (row as Record<string, unknown>)[key];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
};

/** The balancer's families; latency histograms only with a source (the view carries percentiles, not buckets). */
export function lbFamilies(view: LbView, latency?: LbLatencySource): Exposition {
  const w = new Exposition();
  const ext = view as LbView & { engine?: string; frontEngine?: string };
  const info: Labels = { listen: view.listen, policy: view.policy };
  if (ext.engine) info.engine = ext.engine;
  if (ext.frontEngine) info.front_engine = ext.frontEngine;
  w.gauge(`${PREFIX}info`, "The balancer's front address, policy and UDP engines", [[info, 1]]);
  for (const [key, help] of [
    ["clients", "Clients (source addresses) the balancer keeps sessions for"],
    ["sessions", "Upstream sessions open (one socket per client and backend)"],
    ["backlog", "Requests waiting in the backlog to be forwarded"],
    ["holding", "Requests held now while no backend is in rotation (a VM waking)"],
  ] as const)
    if (value(view, key) !== undefined) w.gauge(PREFIX + key, help, [[{}, value(view, key)]]);

  const stats = LB_STATS.filter((d) => d.metric !== undefined);
  for (const def of stats) {
    const s: Sample[] = [[{}, value(view.total, def.key)]];
    if (def.type === "counter") w.counter(PREFIX + def.metric!, def.help, s);
    else w.gauge(PREFIX + def.metric!, def.help, s);
  }
  const reasons = (d: Record<string, number> | undefined, l: Labels): Sample[] => Object.entries(d ?? {}).map(([reason, n]) => [{ ...l, reason }, n]);
  w.counter(`${PREFIX}dropped_total`, `Datagrams dropped, by reason (${Object.keys(DROP_REASONS).join(", ")})`, reasons(view.total.dropped, {}));

  const lat = latency?.latencyHistograms();
  const latHelp = "Time from forwarding a request to relaying its answer, for answers within lb.timeout_ms (timed-out requests are in timed_out_total)";
  if (lat) w.histogram(`${PREFIX}request_duration_seconds`, latHelp, [latencySeries(lat.total, {})]);

  w.gauge(`${BACKEND}info`, "One series per backend in the balancer: its address and state (active, draining, unhealthy)", view.backends.map((b) => [{ backend: b.id, address: b.address, state: b.state }, 1]));
  for (const def of stats) {
    if (def.totalOnly) continue;
    const s: Sample[] = view.backends.map((b) => [{ backend: b.id }, value(b, def.key)]);
    if (def.type === "counter") w.counter(BACKEND + def.metric!, `${def.help}, by backend`, s);
    else w.gauge(BACKEND + def.metric!, `${def.help}, by backend`, s);
  }
  w.counter(`${BACKEND}dropped_total`, "Datagrams dropped on a backend's side (its answers, probes, its cap), by backend and reason", view.backends.flatMap((b) => reasons(b.dropped, { backend: b.id })));
  if (lat) w.histogram(`${BACKEND}request_duration_seconds`, `${latHelp}, by backend`, lat.backends.map((b) => latencySeries(b.latency, { backend: b.id })));
  return w;
}

/** The balancer's families as Prometheus text (version 0.0.4). */
export function lbPrometheus(view: LbView, latency?: LbLatencySource): string {
  return lbFamilies(view, latency).text();
}

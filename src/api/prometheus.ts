// /metrics: Prometheus text format (0.0.4), in base units (seconds, bytes,
// ratios 0..1), counters rather than rates, histograms with _sum and _count.
// Families: process_* and virtscale_build_info (process-metrics.ts), each VM
// (the store's view, CPU seconds from the monitor), the scaler (its state,
// scale events, decision-to-serving), the balancer (lb/metrics.ts, from its
// own stats table and latency histograms) and the API's own requests.
// docs/api.md lists the families; test/api/metrics-lint.test.ts runs
// Prometheus' promtool on a real scrape.
import type { StoreState } from "../store.ts";
import { lbFamilies, type LbLatencySource } from "../lb/metrics.ts";
import { Exposition, type HistogramSeries, type Sample } from "../util/prometheus-text.ts";
import { writeProcessMetrics } from "./process-metrics.ts";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** Seconds: from a metrics scrape (ms) to a snapshot of a large VM (tens of s). */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120];
/** Seconds from a scale-out decision to the VM's first correct answer: a warm resume (~1 s) to a TCG boot (tens of s) or a slow host. */
export const SERVING_BUCKETS = [0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300];

/** Requests the API answered, by method, route pattern and status, and how long they took by route (counted by the app). */
export class ApiCounters {
  readonly byKey = new Map<string, number>();
  readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  count(method: string, route: string, status: number, seconds: number): void {
    // Labels stay bounded: odd methods are OTHER, unknown paths are one route ("unmatched").
    const m = METHODS.has(method) ? method : "OTHER";
    const k = `${m} ${route} ${status}`;
    this.byKey.set(k, (this.byKey.get(k) ?? 0) + 1);
    let d = this.durations.get(route);
    if (!d) this.durations.set(route, (d = { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    // Cumulative as Prometheus wants them: a request counts in every bucket it fits.
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]!) d.buckets[i]!++;
    d.sum += seconds;
    d.count++;
  }
}

/** What /metrics reads from the scaler (a Group has it). */
export interface GroupMetricsSource {
  summary: { scaleEvents: readonly { action: "out" | "in" }[] };
  actuator: { launches: readonly { how: string; decisionToServingMs?: number; servingAt?: number; error?: string }[] };
  monitor: { cpuSeconds(): ReadonlyMap<string, number> };
}

/** Producers /metrics reads beyond the store: each is absent when that part does not run. */
export interface MetricsSources {
  lb?: LbLatencySource;
  group?: GroupMetricsSource;
}

const ratio = (pct: number | null | undefined) => (pct === null || pct === undefined ? undefined : pct / 100);

function vmFamilies(w: Exposition, s: StoreState, group?: GroupMetricsSource): void {
  const vms = [...s.vms.values()];
  // Role and state are labels of the _info series only: a label that changes would start a new series of every other family.
  w.gauge("virtscale_vm_info", "One series per VM with its libvirt state and role in the group", vms.map((v) => [{ name: v.name, state: v.state, role: v.role, ...(v.host ? { host: v.host } : {}) }, 1]));
  // A missing CPU sample is absent, never 0 (a scrape must not read "idle" for "unknown").
  w.gauge("virtscale_vm_cpu_usage_ratio", "Share of the VM's vCPUs busy over the last sample, 0..1 (absent when not sampled)", vms.map((v) => [{ name: v.name }, ratio(v.cpuPct)]));
  w.counter("virtscale_vm_cpu_seconds_total", "CPU time the VM has used (libvirt cpu.time; restarts at 0 when the domain restarts)", [...(group?.monitor.cpuSeconds() ?? [])].map(([name, sec]) => [{ name }, sec]));
  w.gauge("virtscale_vm_vcpus", "vCPUs of each VM", vms.map((v) => [{ name: v.name }, v.vcpus]));
  w.gauge("virtscale_vm_memory_bytes", "Memory of each VM (balloon current)", vms.map((v) => [{ name: v.name }, v.memoryKiB * 1024]));
  const roles = new Map<string, number>();
  for (const v of vms) roles.set(v.role, (roles.get(v.role) ?? 0) + 1);
  w.gauge("virtscale_vms", "VMs by role", [...roles].map(([role, n]) => [{ role }, n]));
}

function scalerFamilies(w: Exposition, s: StoreState, group?: GroupMetricsSource): void {
  const c = s.scaler;
  if (c) {
    w.gauge("virtscale_scaler_vms", "Serving VMs now (current), the size the scaler wants (desired), its bounds and the warm pool size", [
      [{ kind: "current" }, c.current],
      [{ kind: "desired" }, c.desired],
      [{ kind: "min" }, c.min],
      [{ kind: "max" }, c.max],
      [{ kind: "warm_pool" }, c.warmPool],
    ]);
    w.gauge("virtscale_scaler_paused", "1 when automatic decisions are paused", [[{}, c.paused ? 1 : 0]]);
    w.gauge("virtscale_scaler_cpu_usage_ratio", "Average CPU usage of the serving VMs, 0..1, as the policy reads it (absent when unknown)", [[{}, ratio(c.avgCpu)]]);
    w.gauge("virtscale_scaler_threshold_ratio", "Scale-out (high) and scale-in (low) CPU thresholds, 0..1", [
      [{ bound: "high" }, ratio(c.high)],
      [{ bound: "low" }, ratio(c.low)],
    ]);
    w.gauge("virtscale_scaler_info", "The scaler's policy", [[{ policy: c.policy }, 1]]);
    if (c.hosts) {
      w.gauge("virtscale_host_up", "1 while the libvirt host of a group over several answers (its event connection is open), 0 while it is lost", c.hosts.map((h) => [{ host: h.uri }, h.state === "up" ? 1 : 0]));
      w.gauge("virtscale_host_vms", "The group's VMs on each libvirt host", c.hosts.map((h) => [{ host: h.uri }, h.vms]));
    }
  }
  if (!group) return;
  const events = { out: 0, in: 0 };
  for (const e of group.summary.scaleEvents) events[e.action]++;
  w.counter("virtscale_scaler_scale_events_total", "Changes of the desired size, by direction (out: more VMs, in: fewer)", [
    [{ direction: "out" }, events.out],
    [{ direction: "in" }, events.in],
  ]);
  const launches = new Map<string, number>();
  const serving = new Map<string, number[]>();
  for (const l of group.actuator.launches) {
    const outcome = l.servingAt !== undefined ? "serving" : l.error !== undefined ? "failed" : null;
    if (outcome) launches.set(`${l.how} ${outcome}`, (launches.get(`${l.how} ${outcome}`) ?? 0) + 1);
    if (l.decisionToServingMs !== undefined) (serving.get(l.how) ?? serving.set(l.how, []).get(l.how)!).push(l.decisionToServingMs / 1000);
  }
  w.counter(
    "virtscale_scaler_launches_total",
    "VMs the scaler brought up (how: cold boot, warm resume, predefined), by outcome (serving, or failed)",
    [...launches].map(([k, n]) => {
      const [how, outcome] = k.split(" ");
      return [{ how: how!, outcome: outcome! }, n];
    }),
  );
  w.histogram(
    "virtscale_scaler_decision_to_serving_seconds",
    "Time from the scale-out decision to the new VM's first correct answer, by how it came up",
    [...serving].map(([how, xs]): HistogramSeries => ({
      labels: { how },
      bounds: SERVING_BUCKETS,
      cumulative: SERVING_BUCKETS.map((b) => xs.filter((x) => x <= b).length),
      count: xs.length,
      sum: xs.reduce((a, b) => a + b, 0),
    })),
  );
}

function apiFamilies(w: Exposition, api: ApiCounters): void {
  const requests: Sample[] = [...api.byKey].map(([k, n]) => {
    const [method, route, status] = k.split(" ");
    return [{ method: method!, route: route!, status: status! }, n];
  });
  w.counter("virtscale_api_requests_total", "HTTP API requests answered, by method, route and status", requests);
  w.histogram(
    "virtscale_api_request_duration_seconds",
    "Time to answer an API request (to the first byte of a stream), by route",
    [...api.durations].map(([route, d]) => ({ labels: { route }, bounds: DURATION_BUCKETS, cumulative: d.buckets, count: d.count, sum: d.sum })),
  );
}

export function renderMetrics(s: StoreState, api: ApiCounters, sources: MetricsSources = {}): string {
  const w = new Exposition();
  writeProcessMetrics(w);
  vmFamilies(w, s, sources.group);
  scalerFamilies(w, s, sources.group);
  apiFamilies(w, api);
  if (s.lb) w.append(lbFamilies(s.lb, sources.lb));
  return w.text();
}

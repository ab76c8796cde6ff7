// /metrics: Prometheus text format (0.0.4) of the store's picture: per-VM CPU,
// the scaler's state, the balancer (lbPrometheus, from the lb's own stats
// table) and the API's own request counters.
import type { StoreState } from "../store.ts";
import { labels, lbPrometheus } from "../lb/metrics.ts";

const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? "NaN" : String(v));

class Writer {
  lines: string[] = [];
  family(name: string, type: "gauge" | "counter", help: string, samples: [Record<string, string>, number | null | undefined][]): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of samples) this.lines.push(`${name}${labels(l)} ${num(v)}`);
  }
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** Seconds: from a metrics scrape (ms) to a snapshot of a large VM (tens of s). */
export const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120];

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
    for (let i = 0; i < DURATION_BUCKETS.length; i++) if (seconds <= DURATION_BUCKETS[i]!) d.buckets[i]!++;
    d.sum += seconds;
    d.count++;
  }
}

export function renderMetrics(s: StoreState, api: ApiCounters): string {
  const w = new Writer();
  const vms = [...s.vms.values()];
  // A missing CPU sample is absent, never 0 (a scrape must not read "idle" for "unknown").
  w.family(
    "virtscale_vm_cpu_percent",
    "gauge",
    "Latest CPU % of each VM (absent when not sampled)",
    vms.filter((v) => v.cpuPct !== null).map((v) => [{ name: v.name, role: v.role }, v.cpuPct]),
  );
  w.family("virtscale_vm_info", "gauge", "One series per VM with its state and role", vms.map((v) => [{ name: v.name, state: v.state, role: v.role }, 1]));
  const roles = new Map<string, number>();
  for (const v of vms) roles.set(v.role, (roles.get(v.role) ?? 0) + 1);
  w.family("virtscale_vms", "gauge", "VMs by role", [...roles].map(([role, n]) => [{ role }, n]));
  if (s.scaler) {
    const c = s.scaler;
    w.family("virtscale_scaler_vms", "gauge", "Serving VMs now, and the size the scaler wants", [
      [{ kind: "current" }, c.current],
      [{ kind: "desired" }, c.desired],
      [{ kind: "min" }, c.min],
      [{ kind: "max" }, c.max],
      [{ kind: "warm_pool" }, c.warmPool],
    ]);
    w.family("virtscale_scaler_paused", "gauge", "1 when automatic decisions are paused", [[{}, c.paused ? 1 : 0]]);
    w.family("virtscale_scaler_avg_cpu_percent", "gauge", "Group average CPU % of serving VMs (NaN when unknown)", [[{}, c.avgCpu]]);
    w.family("virtscale_scaler_threshold_percent", "gauge", "Scale-out (high) and scale-in (low) thresholds", [
      [{ bound: "high" }, c.high],
      [{ bound: "low" }, c.low],
    ]);
    w.family("virtscale_scaler_info", "gauge", "The scaler's policy", [[{ policy: c.policy }, 1]]);
  }
  w.family(
    "virtscale_api_requests_total",
    "counter",
    "HTTP API requests answered, by method, route and status",
    [...api.byKey].map(([k, n]) => {
      const [method, route, status] = k.split(" ");
      return [{ method: method!, route: route!, status: status! }, n];
    }),
  );
  const hn = "virtscale_api_request_duration_seconds";
  w.lines.push(`# HELP ${hn} Time to answer an API request (to the first byte of a stream), by route`, `# TYPE ${hn} histogram`);
  for (const [route, d] of api.durations) {
    DURATION_BUCKETS.forEach((le, i) => w.lines.push(`${hn}_bucket${labels({ route, le: String(le) })} ${d.buckets[i]}`));
    w.lines.push(`${hn}_bucket${labels({ route, le: "+Inf" })} ${d.count}`, `${hn}_sum${labels({ route })} ${d.sum}`, `${hn}_count${labels({ route })} ${d.count}`);
  }
  let out = w.lines.join("\n") + "\n";
  if (s.lb) out += lbPrometheus(s.lb);
  return out;
}

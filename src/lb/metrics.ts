// Prometheus text exposition of the balancer's view, generated from the one
// stats table (stats.ts) so /metrics and the dashboard never disagree.
import type { LbCounters, LbView } from "../events.ts";
import { LATENCY_QUANTILES, LB_STATS } from "./stats.ts";

const PREFIX = "virtscale_lb_";

function esc(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** `{k="v",...}` with Prometheus escaping ("" for none); /metrics' other families use it too. */
export function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function num(v: unknown): string {
  return typeof v === "number" && Number.isFinite(v) ? String(v) : "0";
}

/** Render an LbView as Prometheus text format (version 0.0.4). */
export function lbPrometheus(view: LbView): string {
  const rows: { labels: Record<string, string>; c: LbCounters }[] = [
    { labels: { backend: "_total" }, c: view.total },
    ...view.backends.map((b) => ({ labels: { backend: b.id, address: b.address, state: b.state }, c: b as LbCounters })),
  ];
  const out: string[] = [];
  out.push(`# HELP ${PREFIX}info Balancer listen address and policy`, `# TYPE ${PREFIX}info gauge`);
  out.push(`${PREFIX}info${labels({ listen: view.listen, policy: view.policy })} 1`);
  for (const def of LB_STATS) {
    const name = PREFIX + def.metric;
    out.push(`# HELP ${name} ${def.help}`, `# TYPE ${name} ${def.type}`);
    for (const r of rows) out.push(`${name}${labels(r.labels)} ${num((r.c as unknown as Record<string, unknown>)[def.key])}`);
  }
  const dn = `${PREFIX}dropped_total`;
  out.push(`# HELP ${dn} Datagrams dropped, by reason`, `# TYPE ${dn} counter`);
  for (const r of rows)
    for (const [reason, v] of Object.entries(r.c.dropped ?? {})) out.push(`${dn}${labels({ ...r.labels, reason })} ${num(v)}`);
  const ln = `${PREFIX}latency_seconds`;
  out.push(`# HELP ${ln} Request-to-answer latency over the last 10 s`, `# TYPE ${ln} summary`);
  for (const r of rows)
    for (const [key, q] of LATENCY_QUANTILES) {
      const ms = r.c[key];
      out.push(`${ln}${labels({ ...r.labels, quantile: q })} ${ms === null ? "NaN" : String(ms / 1000)}`);
    }
  return out.join("\n") + "\n";
}

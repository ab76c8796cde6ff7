// Prometheus text exposition format 0.0.4: families with HELP and TYPE, label
// escaping, histograms as cumulative _bucket / _sum / _count. /metrics (api/)
// and the balancer's part of it (lb/metrics.ts) write through this one writer,
// so the format rules live in one place.

export type Labels = Record<string, string>;
/** A sample: its labels and value; null or undefined is left out (unknown is absent, never 0). */
export type Sample = [Labels, number | null | undefined];

export interface HistogramSeries {
  labels: Labels;
  /** Upper bounds (the `le` values), ascending, without +Inf. */
  bounds: readonly number[];
  /** Observations at or below each bound (cumulative), one per bound. */
  cumulative: readonly number[];
  count: number;
  sum: number;
}

function esc(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** `{k="v",...}` with Prometheus escaping ("" for none). */
export function labels(l: Labels): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${esc(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

/** A sample value as Prometheus writes floats (+Inf, -Inf, NaN). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

export class Exposition {
  private readonly lines: string[] = [];
  private readonly names = new Set<string>();

  gauge(name: string, help: string, samples: readonly Sample[]): this {
    return this.family(name, "gauge", help, samples);
  }
  counter(name: string, help: string, samples: readonly Sample[]): this {
    if (!name.endsWith("_total")) throw new Error(`counter ${name}: Prometheus counters end in _total`);
    return this.family(name, "counter", help, samples);
  }
  histogram(name: string, help: string, series: readonly HistogramSeries[]): this {
    this.head(name, "histogram", help);
    for (const s of series) {
      s.bounds.forEach((le, i) => this.lines.push(`${name}_bucket${labels({ ...s.labels, le: formatValue(le) })} ${formatValue(s.cumulative[i]!)}`));
      this.lines.push(`${name}_bucket${labels({ ...s.labels, le: "+Inf" })} ${formatValue(s.count)}`);
      this.lines.push(`${name}_sum${labels(s.labels)} ${formatValue(s.sum)}`, `${name}_count${labels(s.labels)} ${formatValue(s.count)}`);
    }
    return this;
  }
  /** Another writer's families after this one's (a name twice is an error: Prometheus rejects the scrape). */
  append(other: Exposition): this {
    for (const n of other.names) this.claim(n);
    this.lines.push(...other.lines);
    return this;
  }
  text(): string {
    return this.lines.length ? this.lines.join("\n") + "\n" : "";
  }

  private family(name: string, type: "gauge" | "counter", help: string, samples: readonly Sample[]): this {
    this.head(name, type, help);
    for (const [l, v] of samples) if (v !== null && v !== undefined) this.lines.push(`${name}${labels(l)} ${formatValue(v)}`);
    return this;
  }
  private head(name: string, type: string, help: string): void {
    this.claim(name);
    this.lines.push(`# HELP ${name} ${help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")}`, `# TYPE ${name} ${type}`);
  }
  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`metric family ${name} written twice`);
    this.names.add(name);
  }
}

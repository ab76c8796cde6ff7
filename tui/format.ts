// Number and time formatting for the dashboard's cells. Pure; "–" for unknown.
export const NONE = "–";

export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? NONE : `${v.toFixed(v < 10 ? 1 : 0)}%`;
}

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  if (v < 10) return `${v.toFixed(2)}ms`;
  if (v < 1000) return `${v.toFixed(0)}ms`;
  return `${(v / 1000).toFixed(1)}s`;
}

export function rate(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  if (v >= 10_000) return `${(v / 1000).toFixed(0)}k`;
  if (v >= 1000) return `${(v / 1000).toFixed(1)}k`;
  return v < 10 ? v.toFixed(1) : v.toFixed(0);
}

export function count(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return NONE;
  if (v >= 1e9) return `${(v / 1e9).toFixed(1)}G`;
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${(v / 1e3).toFixed(1)}k`;
  return String(Math.round(v));
}

export function mem(kib: number | null | undefined): string {
  if (kib === null || kib === undefined || !Number.isFinite(kib)) return NONE;
  if (kib >= 1024 * 1024) return `${(kib / 1024 / 1024).toFixed(1)}G`;
  return `${Math.round(kib / 1024)}M`;
}

export function clock(ts: number): string {
  const d = new Date(ts);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Fit text into exactly `width` columns: truncate with an ellipsis or pad. */
export function fit(text: string, width: number, align: "left" | "right" = "left"): string {
  if (width <= 0) return "";
  const chars = [...text];
  if (chars.length > width) return width === 1 ? "…" : chars.slice(0, width - 1).join("") + "…";
  const pad = " ".repeat(width - chars.length);
  return align === "left" ? text + pad : pad + text;
}

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

/** CPU seconds as virt-top's TIME reads: 42.1s, 3m05s, 2h14m. */
export function cpuTime(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return NONE;
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * Word-wrap to lines of at most `width` characters; a word longer than a line
 * is cut (a long path or a run of x's must not push the rest off screen).
 */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, Math.floor(width));
  const out: string[] = [];
  let line: string[] = [];
  let len = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let chars = [...word];
    if (len > 0 && len + 1 + chars.length > w) {
      out.push(line.join(""));
      line = [];
      len = 0;
    }
    while (chars.length > w - (len > 0 ? len + 1 : 0)) {
      const room = w - (len > 0 ? len + 1 : 0);
      if (len > 0) line.push(" ");
      line.push(chars.slice(0, room).join(""));
      out.push(line.join(""));
      line = [];
      len = 0;
      chars = chars.slice(room);
    }
    if (chars.length === 0) continue;
    if (len > 0) {
      line.push(" ");
      len++;
    }
    line.push(chars.join(""));
    len += chars.length;
  }
  if (len > 0 || out.length === 0) out.push(line.join(""));
  return out;
}

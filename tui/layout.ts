// How the terminal's rows are shared out. Pure, so the windowing is tested
// without a terminal. Ink redraws its whole live area each frame and clears
// the screen when that area is as tall as the terminal, so the live area is
// kept below the terminal height, leaving lines above it for the event log
// (Ink's <Static> output scrolls there and stays in the scrollback).
export interface Layout {
  /** Lines above the live area kept for the scrolling event log. */
  logLines: number;
  header: number;
  panels: number;
  chart: number;
  /** Table height including its header line. */
  table: number;
  footer: number;
  /** Panels side by side: 3 (scaler, balancer, load) or 2 (no load panel) or 0. */
  panelCount: number;
}

/** `withPanels: false` when nothing fills the panels (no scaler, balancer or load): their rows go to the table. */
export function layout(columns: number, rows: number, withPanels = true): Layout {
  const logLines = rows >= 36 ? 6 : rows >= 24 ? 3 : 0;
  const live = Math.max(4, rows - logLines - 1);
  const header = 1;
  const footer = 1;
  const panels = withPanels && live >= 22 ? 8 : 0;
  const chart = live >= 26 ? Math.max(6, Math.min(14, live - header - footer - panels - 12)) : 0;
  const table = Math.max(2, live - header - footer - panels - chart);
  const panelCount = panels === 0 ? 0 : columns >= 100 ? 3 : 2;
  return { logLines, header, panels, chart, table, footer, panelCount };
}

/** Total live-area height (what Ink redraws each frame). */
export function liveHeight(l: Layout): number {
  return l.header + l.panels + l.chart + l.table + l.footer;
}

// How the terminal's rows are shared out. Pure, so the layout is tested
// without a terminal. The frame is one line shorter than the terminal: Ink
// clears the whole screen on every frame once its output is as tall as the
// terminal (a flicker on terminals without synchronized output), and the
// spare line costs nothing in the alternate screen.
//
// What goes first when rows run out: the chart, then the full panels (they
// become one status line per part, as htop keeps its meters), then the event
// log; the header, the table and the footer always stay.
export interface Layout {
  /** Lines the whole frame takes (terminal rows - 1). */
  height: number;
  header: number;
  /** Full summary panels (boxes) side by side; 0 when the compact status lines stand in for them. */
  panels: number;
  /** Panels side by side: 3 (scaler, balancer, load) or 0. */
  panelCount: number;
  /** Compact status lines, one per part that runs (scaler, balancer, load). */
  status: number;
  chart: number;
  /** Table height including its header line. */
  table: number;
  /** The event log panel, its title line included (0: no room). */
  events: number;
  footer: number;
}

export interface LayoutParts {
  /** How many of scaler, balancer and load generator run (status lines or panels to fill). */
  parts: number;
  /** VMs in the table now: the table takes what they need, the event log the rest. */
  vms: number;
}

const PANELS = 8;
const TABLE_MIN = 3;

export function layout(columns: number, rows: number, p: LayoutParts = { parts: 0, vms: 0 }): Layout {
  const height = Math.max(4, rows - 1);
  const header = 1;
  const footer = 1;
  const body = height - header - footer;
  // Full panels need the width for three boxes and rows to spare; else one line per part.
  const panels = p.parts > 0 && columns >= 100 && body >= 34 ? PANELS : 0;
  const status = panels ? 0 : Math.min(p.parts, Math.max(0, body - TABLE_MIN));
  const rest = body - panels - status;
  const chart = columns >= 60 && rest >= 26 ? Math.max(6, Math.min(14, Math.floor(rest * 0.4))) : 0;
  const avail = rest - chart;
  const eventsMin = avail >= 14 ? 4 : avail >= 9 ? 3 : 0;
  const tableWant = Math.max(TABLE_MIN, p.vms + 1);
  let table = Math.max(Math.min(avail, 2), Math.min(tableWant, avail - eventsMin));
  let events = Math.max(0, avail - table);
  // A title with no line under it is no log: the table takes that row.
  if (events === 1) [table, events] = [table + 1, 0];
  return { height, header, panels, panelCount: panels ? 3 : 0, status, chart, table, events, footer };
}

/** Lines the frame draws (header to footer). */
export function frameHeight(l: Layout): number {
  return l.header + l.panels + l.status + l.chart + l.table + l.events + l.footer;
}

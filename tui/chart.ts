// A braille line chart for the terminal: a pure function from series + size to
// lines of colored segments. Each character cell holds 2x4 braille dots, so a
// chart W cells wide shows 2*W samples per series and H cells tall gives 4*H
// vertical steps. No Ink, no I/O: unit-tested in test/tui/chart.test.ts.

export interface ChartSeries {
  /** Oldest first; null is a missing sample and breaks the line (never drawn as 0). */
  values: ReadonlyArray<number | null>;
  color: string;
}

export interface ChartThreshold {
  value: number;
  color: string;
}

export interface ChartOptions {
  /** Plot area in character cells (axis labels not included). */
  width: number;
  height: number;
  min?: number;
  max?: number;
  thresholds?: ChartThreshold[];
  /** Dot columns per sample (default 1): a short history can be stretched to fill the width. */
  xStep?: number;
}

/** A run of characters in one color (undefined = default color). */
export interface Segment {
  text: string;
  color?: string;
}
export type ChartLine = Segment[];

// Braille dot bits by (column 0..1, row 0..3) inside one cell, U+2800 based.
const DOT: readonly (readonly number[])[] = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];
const BRAILLE_BASE = 0x2800;

/** Map a value to a dot row: 0 at the top, 4*height-1 at the bottom, clamped. */
export function dotRow(value: number, min: number, max: number, dotsHigh: number): number {
  const span = max - min || 1;
  const f = (value - min) / span;
  const r = Math.round((1 - f) * (dotsHigh - 1));
  return Math.max(0, Math.min(dotsHigh - 1, r));
}

/** How many samples a chart `width` cells wide shows: the newest at the rightmost dot column, one every `xStep` columns. */
export function samplesThatFit(width: number, xStep: number): number {
  return Math.floor((width * 2 - 1) / xStep) + 1;
}

export function renderChart(series: ReadonlyArray<ChartSeries>, opts: ChartOptions): ChartLine[] {
  const width = Math.max(1, Math.floor(opts.width));
  const height = Math.max(1, Math.floor(opts.height));
  const min = opts.min ?? 0;
  const max = opts.max ?? 100;
  const dotsWide = width * 2;
  const dotsHigh = height * 4;
  // Per cell: braille bits, and which color owns it (series beat thresholds; later series beat earlier).
  const bits = new Uint8Array(width * height);
  const owner: (string | undefined)[] = new Array(width * height);
  const ownerRank = new Int16Array(width * height).fill(-1);

  const set = (dx: number, dy: number, color: string, rank: number) => {
    if (dx < 0 || dx >= dotsWide || dy < 0 || dy >= dotsHigh) return;
    const cx = dx >> 1;
    const cy = dy >> 2;
    const i = cy * width + cx;
    bits[i]! |= DOT[dx & 1]![dy & 3]!;
    if (rank >= ownerRank[i]!) {
      ownerRank[i] = rank;
      owner[i] = color;
    }
  };

  // Thresholds first: dotted lines (every other dot) so a series crossing them stays readable.
  for (const t of opts.thresholds ?? []) {
    if (t.value < min || t.value > max) continue;
    const dy = dotRow(t.value, min, max, dotsHigh);
    for (let dx = 0; dx < dotsWide; dx += 2) set(dx, dy, t.color, 0);
  }

  const xStep = Math.max(1, Math.floor(opts.xStep ?? 1));
  const fits = samplesThatFit(width, xStep);
  series.forEach((s, k) => {
    const rank = k + 1;
    const vals = s.values.slice(-fits);
    const lastX = dotsWide - 1;
    let prev: { x: number; y: number } | null = null;
    vals.forEach((v, j) => {
      const dx = lastX - (vals.length - 1 - j) * xStep;
      if (v === null || !Number.isFinite(v)) {
        prev = null;
        return;
      }
      const dy = dotRow(v, min, max, dotsHigh);
      if (prev === null) set(dx, dy, s.color, rank);
      else line(prev.x, prev.y, dx, dy, (x, y) => set(x, y, s.color, rank));
      prev = { x: dx, y: dy };
    });
  });

  const lines: ChartLine[] = [];
  for (let cy = 0; cy < height; cy++) {
    const line: ChartLine = [];
    for (let cx = 0; cx < width; cx++) {
      const i = cy * width + cx;
      const ch = bits[i] ? String.fromCharCode(BRAILLE_BASE + bits[i]!) : " ";
      const color = bits[i] ? owner[i] : undefined;
      const last = line[line.length - 1];
      if (last && last.color === color) last.text += ch;
      else line.push({ text: ch, color });
    }
    lines.push(line);
  }
  return lines;
}

/**
 * Every dot from (x0, y0) to (x1, y1), x0 < x1, with no vertical gaps: each
 * column gets the run of rows the line crosses in it (steep lines stay joined).
 */
export function line(x0: number, y0: number, x1: number, y1: number, plot: (x: number, y: number) => void): void {
  const dxTotal = x1 - x0;
  if (dxTotal <= 0) {
    const [a, b] = y0 < y1 ? [y0, y1] : [y1, y0];
    for (let y = a; y <= b; y++) plot(x1, y);
    return;
  }
  const slope = (y1 - y0) / dxTotal;
  for (let x = x0; x <= x1; x++) {
    // Rows covered in this column: from the line's y half a column to the left to half a column to the right.
    const yl = y0 + slope * Math.max(0, x - x0 - 0.5);
    const yr = y0 + slope * Math.min(dxTotal, x - x0 + 0.5);
    const a = Math.round(Math.min(yl, yr));
    const b = Math.round(Math.max(yl, yr));
    for (let y = a; y <= b; y++) plot(x, y);
  }
}

/** The plain text of chart lines (tests, logs). */
export function chartText(lines: ChartLine[]): string[] {
  return lines.map((l) => l.map((s) => s.text).join(""));
}

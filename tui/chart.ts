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

  series.forEach((s, k) => {
    const rank = k + 1;
    // Right-align: the newest sample sits in the rightmost dot column.
    const vals = s.values.slice(-dotsWide);
    const offset = dotsWide - vals.length;
    let prev: number | null = null;
    vals.forEach((v, j) => {
      const dx = offset + j;
      if (v === null || !Number.isFinite(v)) {
        prev = null;
        return;
      }
      const dy = dotRow(v, min, max, dotsHigh);
      if (prev === null || prev === dy) set(dx, dy, s.color, rank);
      else {
        // Join to the previous sample: fill the vertical gap, split between the two columns.
        const mid = (prev + dy) / 2;
        const step = dy > prev ? 1 : -1;
        for (let y = prev; y !== dy + step; y += step) set(step > 0 ? (y <= mid ? dx - 1 : dx) : y >= mid ? dx - 1 : dx, y, s.color, rank);
      }
      prev = dy;
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

/** The plain text of chart lines (tests, logs). */
export function chartText(lines: ChartLine[]): string[] {
  return lines.map((l) => l.map((s) => s.text).join(""));
}

// A one-line sparkline of the last samples with block characters. Pure.
// Missing samples (null) show as a middle dot so a gap never reads as 0 %.
const BLOCKS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;
export const MISSING = "·";

export function sparkline(values: ReadonlyArray<number | null>, width: number, min = 0, max = 100): string {
  const w = Math.max(0, Math.floor(width));
  const tail = values.slice(-w);
  const span = max - min || 1;
  const out = tail.map((v) => {
    if (v === null || !Number.isFinite(v)) return MISSING;
    const f = Math.max(0, Math.min(1, (v - min) / span));
    return BLOCKS[Math.min(BLOCKS.length - 1, Math.floor(f * BLOCKS.length))]!;
  });
  // Left-pad so the newest sample is always in the last column.
  return " ".repeat(w - out.length) + out.join("");
}

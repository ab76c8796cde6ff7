// `?`: every key from the one key table, greyed out when the command it
// needs is not registered in this mode (say, load keys without a generator).
// Flows into two or three columns when the terminal is short; a help text
// too long for its column wraps under itself instead of being cut.
import React from "react";
import { Box, Text } from "../ink.tsx";
import { helpRows, isAvailable, requiredCommands, type KeyBinding } from "../keys.ts";
import { wrapWords } from "../format.ts";

export interface Entry {
  b: KeyBinding;
  ok: boolean;
  /** The help text as wrapped for its column (one line when it fits). */
  lines: string[];
  /** One-line form with the grey notes (wide layout only). */
  notes?: { req: string; na: boolean };
}

/** Entries per column: in table order, a column ending when the next entry would pass `fit` lines; null if `ncols` are not enough. */
export function flowColumns<T>(items: readonly T[], heightOf: (t: T) => number, fit: number, ncols: number): T[][] | null {
  const cols: T[][] = [[]];
  let used = 0;
  for (const it of items) {
    const h = heightOf(it);
    if (used + h > fit && cols[cols.length - 1]!.length > 0) {
      if (cols.length === ncols) return null;
      cols.push([]);
      used = 0;
    }
    cols[cols.length - 1]!.push(it);
    used += h;
  }
  return cols.length <= ncols && used <= fit ? cols : null;
}

/** The help's columns for a box of `width` x `height` cells: entries per column, each with its (wrapped) lines. */
export function helpColumns(has: (name: string) => boolean, width: number, height: number, table?: readonly KeyBinding[]): { columns: Entry[][]; colW: number; labelW: number; fit: number } {
  const rows = helpRows(table);
  const labelW = Math.max(...rows.map((r) => r.label.length)) + 1;
  const fit = Math.max(1, height - 3); // border (2) + title (1)
  const inner = width - 4; // border + padding
  const attempt = (ncols: number, wrap: boolean) => {
    const colW = Math.floor(inner / ncols);
    const textW = Math.max(8, colW - labelW - 1);
    const compact = ncols > 1;
    const lines = (text: string) => (wrap ? wrapWords(text, textW) : [text]);
    const entries = rows.map((b): Entry => {
      const ok = isAvailable(b, has);
      const req = requiredCommands(b);
      if (!compact) {
        const full = `${b.help}${req.length ? ` [${req.join("|")}]` : ""}${ok ? "" : " (not available in this mode)"}`;
        if ([...full].length <= textW) return { b, ok, lines: [b.help], notes: { req: req.length ? ` [${req.join("|")}]` : "", na: !ok } };
        return { b, ok, lines: lines(full) };
      }
      return { b, ok, lines: lines(`${ok ? "" : "(n/a) "}${b.help}`) };
    });
    const cols = flowColumns(entries, (e) => e.lines.length, fit, ncols);
    return { cols, entries, colW };
  };
  // Whole help texts (wrapped) in as few columns as fit, three columns only while they stay readable;
  // a terminal too small even for that gets one line per key, cut at the column's edge.
  let chosen: { entries: Entry[][]; colW: number } | undefined;
  for (const [ncols, wrap] of [[1, true], [2, true], [3, true], [1, false], [2, false], [3, false]] as const) {
    if (wrap && ncols === 3 && Math.floor(inner / 3) - labelW - 1 < 20) continue;
    const a = attempt(ncols, wrap);
    if (a.cols) {
      chosen = { entries: a.cols, colW: a.colW };
      break;
    }
  }
  if (!chosen) {
    const a = attempt(3, false);
    const per = Math.ceil(a.entries.length / 3);
    chosen = { entries: [0, 1, 2].map((i) => a.entries.slice(i * per, (i + 1) * per)), colW: a.colW };
  }
  return { columns: chosen.entries, colW: chosen.colW, labelW, fit };
}

export function HelpOverlay({ has, width, height, table }: { has: (name: string) => boolean; width: number; height: number; table?: readonly KeyBinding[] }) {
  const { columns: entries, colW, labelW, fit } = helpColumns(has, width, height, table);
  // Each column as its lines, cut to the box (Yoga would otherwise squeeze lines onto each other).
  const columnLines = entries.map((col) => col.flatMap((e) => e.lines.map((line, j) => ({ e, line, j }))).slice(0, fit));
  return (
    <Box flexDirection="column" borderStyle="double" borderColor="cyan" width={width} height={height} paddingX={1} overflow="hidden">
      <Text bold wrap="truncate">
        Keys <Text color="gray">(greyed out: not available in this mode) · any key closes</Text>
      </Text>
      <Box flexDirection="row">
        {columnLines.map((col, i) => (
          <Box key={i} flexDirection="column" width={colW} paddingRight={1}>
            {col.map(({ e, line, j }) => (
              <Text key={`${e.b.label}/${j}`} wrap="truncate" color={e.ok ? undefined : "gray"} dimColor={!e.ok}>
                <Text color={e.ok ? "cyanBright" : "gray"} bold={e.ok}>
                  {(j === 0 ? e.b.label : "").padEnd(labelW)}
                </Text>
                {line}
                {e.notes?.req ? <Text color="gray">{e.notes.req}</Text> : null}
                {e.notes?.na ? <Text color="gray"> (not available in this mode)</Text> : null}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}

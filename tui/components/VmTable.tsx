// The VM table: one line per VM, windowed to the rows the screen has, the
// selected row highlighted. Columns that do not fit the width are dropped,
// least useful first.
import { hostShort } from "../hosts.ts";
import React from "react";
import { Box, Text, useColor } from "../ink.tsx";
import { count, cpuTime, fit, mem, ms, pct, rate, NONE } from "../format.ts";
import { sparkline } from "../sparkline.ts";
import { cpuColor, ROLE_COLORS, STATE_COLORS } from "../theme.ts";
import { ASCENDING, type SortKey, type VmRow } from "../table-model.ts";

interface Column {
  id: string;
  title: string;
  width: number;
  align?: "left" | "right";
  /** Lower drops first when the terminal is narrow. */
  priority: number;
  sort?: SortKey;
  cell(vm: VmRow, ctx: RowContext): { text: string; color?: string };
}

interface RowContext {
  history: ReadonlyArray<number | null>;
  high: number;
  low: number;
  busy: boolean;
}

const SPARK = 12;

const COLUMNS: Column[] = [
  { id: "name", title: "NAME", width: 16, priority: 10, sort: "name", cell: (v, c) => ({ text: (c.busy ? "⟳ " : "") + v.name }) },
  { id: "state", title: "STATE", width: 9, priority: 9, sort: "state", cell: (v) => ({ text: v.state, color: STATE_COLORS[v.state] }) },
  {
    id: "role",
    title: "ROLE",
    width: 9,
    priority: 8,
    sort: "role",
    // A serving VM the balancer took out of rotation says so: that is what matters about it now.
    cell: (v) => (v.backend === "unhealthy" ? { text: "unhealthy", color: "red" } : { text: v.role, color: ROLE_COLORS[v.role] }),
  },
  { id: "vcpus", title: "vCPU", width: 4, align: "right", priority: 3, cell: (v) => ({ text: String(v.vcpus) }) },
  { id: "mem", title: "MEM", width: 6, align: "right", priority: 2, sort: "mem", cell: (v) => ({ text: mem(v.memoryKiB) }) },
  { id: "cpu", title: "CPU", width: 6, align: "right", priority: 9, sort: "cpu", cell: (v, c) => ({ text: pct(v.cpuPct), color: cpuColor(v.cpuPct, c.high, c.low) }) },
  { id: "time", title: "TIME", width: 7, align: "right", priority: 0.5, sort: "time", cell: (v) => ({ text: cpuTime(v.cpuTimeS) }) },
  { id: "spark", title: "CPU HISTORY", width: SPARK, priority: 5, cell: (_v, c) => ({ text: sparkline(c.history, SPARK), color: "cyan" }) },
  { id: "rps", title: "REQ/S", width: 7, align: "right", priority: 7, sort: "rps", cell: (v) => ({ text: v.rps === undefined ? NONE : rate(v.rps) }) },
  { id: "inflight", title: "INFL", width: 5, align: "right", priority: 4, cell: (v) => ({ text: v.inFlight === undefined ? NONE : count(v.inFlight) }) },
  { id: "p99", title: "P99", width: 8, align: "right", priority: 6, sort: "p99", cell: (v) => ({ text: ms(v.p99Ms) }) },
  // Only in a group over several hosts (a VM view carries its host then).
  { id: "host", title: "HOST", width: 12, priority: 1.5, cell: (v) => ({ text: v.host ? hostShort(v.host) : NONE, color: v.host ? undefined : "gray" }) },
  { id: "address", title: "ADDRESS", width: 21, priority: 1, cell: (v) => ({ text: v.address ?? NONE, color: v.address ? undefined : "gray" }) },
];

/**
 * Columns that fit `width` (2 for the marker + 1 space between columns), in
 * table order. The name column grows to the longest name (up to 28), the
 * address column to the longest address (up to 21).
 */
export function fitColumns(width: number, longestName = 0, longestAddress = 21, sortedBy?: SortKey, withHost = false): Column[] {
  const nameW = Math.max(16, Math.min(28, longestName + 2));
  const addrW = Math.max(7, Math.min(21, longestAddress));
  // The column the table is sorted by stays on screen, however narrow (T shows TIME at 80 columns).
  const cols = COLUMNS.filter((c) => withHost || c.id !== "host").map((c) => ({
    ...c,
    ...(c.id === "name" ? { width: nameW } : c.id === "address" ? { width: addrW } : {}),
    ...(sortedBy && c.sort === sortedBy ? { priority: Math.max(c.priority, 8.5) } : {}),
  }));
  const byPriority = [...cols].sort((a, b) => b.priority - a.priority);
  const chosen = new Set<Column>();
  let used = 2;
  for (const c of byPriority) {
    if (used + c.width + 1 <= width) {
      chosen.add(c);
      used += c.width + 1;
    }
  }
  return cols.filter((c) => chosen.has(c));
}

export interface VmTableProps {
  rows: VmRow[];
  /** First row shown (from windowStart) and how many rows fit. */
  start: number;
  height: number;
  selected: number;
  width: number;
  sort: SortKey;
  /** The sort key's order reversed (R). */
  reverse?: boolean;
  colorOf: (name: string) => string;
  history: (name: string) => ReadonlyArray<number | null>;
  busy: (name: string) => boolean;
  high: number;
  low: number;
  /** Shown when there are no rows. */
  empty: string;
}

/** ↑ when the column reads A→Z / small first, ↓ when the biggest comes first. */
export function sortArrow(key: SortKey, reverse = false): string {
  return ASCENDING.has(key) !== reverse ? "↑" : "↓";
}

export function VmTable(p: VmTableProps) {
  const color = useColor();
  const cols = fitColumns(
    p.width,
    Math.max(0, ...p.rows.map((r) => r.name.length)),
    Math.max(0, ...p.rows.map((r) => (r.address ?? "").length)),
    p.sort,
    p.rows.some((r) => r.host),
  );
  const shown = p.rows.slice(p.start, p.start + p.height);
  const above = p.start;
  const below = Math.max(0, p.rows.length - p.start - shown.length);
  return (
    <Box flexDirection="column" width={p.width}>
      <Text wrap="truncate" bold>
        {"  "}
        {cols.map((c) => (
          <Text key={c.id} color={c.sort === p.sort ? "cyanBright" : "gray"} underline={c.sort === p.sort}>
            {fit(c.title + (c.sort === p.sort ? sortArrow(c.sort, p.reverse) : ""), c.width, c.align)}
            {" "}
          </Text>
        ))}
        <Text color="gray">
          {above > 0 ? ` ↑${above}` : ""}
          {below > 0 ? ` ↓${below}` : ""}
        </Text>
      </Text>
      {shown.length === 0 ? (
        <Text color="gray" wrap="truncate">
          {"  "}
          {p.empty}
        </Text>
      ) : (
        shown.map((vm, i) => {
          const isSel = p.start + i === p.selected;
          const ctx: RowContext = { history: p.history(vm.name), high: p.high, low: p.low, busy: p.busy(vm.name) };
          return (
            <Text key={vm.name} wrap="truncate">
              <Text color={p.colorOf(vm.name)}>{isSel ? "▶" : "●"} </Text>
              {/* The selected row is one bar; per-cell colors on it would make a patchwork. */}
              {/* Without colours (NO_COLOR) the selected row is inverse instead of a blue bar. */}
              <Text backgroundColor={isSel ? "blue" : undefined} color={isSel ? "whiteBright" : undefined} bold={isSel} inverse={isSel && !color}>
                {cols.map((c) => {
                  const cell = c.cell(vm, ctx);
                  return (
                    <Text key={c.id} color={isSel ? undefined : cell.color}>
                      {fit(cell.text, c.width, c.align)}
                      {" "}
                    </Text>
                  );
                })}
              </Text>
            </Text>
          );
        })
      )}
    </Box>
  );
}

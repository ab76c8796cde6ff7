// The group's CPU over the last minutes: one braille line per VM, the group
// average on top, the scaler's high and low thresholds as dotted lines.
import React from "react";
import { Box, Text } from "../ink.tsx";
import { renderChart, dotRow, samplesThatFit, type ChartSeries } from "../chart.ts";
import { AVG_COLOR, HIGH_COLOR, LOW_COLOR } from "../theme.ts";

export interface CpuChartProps {
  /** Per VM, oldest first, with its color. */
  series: { name: string; color: string; values: ReadonlyArray<number | null> }[];
  /** Group average (drawn under the VM lines); omitted when empty. */
  average?: ReadonlyArray<number | null>;
  high: number;
  low: number;
  /** Width and height of the whole panel in cells, border included. */
  width: number;
  height: number;
  /** Seconds between samples, for the time axis. */
  sampleSeconds: number;
}

const AXIS = 5; // "100 ┤"
export const MAX_LINES = 100;

function span(seconds: number): string {
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
}

export function CpuChart(p: CpuChartProps) {
  const plotW = Math.max(4, p.width - 2 - AXIS);
  const plotH = Math.max(2, p.height - 4); // border (2) + title (1) + legend (1)
  // Past a hundred lines the chart is a solid band and only costs time: draw the first MAX_LINES, say so.
  const series: ChartSeries[] = p.series.slice(0, MAX_LINES).map((s) => ({ values: s.values, color: s.color }));
  // The group average goes in first: where it meets a VM's line, the VM's color shows.
  if (p.average && p.average.some((v) => v !== null)) series.unshift({ values: p.average, color: AVG_COLOR });
  // A short history (the first minutes of a run) is stretched to fill the width, up to 8 dot columns a sample.
  const dotsWide = plotW * 2;
  const longest = Math.max(0, ...series.map((s) => s.values.length));
  const xStep = longest > 1 ? Math.max(1, Math.min(8, Math.floor((dotsWide - 1) / (longest - 1)))) : 1;
  const lines = renderChart(series, {
    width: plotW,
    height: plotH,
    min: 0,
    max: 100,
    xStep,
    thresholds: [
      { value: p.high, color: HIGH_COLOR },
      { value: p.low, color: LOW_COLOR },
    ],
  });
  // Axis labels on the rows where 100, high, low and 0 fall.
  const labels = new Map<number, { text: string; color?: string }>();
  const rowOf = (v: number) => Math.floor(dotRow(v, 0, 100, plotH * 4) / 4);
  labels.set(rowOf(100), { text: "100" });
  labels.set(rowOf(0), { text: "0" });
  labels.set(rowOf(p.high), { text: String(p.high), color: HIGH_COLOR });
  labels.set(rowOf(p.low), { text: String(p.low), color: LOW_COLOR });

  const shown = p.series.slice(0, 6);
  const more = p.series.length - shown.length;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor="gray" width={p.width} height={p.height} paddingX={0}>
      <Text wrap="truncate">
        <Text bold> CPU %</Text>
        <Text color="gray"> last {span(samplesThatFit(plotW, xStep) * p.sampleSeconds)} · </Text>
        <Text color={HIGH_COLOR}>┄ high {p.high}%</Text>
        <Text color="gray"> · </Text>
        <Text color={LOW_COLOR}>┄ low {p.low}%</Text>
      </Text>
      {lines.map((line, i) => {
        const label = labels.get(i);
        return (
          <Text key={i} wrap="truncate">
            <Text color={label?.color ?? "gray"}>{(label?.text ?? "").padStart(AXIS - 2)} ┤</Text>
            {line.map((seg, j) => (
              <Text key={j} color={seg.color}>
                {seg.text}
              </Text>
            ))}
          </Text>
        );
      })}
      <Text wrap="truncate">
        {"  "}
        {p.average ? <Text color={AVG_COLOR}>⣿ avg </Text> : null}
        {shown.map((s) => (
          <Text key={s.name} color={s.color}>
            ⣿ {s.name}{" "}
          </Text>
        ))}
        {more > 0 ? <Text color="gray">+{more} more{p.series.length > MAX_LINES ? ` (lines for the first ${MAX_LINES})` : ""}</Text> : null}
        {p.series.length === 0 ? <Text color="gray">no VMs yet</Text> : null}
      </Text>
    </Box>
  );
}

/**
 * Group average per sample, aligned on the newest sample (histories of VMs
 * that joined later are shorter). Missing samples are skipped, not zeroed.
 */
export function averageSeries(histories: ReadonlyArray<ReadonlyArray<number | null>>): (number | null)[] {
  const len = Math.max(0, ...histories.map((h) => h.length));
  const out: (number | null)[] = [];
  for (let k = len; k >= 1; k--) {
    let sum = 0;
    let n = 0;
    for (const h of histories) {
      const v = h[h.length - k];
      if (v !== undefined && v !== null && Number.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    out.push(n ? sum / n : null);
  }
  return out;
}

import { describe, expect, test } from "bun:test";
import { chartText, dotRow, line, renderChart } from "../../tui/chart.ts";
import { sparkline, MISSING } from "../../tui/sparkline.ts";

describe("renderChart", () => {
  test("an empty chart is blank and has the asked size", () => {
    const lines = renderChart([], { width: 10, height: 3 });
    expect(chartText(lines)).toEqual(["          ", "          ", "          "]);
  });

  test("a constant series is a flat line on the row of its value", () => {
    // height 5 -> 20 dot rows; 50 % of 0..100 is dot row round(0.5*19)=10 -> cell row 2, dot 2 in the cell.
    const lines = chartText(renderChart([{ values: Array(20).fill(50), color: "cyan" }], { width: 10, height: 5 }));
    expect(dotRow(50, 0, 100, 20)).toBe(10);
    // Dot row 2 in a cell sets bits 0x04 (left) and 0x20 (right): U+2824 '⠤'.
    expect(lines[2]).toBe("⠤".repeat(10));
    for (const i of [0, 1, 3, 4]) expect(lines[i]!.trim()).toBe("");
  });

  test("thresholds are dotted lines at their rows, in their colors", () => {
    const lines = renderChart([], { width: 8, height: 5, thresholds: [{ value: 80, color: "red" }, { value: 35, color: "blue" }] });
    const text = chartText(lines);
    const highRow = Math.floor(dotRow(80, 0, 100, 20) / 4);
    const lowRow = Math.floor(dotRow(35, 0, 100, 20) / 4);
    expect(highRow).toBeLessThan(lowRow);
    expect(text[highRow]!.trim().length).toBe(8);
    expect(text[lowRow]!.trim().length).toBe(8);
    expect(lines[highRow]!.every((s) => s.color === "red")).toBe(true);
    expect(lines[lowRow]!.every((s) => s.color === "blue")).toBe(true);
  });

  test("the newest sample is in the rightmost column; older ones than fit are cut", () => {
    const values = [...Array(100).fill(0), 100];
    const text = chartText(renderChart([{ values, color: "c" }], { width: 5, height: 2 }));
    // Top row: only the last cell has a dot (the 100 % sample), plus the join line from 0 up to it.
    expect(text[0]!.slice(0, 4).trim()).toBe("");
    expect(text[0]![4]).not.toBe(" ");
  });

  test("a missing sample breaks the line instead of dropping to 0", () => {
    const gap = chartText(renderChart([{ values: [100, 100, null, null, 100, 100], color: "c" }], { width: 3, height: 2 }));
    const zero = chartText(renderChart([{ values: [100, 100, 0, 0, 100, 100], color: "c" }], { width: 3, height: 2 }));
    expect(gap[1]!.trim()).toBe(""); // nothing drawn near 0
    expect(zero[1]!.trim()).not.toBe("");
    expect(gap[0]![1]).toBe(" "); // the middle cell (two nulls) is empty
  });

  test("steep changes are joined vertically (no floating dots)", () => {
    const text = chartText(renderChart([{ values: [0, 100], color: "c" }], { width: 1, height: 3 }));
    // Every cell row of the single column has dots: the rise is drawn.
    for (const row of text) expect(row).not.toBe(" ");
  });

  test("later series own the cells they share (colors), values outside the range clamp", () => {
    const lines = renderChart(
      [
        { values: [50, 50], color: "a" },
        { values: [50, 150], color: "b" },
      ],
      { width: 1, height: 2 },
    );
    expect(lines.flat().some((s) => s.color === "b")).toBe(true);
    // Row 1 is the cell both series draw in (at 50 %): the later one's color, whichever it is.
    expect(lines[1]).toEqual([{ text: expect.any(String), color: "b" }]);
    const swapped = renderChart(
      [
        { values: [50, 150], color: "b" },
        { values: [50, 50], color: "a" },
      ],
      { width: 1, height: 2 },
    );
    expect(swapped[1]).toEqual([{ text: expect.any(String), color: "a" }]);
    expect(chartText(lines)[0]).not.toBe(" "); // 150 clamps to the top row
  });
});

describe("stretching and lines", () => {
  test("xStep spreads a short history over the width, newest on the right", () => {
    // 3 samples at 100 %, 4 dot columns apart, in 10 dot columns: x = 9, 5, 1 -> cells 4, 2, 0 all have dots on the top row.
    const text = chartText(renderChart([{ values: [100, 100, 100], color: "c" }], { width: 5, height: 1, xStep: 4 }));
    for (const i of [0, 1, 2, 3, 4]) expect(text[0]![i]).not.toBe(" "); // joined by a flat line
    const sparse = chartText(renderChart([{ values: [100, null, 100], color: "c" }], { width: 5, height: 1, xStep: 4 }));
    expect(sparse[0]![1]).toBe(" "); // the gap stays a gap
    expect(sparse[0]![0]).not.toBe(" ");
  });

  test("line() covers every column between its ends and every row it crosses", () => {
    const pts: [number, number][] = [];
    line(0, 0, 4, 12, (x, y) => pts.push([x, y]));
    const xs = new Set(pts.map((p) => p[0]));
    expect([...xs].sort()).toEqual([0, 1, 2, 3, 4]);
    const ys = new Set(pts.map((p) => p[1]));
    for (let y = 0; y <= 12; y++) expect(ys.has(y)).toBe(true);
    const flat: [number, number][] = [];
    line(2, 5, 6, 5, (x, y) => flat.push([x, y]));
    expect(flat).toEqual([[2, 5], [3, 5], [4, 5], [5, 5], [6, 5]]);
  });
});

describe("sparkline", () => {
  test("maps 0..100 to blocks, right-aligned, gaps as dots", () => {
    expect(sparkline([0, 50, 100], 5)).toBe("  ▁▅█");
    expect(sparkline([10, null, 90], 3)).toBe(`▁${MISSING}█`);
    expect(sparkline(Array(20).fill(100), 4)).toBe("████");
  });
});

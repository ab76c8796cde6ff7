import { describe, expect, test } from "bun:test";
import type { VmView } from "../../src/events.ts";
import { compareVms, cpuSeconds, matchesFilter, selectedIndex, visibleVms, windowStart } from "../../tui/table-model.ts";
import { frameHeight, layout } from "../../tui/layout.ts";
import { cpuTime, fit, ms, pct, wrapWords } from "../../tui/format.ts";

const vm = (name: string, cpuPct: number | null, extra: Partial<VmView> = {}): VmView => ({ name, state: "running", role: "serving", vcpus: 1, memoryKiB: 262144, cpuPct, ...extra });

describe("table model", () => {
  test("names sort naturally; CPU sorts busiest first with missing samples last", () => {
    const vms = [vm("web-10", 5), vm("web-2", null), vm("web-1", 90)];
    expect(visibleVms(vms, "name", "").map((v) => v.name)).toEqual(["web-1", "web-2", "web-10"]);
    expect(visibleVms(vms, "cpu", "").map((v) => v.name)).toEqual(["web-1", "web-10", "web-2"]);
    expect([vm("b", 1, { role: "warm" }), vm("a", 1, { role: "serving" })].sort(compareVms("role")).map((v) => v.name)).toEqual(["a", "b"]);
  });

  test("filter matches name, state, role and address, case-insensitively", () => {
    expect(matchesFilter(vm("web-0001", 1), "WEB-00")).toBe(true);
    expect(matchesFilter(vm("x", 1, { state: "paused" }), "pause")).toBe(true);
    expect(matchesFilter(vm("x", 1, { address: "127.0.0.1:31005" }), "31005")).toBe(true);
    expect(matchesFilter(vm("x", 1), "nope")).toBe(false);
    expect(matchesFilter(vm("x", 1), "  ")).toBe(true);
  });

  test("selection falls back to the first row when the selected VM is gone", () => {
    const rows = [vm("a", 1), vm("b", 1)];
    expect(selectedIndex(rows, "b")).toBe(1);
    expect(selectedIndex(rows, "gone")).toBe(0);
    expect(selectedIndex([], "a")).toBe(-1);
  });

  test("the window follows the selection with the least movement", () => {
    expect(windowStart(0, 5, 100, 10)).toBe(0);
    expect(windowStart(0, 10, 100, 10)).toBe(1); // one past the bottom: scroll by one
    expect(windowStart(50, 49, 100, 10)).toBe(49); // above the top: top follows
    expect(windowStart(95, 99, 100, 10)).toBe(90); // clamped to the end
    expect(windowStart(40, 3, 5, 10)).toBe(0); // everything fits
  });

  test("the frame fills the terminal but its last line (no full-screen clears); the table always stays", () => {
    for (const [c, r] of [[120, 40], [80, 24], [200, 60], [60, 12], [40, 6]] as const) {
      for (const parts of [0, 3]) {
        const l = layout(c, r, { parts, vms: 5 });
        expect(frameHeight(l)).toBe(Math.max(4, r - 1));
        expect(l.table).toBeGreaterThanOrEqual(2);
      }
    }
    expect(layout(120, 40, { parts: 3, vms: 3 }).chart).toBeGreaterThan(0);
    expect(layout(80, 20, { parts: 0, vms: 3 }).chart).toBe(0); // small screens drop the chart before the table
  });

  test("80x24 keeps one status line per part and an event log; big terminals get the panels and the chart", () => {
    const small = layout(80, 24, { parts: 3, vms: 3 });
    expect(small).toMatchObject({ panels: 0, status: 3, chart: 0 });
    expect(small.events).toBeGreaterThanOrEqual(4);
    const big = layout(120, 40, { parts: 3, vms: 3 });
    expect(big).toMatchObject({ panels: 8, panelCount: 3, status: 0 });
    expect(big.events).toBeGreaterThanOrEqual(4);
    // Many VMs: the table takes the room, the log keeps a few lines.
    const many = layout(80, 24, { parts: 3, vms: 100 });
    expect(many.table).toBeGreaterThan(small.table);
    expect(many.events).toBe(4);
  });

  test("sort keys: memory, CPU time and reverse; missing numbers stay last either way", () => {
    const vms = [vm("a", 10, { memoryKiB: 1024 }), vm("b", null, { memoryKiB: 4096 }), vm("c", 50, { memoryKiB: 2048 })];
    expect(visibleVms(vms, "mem", "").map((v) => v.name)).toEqual(["b", "c", "a"]);
    expect(visibleVms(vms, { key: "cpu", reverse: true }, "").map((v) => v.name)).toEqual(["a", "c", "b"]);
    expect(visibleVms(vms, { key: "name", reverse: true }, "").map((v) => v.name)).toEqual(["c", "b", "a"]);
    const timed = [{ ...vm("x", 1), cpuTimeS: 5 }, { ...vm("y", 1), cpuTimeS: null }, { ...vm("z", 1), cpuTimeS: 50 }];
    expect(visibleVms(timed, "time", "").map((v) => v.name)).toEqual(["z", "x", "y"]);
    // 50 % of 2 vCPUs for 3 one-second samples = 3 CPU seconds; a gap counts nothing.
    expect(cpuSeconds([50, null, 50, 50], 2, 1)).toBe(3);
    expect(cpuSeconds([null], 1, 1)).toBeNull();
    expect(cpuTime(185)).toBe("3m05s");
  });

  test("words wrap to the width; a word longer than a line is cut, not lost", () => {
    expect(wrapWords("quit (stops the group when run by up)", 16)).toEqual(["quit (stops the", "group when run", "by up)"]);
    expect(wrapWords("ab " + "x".repeat(10) + " END", 6)).toEqual(["ab", "xxxxxx", "xxxx", "END"]);
    expect(wrapWords("", 5)).toEqual([""]);
  });

  test("formatting says – for unknown, never 0", () => {
    expect(pct(null)).toBe("–");
    expect(ms(undefined)).toBe("–");
    expect(pct(5)).toBe("5.0%");
    expect(fit("abcdef", 4)).toBe("abc…");
    expect(fit("ab", 4, "right")).toBe("  ab");
  });
});

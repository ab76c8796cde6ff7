import { describe, expect, test } from "bun:test";
import type { VmView } from "../../src/events.ts";
import { compareVms, matchesFilter, selectedIndex, visibleVms, windowStart } from "../../tui/table-model.ts";
import { layout, liveHeight } from "../../tui/layout.ts";
import { fit, ms, pct } from "../../tui/format.ts";

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

  test("the live area always leaves the terminal's last line free (no full-screen clears)", () => {
    for (const [c, r] of [[120, 40], [80, 24], [200, 60], [60, 12], [40, 6]] as const) {
      const l = layout(c, r);
      expect(liveHeight(l) + l.logLines).toBeLessThanOrEqual(r - 1 < 4 ? 4 : r - 1);
      expect(l.table).toBeGreaterThanOrEqual(2);
    }
    expect(layout(120, 40).chart).toBeGreaterThan(0);
    expect(layout(80, 20).chart).toBe(0); // small screens drop the chart before the table
  });

  test("formatting says – for unknown, never 0", () => {
    expect(pct(null)).toBe("–");
    expect(ms(undefined)).toBe("–");
    expect(pct(5)).toBe("5.0%");
    expect(fit("abcdef", 4)).toBe("abc…");
    expect(fit("ab", 4, "right")).toBe("  ab");
  });
});

import { describe, expect, test } from "bun:test";
import type { Key } from "ink";
import { charKey, findBinding, fitHints, footerHints, isAvailable, KEYS, quitQuestion, resolveCommand } from "../../tui/keys.ts";

const press = (c: string): [string, Key] => charKey(c);

describe("key table", () => {
  test("every printable key is bound at most once", () => {
    for (const c of "sSr+-p1230o/?qjkgGPMTNR") {
      const hits = KEYS.filter((b) => b.match(...press(c)));
      expect(hits.length).toBe(1);
    }
  });

  test("snapshot keys pass the selected VM and resume/halt; without a selection they say why", () => {
    const s = findBinding(...press("s"))!;
    const S = findBinding(...press("S"))!;
    expect(resolveCommand(s, { selected: "web-0001" })).toEqual({ name: "snapshot", args: ["web-0001", "resume"] });
    expect(resolveCommand(S, { selected: "web-0001" })).toEqual({ name: "snapshot", args: ["web-0001", "halt"] });
    expect(resolveCommand(s, {})).toEqual({ reason: "no VM selected to snapshot" });
  });

  test("p pauses a running autoscaler and resumes a paused one", () => {
    const p = findBinding(...press("p"))!;
    expect(resolveCommand(p, { paused: false })).toEqual({ name: "pause", args: [] });
    expect(resolveCommand(p, { paused: true })).toEqual({ name: "resume", args: [] });
  });

  test("keys are available only when their command is registered; quit always works", () => {
    const none = () => false;
    expect(isAvailable(findBinding(...press("+"))!, none)).toBe(false);
    expect(isAvailable(findBinding(...press("+"))!, (n) => n === "scale+1")).toBe(true);
    expect(isAvailable(findBinding(...press("q"))!, none)).toBe(true);
    expect(isAvailable(findBinding(...press("o"))!, none)).toBe(true);
    expect(findBinding("c", { ...press("c")[1], ctrl: true })?.action).toBe("quit");
  });

  test("the footer comes from the key table: only keys that can run now, each hint naming a bound key", () => {
    const all = footerHints(() => true);
    expect(all).toEqual(["↑↓ select", "s/S snapshot", "r restore", "+/- scale", "p pause", "1-3/0 load", "P/M/T/N/R sort", "/ filter", "? help", "q quit"]);
    for (const h of all) expect(findBinding(...press(h.startsWith("↑") ? "k" : h[0]!))).toBeDefined();
    // a watch-only store registers no commands: the hints for commands it lacks are gone, local keys and quit stay
    expect(footerHints(() => false)).toEqual(["↑↓ select", "P/M/T/N/R sort", "/ filter", "? help", "q quit"]);
    expect(footerHints((n) => n === "load")).toContain("1-3/0 load");
  });

  test("hints that do not fit are left out, help and quit always stay", () => {
    const all = footerHints(() => true);
    expect(fitHints(all, 1000)).toEqual(all);
    const narrow = fitHints(all, 60);
    expect(narrow.slice(-2)).toEqual(["? help", "q quit"]);
    expect(narrow.join(" · ").length).toBeLessThanOrEqual(60);
    expect(fitHints(all, 5)).toEqual(["? help", "q quit"]);
  });

  test("quit asks only when it would remove VMs, naming them", () => {
    const q = findBinding(...press("q"))!;
    expect(q.confirm?.({ removesOnQuit: [] })).toBeUndefined();
    expect(q.confirm?.({ removesOnQuit: ["web-0001"] })).toBe("Quit: stop the group and remove 1 VM (web-0001)?");
    expect(quitQuestion(["a", "b", "c", "d"])).toBe("Quit: stop the group and remove 4 VMs (a, b and 2 more)?");
  });

  test("a chunk's control characters become the keys Ink reports alone", () => {
    expect(charKey("\r")[1].return).toBe(true);
    expect(charKey("\x7f")[1].backspace).toBe(true);
    expect(charKey("\x03")).toEqual(["c", expect.objectContaining({ ctrl: true })]);
  });
});

// The mode reducer alone: key presses in, view state and effects out.
import { describe, expect, test } from "bun:test";
import { charKey, KEYS } from "../../tui/keys.ts";
import { initialUi, reduceKey, type Effect, type ReduceContext, type UiState } from "../../tui/modes.ts";

const ESC = ["", { ...charKey("a")[1], escape: true }] as const;
const UP = ["", { ...charKey("a")[1], upArrow: true }] as const;
const DOWN = ["", { ...charKey("a")[1], downArrow: true }] as const;

function ctx(over: Partial<ReduceContext> = {}, commands: string[] = ["quit", "scale+1", "snapshot", "restore"]): ReduceContext {
  return {
    keys: KEYS,
    has: (n) => commands.includes(n),
    rows: () => [{ name: "web-1" }, { name: "web-2" }, { name: "web-3" }],
    pageSize: 2,
    removesOnQuit: () => ["web-1", "web-2"],
    snapshotPaths: () => ["/s/b.save", "/s/a.save"],
    ...over,
  };
}

/** Press keys in order (a string: one key per character), collecting the effects. */
function press(keys: string | (readonly [string, ReturnType<typeof charKey>[1]])[], c = ctx(), ui: UiState = initialUi()): { ui: UiState; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const k of typeof keys === "string" ? [...keys].map((ch) => charKey(ch)) : keys) {
    const step = reduceKey(ui, k[0], k[1], c);
    ui = step.ui;
    effects.push(...step.effects);
  }
  return { ui, effects };
}

describe("mode reducer", () => {
  test("normal: movement and commands on the selection", () => {
    expect(press("jj").ui.selected).toBe("web-3");
    expect(press("jjj").ui.selected).toBe("web-3"); // clamped
    expect(press("Gk").ui.selected).toBe("web-2");
    expect(press("js").effects).toEqual([{ type: "run", name: "snapshot", args: ["web-2", "resume"] }]);
    expect(press("+").effects).toEqual([{ type: "run", name: "scale+1", args: [] }]);
    expect(press("-").effects).toEqual([{ type: "say", text: "-: not available in this mode (scale in by one VM)", color: "gray" }]);
  });

  test("confirm: q asks when VMs would go; y quits, n cancels, other keys wait; Ctrl-C twice is yes", () => {
    const asked = press("q");
    expect(asked.ui.mode).toBe("confirm");
    expect(asked.ui.confirm?.question).toBe("Quit: stop the group and remove 2 VMs (web-1, web-2)? y/n");
    expect(asked.effects).toEqual([]);
    expect(press("qx").ui.mode).toBe("confirm");
    const yes = press("qy");
    expect(yes.effects).toEqual([{ type: "quit" }]);
    expect(yes.ui).toMatchObject({ mode: "normal", quitting: true });
    const no = press("qn");
    expect(no.ui).toMatchObject({ mode: "normal", quitting: false });
    expect(no.effects).toEqual([{ type: "say", text: "cancelled", color: "gray" }]);
    expect(press([charKey("q"), ESC]).ui.mode).toBe("normal");
    const ctrlC = press("\x03");
    expect(ctrlC.ui.confirm?.question).toContain("(Ctrl-C again: yes)");
    expect(press("\x03\x03").effects).toEqual([{ type: "quit" }]);
    // Once quitting, q leaves at once (no second question, no second quit).
    expect(press("qyq").effects).toEqual([{ type: "quit" }, { type: "exit" }]);
  });

  test("quit without asking: nothing to remove; no quit command at all (a watching dashboard) exits", () => {
    expect(press("q", ctx({ removesOnQuit: () => [] })).effects).toEqual([{ type: "quit" }]);
    expect(press("q", ctx({}, [])).effects).toEqual([{ type: "exit" }]);
    expect(press("\x03", ctx({}, [])).effects).toEqual([{ type: "exit" }]);
  });

  test("filter: typing edits the filter, Enter keeps it, Esc clears it; Ctrl-C still quits", () => {
    const typed = press("/web\x7f");
    expect(typed.ui).toMatchObject({ mode: "filter", filter: "we" });
    expect(press("/we\r").ui).toMatchObject({ mode: "normal", filter: "we" });
    expect(press([charKey("/"), charKey("w"), ESC]).ui).toMatchObject({ mode: "normal", filter: "" });
    expect(press("/q").ui.filter).toBe("q"); // q is a letter here, not quit
    expect(press("/\x03").ui.mode).toBe("confirm");
  });

  test("help: any key closes; restore picker: arrows choose, Enter restores, Esc cancels", () => {
    expect(press("?").ui.mode).toBe("help");
    expect(press("?x").ui.mode).toBe("normal");
    const picked = press([charKey("r"), DOWN, charKey("\r")]);
    expect(picked.effects).toEqual([{ type: "run", name: "restore", args: ["/s/a.save"] }]);
    expect(press([charKey("r"), DOWN, UP]).ui.picker.typed).toBe("/s/b.save");
    expect(press([charKey("r"), ESC]).ui.mode).toBe("normal");
    const empty = press([charKey("r"), charKey("\r")], ctx({ snapshotPaths: () => [] }));
    expect(empty.effects).toEqual([{ type: "say", text: "restore: type a snapshot path first", color: "red" }]);
  });

  test("sorting: P/M/T/N pick the column, the same key again or R reverses, o cycles", () => {
    expect(press("P").ui).toMatchObject({ sort: "cpu", reverse: false });
    expect(press("PP").ui).toMatchObject({ sort: "cpu", reverse: true });
    expect(press("MR").ui).toMatchObject({ sort: "mem", reverse: true });
    expect(press("T").ui.sort).toBe("time");
    expect(press("PN").ui).toMatchObject({ sort: "name", reverse: false });
    expect(press("o").ui.sort).toBe("cpu");
  });
});

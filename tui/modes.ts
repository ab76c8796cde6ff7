// The dashboard's keyboard as a reducer: (view state, key) -> (next view
// state, effects). One handler per mode (normal, filter, help, restore
// picker, confirm); the Dashboard applies the effects (run a store command,
// say something, quit, exit) and draws the state. Pure: tested without Ink.
import type { Key } from "ink";
import { findBinding, isAvailable, isPrintable, resolveCommand, type KeyBinding, type KeyContext, type LocalAction } from "./keys.ts";
import { selectedIndex, SORT_KEYS, type SortKey } from "./table-model.ts";

export type Mode = "normal" | "filter" | "help" | "restore" | "confirm";

export interface Picker {
  paths: string[];
  index: number;
  typed: string;
}

export interface UiState {
  mode: Mode;
  filter: string;
  sort: SortKey;
  reverse: boolean;
  /** The selected VM by name (rows move under it as the table re-sorts). */
  selected?: string;
  picker: Picker;
  /** The question asked in confirm mode and what "yes" does. */
  confirm?: { question: string; yes: Effect[] };
  /** Quit is under way (the group is stopping); q or Ctrl-C again leaves at once. */
  quitting: boolean;
}

export type Effect =
  | { type: "run"; name: string; args: string[] }
  | { type: "say"; text: string; color?: string }
  /** Run the store's quit command, then leave. */
  | { type: "quit" }
  /** Leave now. */
  | { type: "exit" };

/** What the reducer reads from outside the view state, at the moment of the key press. */
export interface ReduceContext {
  keys: readonly KeyBinding[];
  has(name: string): boolean;
  /** The table's rows under a given view state (sort and filter), in order. */
  rows(ui: UiState): readonly { name: string }[];
  /** Rows one page moves. */
  pageSize: number;
  paused?: boolean;
  /** The VMs that quitting removes now (none: quit without asking). */
  removesOnQuit(): readonly string[];
  /** Snapshot files to offer in the restore picker, newest first. */
  snapshotPaths(): string[];
}

export interface Step {
  ui: UiState;
  effects: Effect[];
}

export const initialUi = (sort: SortKey = "name"): UiState => ({ mode: "normal", filter: "", sort, reverse: false, picker: { paths: [], index: 0, typed: "" }, quitting: false });

const stay = (ui: UiState, ...effects: Effect[]): Step => ({ ui, effects });
const isCtrlC = (input: string, key: Key) => key.ctrl && input === "c";

/** One key press. */
export function reduceKey(ui: UiState, input: string, key: Key, ctx: ReduceContext): Step {
  return HANDLERS[ui.mode](ui, input, key, ctx);
}

type Handler = (ui: UiState, input: string, key: Key, ctx: ReduceContext) => Step;

const HANDLERS: Record<Mode, Handler> = {
  normal(ui, input, key, ctx) {
    const b = findBinding(input, key, ctx.keys);
    if (!b) return stay(ui);
    if (!isAvailable(b, ctx.has)) return stay(ui, { type: "say", text: `${b.label}: not available in this mode (${b.help})`, color: "gray" });
    // Leaving while the group already stops: no question, no second quit.
    if (b.action === "quit" && ui.quitting) return stay(ui, { type: "exit" });
    const step = b.action ? local(ui, b, ctx) : command(ui, b, ctx);
    const question = b.confirm?.(keyContext(ui, ctx));
    if (!question || step.effects.every((e) => e.type === "say")) return step;
    const ctrlC = isCtrlC(input, key);
    return stay({ ...ui, mode: "confirm", confirm: { question: `${question} y/n${ctrlC ? " (Ctrl-C again: yes)" : ""}`, yes: step.effects } });
  },

  confirm(ui, input, key) {
    const yes = input === "y" || input === "Y" || isCtrlC(input, key);
    const no = input === "n" || input === "N" || key.escape;
    if (!yes && !no) return stay(ui);
    const effects = yes ? (ui.confirm?.yes ?? []) : [{ type: "say" as const, text: "cancelled", color: "gray" }];
    return { ui: { ...ui, mode: "normal", confirm: undefined, quitting: ui.quitting || effects.some((e) => e.type === "quit") }, effects };
  },

  help(ui, input, key, ctx) {
    // Ctrl-C quits from every overlay too (in normal mode the key table's quit row has it).
    if (isCtrlC(input, key)) return HANDLERS.normal({ ...ui, mode: "normal" }, input, key, ctx);
    return stay({ ...ui, mode: "normal" }); // any key closes
  },

  filter(ui, input, key, ctx) {
    if (isCtrlC(input, key)) return HANDLERS.normal({ ...ui, mode: "normal" }, input, key, ctx);
    if (key.escape) return stay({ ...ui, mode: "normal", filter: "" });
    if (key.return) return stay({ ...ui, mode: "normal" });
    if (key.backspace || key.delete) return stay({ ...ui, filter: ui.filter.slice(0, -1) });
    if (isPrintable(input, key)) return stay({ ...ui, filter: ui.filter + input });
    return stay(ui);
  },

  restore(ui, input, key, ctx) {
    if (isCtrlC(input, key)) return HANDLERS.normal({ ...ui, mode: "normal" }, input, key, ctx);
    const p = ui.picker;
    if (key.escape) return stay({ ...ui, mode: "normal" });
    if (key.upArrow || key.downArrow) {
      const n = p.paths.length;
      if (n === 0) return stay(ui);
      const index = (p.index + (key.upArrow ? -1 : 1) + n) % n;
      return stay({ ...ui, picker: { ...p, index, typed: p.paths[index]! } });
    }
    if (key.return) {
      const path = p.typed.trim();
      if (!path) return stay(ui, { type: "say", text: "restore: type a snapshot path first", color: "red" });
      return stay({ ...ui, mode: "normal" }, { type: "run", name: "restore", args: [path] });
    }
    if (key.backspace || key.delete) return stay({ ...ui, picker: { ...p, typed: p.typed.slice(0, -1) } });
    if (isPrintable(input, key)) return stay({ ...ui, picker: { ...p, typed: p.typed + input } });
    return stay(ui);
  },
};

function keyContext(ui: UiState, ctx: ReduceContext): KeyContext {
  const rows = ctx.rows(ui);
  return { selected: rows[selectedIndex(rows, ui.selected)]?.name, paused: ctx.paused, removesOnQuit: ctx.has("quit") ? ctx.removesOnQuit() : [] };
}

function command(ui: UiState, b: KeyBinding, ctx: ReduceContext): Step {
  const call = resolveCommand(b, keyContext(ui, ctx));
  if (!call) return stay(ui);
  if ("reason" in call) return stay(ui, { type: "say", text: call.reason, color: "red" });
  if (!ctx.has(call.name)) return stay(ui, { type: "say", text: `${call.name}: not available in this mode`, color: "gray" });
  return stay(ui, { type: "run", name: call.name, args: call.args });
}

function local(ui: UiState, b: KeyBinding, ctx: ReduceContext): Step {
  const a: LocalAction = b.action!;
  const moveBy = (delta: number | "first" | "last"): Step => {
    const rows = ctx.rows(ui);
    if (rows.length === 0) return stay(ui);
    const cur = Math.max(0, selectedIndex(rows, ui.selected));
    const i = delta === "first" ? 0 : delta === "last" ? rows.length - 1 : cur + delta;
    return stay({ ...ui, selected: rows[Math.max(0, Math.min(rows.length - 1, i))]!.name });
  };
  const sorted = (sort: SortKey, reverse: boolean): Step =>
    stay({ ...ui, sort, reverse }, { type: "say", text: `sorted by ${sort}${reverse ? " (reversed)" : ""}` });
  switch (a) {
    case "up":
      return moveBy(-1);
    case "down":
      return moveBy(1);
    case "page-up":
      return moveBy(-ctx.pageSize);
    case "page-down":
      return moveBy(ctx.pageSize);
    case "top":
      return moveBy("first");
    case "bottom":
      return moveBy("last");
    case "sort":
      return sorted(SORT_KEYS[(SORT_KEYS.indexOf(ui.sort) + 1) % SORT_KEYS.length]!, false);
    case "sort-by": {
      const key = b.sort ?? "name";
      // The same sort key again flips the order (k9s does the same with its sort keys).
      return sorted(key, key === ui.sort ? !ui.reverse : false);
    }
    case "reverse":
      return sorted(ui.sort, !ui.reverse);
    case "filter":
      return stay({ ...ui, mode: "filter" });
    case "clear-filter":
      return stay({ ...ui, filter: "" });
    case "help":
      return stay({ ...ui, mode: "help" });
    case "restore-picker": {
      const paths = ctx.snapshotPaths();
      return stay({ ...ui, mode: "restore", picker: { paths, index: 0, typed: paths[0] ?? "" } });
    }
    case "quit":
      // Without a quit command (a watch-only dashboard) there is nothing to stop: leave.
      return ctx.has("quit") ? stay({ ...ui, quitting: true }, { type: "quit" }) : stay(ui, { type: "exit" });
  }
}

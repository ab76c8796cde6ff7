// The dashboard's one key table. Every key is a row here: what it matches,
// which store command it runs (the same named commands --json reads on stdin
// and the API calls) or which local view action it takes, and its help line.
// The help overlay (`?`) is generated from this table, so it cannot drift.
import type { Key } from "ink";
import type { SortKey } from "./table-model.ts";

/** What the dashboard knows when a key is pressed. */
export interface KeyContext {
  /** Name of the selected VM, if any row is selected. */
  selected?: string;
  /** Whether the autoscaler is paused (decides pause vs resume). */
  paused?: boolean;
  /** The VMs that quitting would remove (the run's own, when its quit command removes them). */
  removesOnQuit?: readonly string[];
}

/** View-only actions, handled by the dashboard itself. */
export type LocalAction =
  | "up"
  | "down"
  | "page-up"
  | "page-down"
  | "top"
  | "bottom"
  | "sort"
  | "sort-by"
  | "reverse"
  | "filter"
  | "help"
  | "restore-picker"
  | "clear-filter"
  | "quit";

export interface KeyBinding {
  /** Keys as shown in the help overlay. */
  label: string;
  help: string;
  match(input: string, key: Key): boolean;
  /** Store command to run: a name, or chosen from the context (pause/resume). */
  command?: string | ((ctx: KeyContext) => string);
  /** Arguments for the command; a string return is the reason it cannot run now. */
  args?: (ctx: KeyContext) => string[] | string;
  /** Local action (runs when its required commands exist, or always when it needs none). */
  action?: LocalAction;
  /** Store commands this key needs; unregistered ones grey it out in help. Defaults to `command`. */
  requires?: string[];
  /** Whether the key still works when none of `requires` is registered (quit does). */
  optional?: boolean;
  /** Its hint in the footer (one hint may stand for a group of keys, e.g. "s/S snapshot"); none: help only. */
  footer?: string;
  /** The column a "sort-by" key sorts by. */
  sort?: SortKey;
  /** A question to ask (y/n) before acting, when the key would destroy something now; undefined: act at once. */
  confirm?: (ctx: KeyContext) => string | undefined;
}

const ch = (c: string) => (input: string, key: Key) => input === c && !key.ctrl && !key.meta;

/** `snapshot NAME resume|halt` on the selected VM, or the reason there is none. */
const snapshotArgs = (then: "resume" | "halt") => (ctx: KeyContext) =>
  ctx.selected !== undefined ? [ctx.selected, then] : "no VM selected to snapshot";

export const KEYS: readonly KeyBinding[] = [
  { label: "↑/k", help: "select previous VM", action: "up", footer: "↑↓ select", match: (i, k) => k.upArrow || ch("k")(i, k) },
  { label: "↓/j", help: "select next VM", action: "down", match: (i, k) => k.downArrow || ch("j")(i, k) },
  { label: "PgUp/PgDn", help: "move the selection a page", action: "page-up", match: (_i, k) => k.pageUp },
  { label: "", help: "", action: "page-down", match: (_i, k) => k.pageDown },
  { label: "g/G", help: "first / last VM", action: "top", match: (i, k) => k.home || ch("g")(i, k) },
  { label: "", help: "", action: "bottom", match: (i, k) => k.end || ch("G")(i, k) },
  { label: "s", help: "snapshot the selected VM, keep it running", command: "snapshot", args: snapshotArgs("resume"), footer: "s/S snapshot", match: ch("s") },
  { label: "S", help: "snapshot the selected VM and halt it", command: "snapshot", args: snapshotArgs("halt"), match: ch("S") },
  { label: "r", help: "restore a VM from a recent snapshot", action: "restore-picker", requires: ["restore"], footer: "r restore", match: ch("r") },
  { label: "+", help: "scale out by one VM", command: "scale+1", footer: "+/- scale", match: (i, k) => ch("+")(i, k) || ch("=")(i, k) },
  { label: "-", help: "scale in by one VM", command: "scale-1", match: ch("-") },
  {
    label: "p",
    help: "pause / resume the autoscaler",
    command: (c) => (c.paused ? "resume" : "pause"),
    requires: ["pause", "resume"],
    footer: "p pause",
    match: ch("p"),
  },
  { label: "1", help: "load generator: low", command: "load", args: () => ["low"], footer: "1-3/0 load", match: ch("1") },
  { label: "2", help: "load generator: mid", command: "load", args: () => ["mid"], match: ch("2") },
  { label: "3", help: "load generator: high", command: "load", args: () => ["high"], match: ch("3") },
  { label: "0", help: "load generator: off", command: "load", args: () => ["off"], match: ch("0") },
  // Sorting: virt-top's P (%CPU), M (memory), T (total CPU time) and N (name; virt-top's domain ID), top's R to reverse.
  { label: "P", help: "sort by CPU %", action: "sort-by", sort: "cpu", footer: "P/M/T/N/R sort", match: ch("P") },
  { label: "M", help: "sort by memory", action: "sort-by", sort: "mem", match: ch("M") },
  { label: "T", help: "sort by CPU time used", action: "sort-by", sort: "time", match: ch("T") },
  { label: "N", help: "sort by name", action: "sort-by", sort: "name", match: ch("N") },
  { label: "R", help: "reverse the order (or its sort key again)", action: "reverse", match: ch("R") },
  { label: "o", help: "sort by the next column", action: "sort", match: ch("o") },
  { label: "/", help: "filter VMs (Enter keeps, Esc clears)", action: "filter", footer: "/ filter", match: ch("/") },
  { label: "Esc", help: "clear the filter", action: "clear-filter", match: (_i, k) => k.escape },
  { label: "?", help: "this help (any key closes)", action: "help", footer: "? help", match: ch("?") },
  {
    label: "q/Ctrl-C",
    help: "quit; `up` stops the group (asks first)",
    action: "quit",
    requires: ["quit"],
    optional: true,
    footer: "q quit",
    confirm: (c) => (c.removesOnQuit?.length ? quitQuestion(c.removesOnQuit) : undefined),
    match: (i, k) => ch("q")(i, k) || (k.ctrl && i === "c"),
  },
];

/** "stop the group and remove 2 VMs (web-0001, web-0002)?" */
export function quitQuestion(vms: readonly string[]): string {
  const names = vms.length <= 3 ? vms.join(", ") : `${vms.slice(0, 2).join(", ")} and ${vms.length - 2} more`;
  return `Quit: stop the group and remove ${vms.length} VM${vms.length === 1 ? "" : "s"} (${names})?`;
}

/** The first binding matching a key press. */
export function findBinding(input: string, key: Key, table: readonly KeyBinding[] = KEYS): KeyBinding | undefined {
  return table.find((b) => b.match(input, key));
}

/** Commands a binding needs. */
export function requiredCommands(b: KeyBinding): string[] {
  if (b.requires) return b.requires;
  if (typeof b.command === "string") return [b.command];
  return [];
}

/** Whether a binding can run given the store's registered commands (optional ones always can). */
export function isAvailable(b: KeyBinding, has: (name: string) => boolean): boolean {
  const req = requiredCommands(b);
  return b.optional || req.length === 0 || req.some(has);
}

/** The footer's hints, from the same table as the help (keys whose commands are not registered are left out). */
export function footerHints(has: (name: string) => boolean, table: readonly KeyBinding[] = KEYS): string[] {
  return table.filter((b) => b.footer && isAvailable(b, has)).map((b) => b.footer!);
}

/**
 * The hints that fit `width` columns joined by " · ": from the left, in table
 * order, except that the last two (help and quit) always stay, so a narrow
 * terminal still says how to get help and how to leave.
 */
export function fitHints(hints: readonly string[], width: number, sep = " · "): string[] {
  const keep = hints.slice(-2);
  const rest = hints.slice(0, -2);
  const len = (xs: readonly string[]) => xs.reduce((n, h) => n + [...h].length, 0) + Math.max(0, xs.length - 1) * sep.length;
  const out: string[] = [];
  for (const h of rest) if (len([...out, h, ...keep]) <= width) out.push(h);
  return [...out, ...keep];
}

/** Rows the help overlay shows (continuation rows without labels are folded into their neighbour). */
export function helpRows(table: readonly KeyBinding[] = KEYS): KeyBinding[] {
  return table.filter((b) => b.label !== "");
}

/** Resolve a command binding to a concrete call, or a reason it cannot run. */
export function resolveCommand(b: KeyBinding, ctx: KeyContext): { name: string; args: string[] } | { reason: string } | undefined {
  if (!b.command) return undefined;
  const name = typeof b.command === "function" ? b.command(ctx) : b.command;
  const args = b.args ? b.args(ctx) : [];
  if (typeof args === "string") return { reason: args };
  return { name, args };
}

// ---- raw input ----

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/** One character of a chunk as the key Ink would have reported for it alone. */
export function charKey(c: string): [string, Key] {
  if (c === "\r" || c === "\n") return ["", { ...NO_KEY, return: true }];
  if (c === "\x7f" || c === "\b") return ["", { ...NO_KEY, backspace: true }];
  if (c === "\t") return ["", { ...NO_KEY, tab: true }];
  const code = c.charCodeAt(0);
  if (code < 0x20) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }];
  return [c, { ...NO_KEY, shift: c !== c.toLowerCase() }];
}

export function isPrintable(input: string, key: Key): boolean {
  return input.length > 0 && !key.ctrl && !key.meta && !key.return && !key.escape && !key.tab && !key.backspace && !key.delete && !/[\x00-\x1f\x7f]/.test(input);
}

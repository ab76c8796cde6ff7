// The full-screen terminal the dashboard draws on: the alternate screen, each
// frame written at absolute positions (row by row, changed rows only, a full
// repaint now and then), instead of Ink's relative "go up N lines and
// rewrite". Relative redraws drift as soon as anything else writes to the
// terminal (a worker thread's stderr, a library's warning): the screen
// scrolls by a line and every later frame lands one line lower, leaving the
// old header on top. Anchored to the top-left corner, a frame is always
// where it belongs. Ink runs in debug mode on this stream (it then writes
// each whole frame, with no cursor movement of its own).
import { EventEmitter } from "node:events";

const ESC = "\x1b[";
export const ENTER_ALT = `${ESC}?1049h${ESC}?25l${ESC}H${ESC}2J`;
export const LEAVE_ALT = `${ESC}?25h${ESC}?1049l`;
/** Synchronized output (terminals that know it show the frame at once; the others ignore it). */
const BEGIN_SYNC = `${ESC}?2026h`;
const END_SYNC = `${ESC}?2026l`;
const SGR = /\x1b\[[0-9;]*m/g;
const FULL_REPAINT_MS = 2000;

const visibleWidth = (s: string) => [...s.replace(SGR, "")].length;

/** The escape sequence that draws `next` over `prev` (null: the screen is unknown, draw everything). */
export function frameUpdate(prev: readonly string[] | null, next: readonly string[], columns: number): string {
  let out = "";
  for (let i = 0; i < next.length; i++) {
    const line = next[i]!;
    if (prev && prev[i] === line) continue;
    // Erase the rest of the row, except after a full-width line: there the cursor waits past the last column
    // and an erase would take the last character with it.
    out += `${ESC}${i + 1};1H${ESC}0m${line}${visibleWidth(line) < columns ? `${ESC}K` : ""}`;
  }
  if (!prev || prev.length > next.length) out += `${ESC}${next.length + 1};1H${ESC}0m${ESC}J`;
  return out ? BEGIN_SYNC + out + END_SYNC : "";
}

/** A stdout for Ink that draws each frame anchored on the alternate screen. */
export class AnchoredScreen extends EventEmitter {
  readonly isTTY = true;
  #prev: string[] | null = null;
  #paintedAt = 0;
  readonly #onResize = () => {
    this.#prev = null; // the terminal reflowed what was there: repaint all of it
    this.emit("resize");
  };

  constructor(private readonly out: NodeJS.WriteStream) {
    super();
    out.on("resize", this.#onResize);
  }

  get columns(): number {
    return this.out.columns || 80;
  }
  get rows(): number {
    return this.out.rows || 24;
  }

  write = (frame: string): boolean => {
    const lines = frame.replace(/\n$/, "").split("\n");
    const now = Date.now();
    // Now and then everything, in case something else wrote over part of the screen.
    const prev = now - this.#paintedAt >= FULL_REPAINT_MS ? null : this.#prev;
    if (!prev) this.#paintedAt = now;
    const update = frameUpdate(prev, lines, this.columns);
    this.#prev = lines;
    return update ? this.out.write(update) : true;
  };

  close(): void {
    this.out.off("resize", this.#onResize);
  }
}

// Headless mode (--json, or stdout not a TTY): every store event as one JSON
// object per line on stdout, and named commands read line by line from stdin
// (`scale+1`, `snapshot web-0001 halt`, `load high`, `quit`). The schema is in
// docs/json.md and follows src/events.ts. Human logs never go to stdout (see log.ts).
// Portable: node:readline and node:stream only, runs on Bun and Deno.
import { createInterface, type Interface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Store } from "../store.ts";
import type { VirtscaleEvent } from "../events.ts";
import { jsonLine } from "./json-line.ts";
import { errorMessage } from "../errors.ts";

export interface JsonOptions {
  /** Where NDJSON goes (default process.stdout). */
  out?: Writable;
  /** Where command lines come from (default process.stdin; null: no commands). */
  stdin?: Readable | null;
  /**
   * Lines read before this settles wait for it (`quit` excepted): output starts
   * with the first event, but the group registers its commands only once it
   * runs, and a script's first line must not meet "unknown command".
   */
  ready?: Promise<unknown>;
}

export interface JsonRun {
  stop(): void;
  /** Resolves when every command read so far has finished (tests, orderly shutdown). */
  idle(): Promise<void>;
}

/**
 * Split a command line into words. Double quotes group words
 * (`restore "/snap dir/a.img"`); backslash escapes the next character inside quotes.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === "\\" && i + 1 < line.length) cur += line[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quoted) throw new Error(`unterminated quote in command line: ${line}`);
  if (inWord) words.push(cur);
  return words;
}

export function runJson(store: Store, opts: JsonOptions = {}): JsonRun {
  const out = opts.out ?? process.stdout;
  const input = opts.stdin === undefined ? process.stdin : opts.stdin;
  let stopped = false;
  let skippedTicks = 0;

  const write = (ev: VirtscaleEvent | Record<string, unknown>) => {
    if (stopped) return;
    let line: string;
    try {
      line = jsonLine(ev);
    } catch (e) {
      // A value the event carries cannot be serialized (a cycle in a command result, say): say so instead.
      line = jsonLine({ type: "error", ts: store.now(), source: "ndjson", message: `could not write a '${(ev as { type?: string }).type}' event: ${errorMessage(e)}` });
    }
    out.write(line + "\n");
  };

  const onEvent = (ev: VirtscaleEvent) => {
    // A reader that does not keep up loses ticks (the next one has the whole picture again), never other events.
    if (ev.type === "tick" && (out as { writableNeedDrain?: boolean }).writableNeedDrain) {
      skippedTicks++;
      return;
    }
    if (skippedTicks > 0) {
      write({ type: "log", ts: store.now(), level: "warn", message: `skipped ${skippedTicks} tick(s): stdout reader is slower than the tick period` });
      skippedTicks = 0;
    }
    write(ev);
  };
  const unsubscribe = store.subscribe(onEvent);

  // A closed pipe (`virtscale up --json | head`) ends the output, not the run.
  const onOutError = () => {
    stopped = true;
  };
  out.on("error", onOutError);

  // Commands run one after another in the order read, so a script's
  // `snapshot a halt` then `restore PATH` happen in that order. `quit` runs at once.
  let queue: Promise<void> = (opts.ready ?? Promise.resolve()).then(
    () => undefined,
    () => undefined,
  );
  const runOne = async (words: string[]) => {
    const [name, ...args] = words as [string, ...string[]];
    if (name === "help" && !store.hasCommand("help")) {
      const cmds = store.listCommands().map((c) => `${c.name}: ${c.help}`);
      store.emit({ type: "log", ts: store.now(), level: "info", message: `commands: ${cmds.length ? cmds.join("; ") : "none registered"}` });
      return;
    }
    try {
      const result = await store.run(name, args);
      store.emit({ type: "command", ts: store.now(), name, args, status: "ok", ...(result === undefined ? {} : { result }) });
    } catch (e) {
      // store.run already emitted an `error` event with the details; this is the reply to the line.
      store.emit({ type: "command", ts: store.now(), name, args, status: "failed", error: errorMessage(e) });
    }
  };
  const onLine = (raw: string) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    let words: string[];
    try {
      words = splitCommandLine(line);
    } catch (e) {
      store.emit({ type: "error", ts: store.now(), source: "stdin", message: errorMessage(e) });
      return;
    }
    if (words.length === 0) return;
    if (words[0] === "quit") {
      void runOne(words);
      return;
    }
    queue = queue.then(() => runOne(words));
  };

  let rl: Interface | undefined;
  if (input) {
    rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
    rl.on("line", onLine);
    // EOF on stdin (`< /dev/null`, a finished pipe) is not a quit: the run goes on until `quit` or a signal.
  }

  return {
    stop() {
      if (stopped && !rl) return;
      stopped = true;
      unsubscribe();
      out.off("error", onOutError);
      if (rl) {
        rl.close();
        rl = undefined;
        // readline resumed the stream; pause it so stdin no longer keeps the process alive.
        input?.pause();
      }
    },
    idle: () => queue,
  };
}

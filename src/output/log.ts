// Human log lines for the operator. They go to stderr (never stdout: in
// --json mode stdout carries only NDJSON), or into the store while the
// dashboard owns the terminal, where they show in its event log. The
// assignment's logging_level leaves out the lines below it, and its
// logging_file takes them instead of stderr (configureLog; attachLogFile
// appends a run's store log lines there too).
import { appendFileSync } from "node:fs";
import type { Store } from "../store.ts";
import { errorMessage } from "../errors.ts";

export type LogLevel = "info" | "warn" | "error";
export type LogSink = (level: LogLevel, message: string) => void;

/** Writes `virtscale: [warn] message` lines to stderr. */
export const stderrSink: LogSink = (level, message) => {
  const tag = level === "info" ? "" : `[${level}] `;
  process.stderr.write(`virtscale: ${tag}${message}\n`);
};

let sink: LogSink = stderrSink;

const RANK: Record<LogLevel, number> = { info: 1, warn: 2, error: 3 };
/** The assignment's (Python's) level names: virtscale has no debug lines, and its most severe ones are errors. */
const LEVEL_RANK: Record<string, number> = { DEBUG: 1, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 3 };
let minRank = 1;
let file: string | undefined;

/** Where a logging_file means the console: stderr, since stdout carries the figures (tick lines, NDJSON). */
const CONSOLE = new Set(["/dev/stdout", "/dev/stderr", "-"]);

/** Apply the config's logging_level and logging_file (unset: every line, on stderr). */
export function configureLog(o: { logging_level?: string; logging_file?: string }): void {
  minRank = LEVEL_RANK[(o.logging_level ?? "INFO").toUpperCase()] ?? 1;
  file = o.logging_file !== undefined && !CONSOLE.has(o.logging_file) ? o.logging_file : undefined;
}

/** Whether a line at `level` passes logging_level. */
export function logged(level: LogLevel): boolean {
  return RANK[level] >= minRank;
}

/** `2025-11-21T09:00:00.000Z :: WARNING :: message`: the assignment's log line shape. */
function fileLine(level: LogLevel, message: string, ts = Date.now()): string {
  const name = level === "info" ? "INFO" : level === "warn" ? "WARNING" : "ERROR";
  return `${new Date(ts).toISOString()} :: ${name} :: ${message}\n`;
}

let fileFailed = false;
function toFile(line: string): boolean {
  if (!file) return false;
  try {
    appendFileSync(file, line);
    return true;
  } catch (e) {
    // Said once on stderr, then the lines go there: a log that cannot be written must not end the run.
    if (!fileFailed) process.stderr.write(`virtscale: [warn] logging_file ${file}: ${errorMessage(e)}; logging to stderr\n`);
    fileFailed = true;
    return false;
  }
}

function emit(level: LogLevel, message: string): void {
  if (!logged(level)) return;
  // The file replaces the console; a sink of the dashboard's still shows the line.
  if (toFile(fileLine(level, message)) && sink === stderrSink) return;
  sink(level, message);
}

/** Append the store's log and error events to logging_file (when one is configured); returns the unsubscribe. */
export function attachLogFile(store: Store): () => void {
  if (!file) return () => {};
  return store.subscribe((e) => {
    if (e.type === "log") {
      const level: LogLevel = e.level === "warn" ? "warn" : "info";
      if (logged(level)) toFile(fileLine(level, e.message, e.ts));
    } else if (e.type === "error" && logged("error")) toFile(fileLine("error", `${e.source}: ${e.message}`, e.ts));
  });
}

/** Route log lines elsewhere (the dashboard does, while it runs); returns the undo. */
export function setLogSink(next: LogSink): () => void {
  const prev = sink;
  sink = next;
  return () => {
    sink = prev;
  };
}

export function info(message: string): void {
  emit("info", message);
}
export function warn(message: string): void {
  emit("warn", message);
}
export function error(message: string): void {
  emit("error", message);
}

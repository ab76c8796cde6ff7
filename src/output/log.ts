// Human log lines for the operator. They go to stderr (never stdout: in
// --json mode stdout carries only NDJSON), or into the store while the
// dashboard owns the terminal, where they show in its event log.
export type LogLevel = "info" | "warn" | "error";
export type LogSink = (level: LogLevel, message: string) => void;

/** Writes `virtscale: [warn] message` lines to stderr. */
export const stderrSink: LogSink = (level, message) => {
  const tag = level === "info" ? "" : `[${level}] `;
  process.stderr.write(`virtscale: ${tag}${message}\n`);
};

let sink: LogSink = stderrSink;

/** Route log lines elsewhere (the dashboard does, while it runs); returns the undo. */
export function setLogSink(next: LogSink): () => void {
  const prev = sink;
  sink = next;
  return () => {
    sink = prev;
  };
}

export function info(message: string): void {
  sink("info", message);
}
export function warn(message: string): void {
  sink("warn", message);
}
export function error(message: string): void {
  sink("error", message);
}

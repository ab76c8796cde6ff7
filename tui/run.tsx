// Entry point of the dashboard: `virtscale up` calls runDashboard(store) on a TTY.
import React from "react";
import { render } from "ink";
import type { Store } from "../src/store.ts";
import { setLogSink } from "../src/output/log.ts";
import { Dashboard } from "./Dashboard.tsx";

export interface DashboardOptions {
  /** Shown in the header (the connection URI, say). */
  title?: string;
  /** Frames per second at most (default 10): re-renders follow store changes, capped. */
  fps?: number;
  /** Seconds between CPU samples (the monitor's period), for the chart's time axis. */
  sampleSeconds?: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Closes the dashboard (terminal restored, promise resolves) when the run ends another way: SIGTERM, --duration. */
  signal?: AbortSignal;
}

const SHOW_CURSOR = "\x1b[?25h";

/**
 * Draw the dashboard until the user quits (q, Ctrl-C: runs the store's `quit`
 * command first when one is registered). Resolves once the terminal is restored.
 * While it runs, log.ts lines go to the store's event log instead of stderr.
 */
export async function runDashboard(store: Store, opts: DashboardOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const fps = opts.fps ?? 10;
  const restoreLog = setLogSink((level, message) => store.log(level === "info" ? message : `${level}: ${message}`, level === "info" ? "info" : "warn"));
  const instance = render(<Dashboard store={store} title={opts.title} fps={fps} sampleSeconds={opts.sampleSeconds} />, {
    stdout,
    stdin: opts.stdin ?? process.stdin,
    // Ctrl-C is a key like q: it runs the `quit` command so `up` can stop the group cleanly.
    exitOnCtrlC: false,
    maxFps: fps,
    patchConsole: true,
  });
  const close = () => instance.unmount();
  if (opts.signal?.aborted) close();
  opts.signal?.addEventListener("abort", close, { once: true });
  try {
    await instance.waitUntilExit();
  } finally {
    opts.signal?.removeEventListener("abort", close);
    instance.cleanup();
    restoreLog();
    // Ink shows the cursor on unmount; say it again in case an exception skipped that.
    if (stdout.isTTY) stdout.write(SHOW_CURSOR);
  }
}

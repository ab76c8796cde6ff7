// Entry point of the dashboard: `virtscale up` and `virtscale top` call
// runDashboard(store) on a TTY. Full screen (the terminal's alternate
// screen, as htop and k9s) unless VIRTSCALE_INLINE is set; the terminal is
// given back however the run ends: quit, SIGTERM, an exception.
import React from "react";
import { render } from "ink";
import type { Store } from "../src/store.ts";
import { setLogSink } from "../src/output/log.ts";
import { Dashboard } from "./Dashboard.tsx";
import { colorAllowed } from "./ink.tsx";
import { AnchoredScreen, ENTER_ALT, LEAVE_ALT } from "./screen.ts";
import { format } from "node:util";

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
  /** Whether the store's quit command removes VMs (q asks first then); default true. */
  quitRemovesVms?: boolean;
  /** Draw in the alternate screen (default: yes unless $VIRTSCALE_INLINE is set). */
  fullscreen?: boolean;
}

const SHOW_CURSOR = "\x1b[?25h";

/** Inline (the frame drawn below the prompt, left on screen at the end) when $VIRTSCALE_INLINE is set and not "0". */
export function fullscreenFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.VIRTSCALE_INLINE;
  return v === undefined || v === "" || v === "0";
}

/**
 * Draw the dashboard until the user quits (q, Ctrl-C: runs the store's `quit`
 * command first when one is registered). Resolves once the terminal is restored.
 * While it runs, log.ts lines go to the store's event log instead of stderr.
 */
export async function runDashboard(store: Store, opts: DashboardOptions = {}): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const fps = opts.fps ?? 10;
  const alt = (opts.fullscreen ?? fullscreenFromEnv()) && Boolean(stdout.isTTY);
  const restoreLog = setLogSink((level, message) => store.log(level === "info" ? message : `${level}: ${message}`, level === "info" ? "info" : "warn"));

  // Full screen: Ink writes whole frames (debug mode) to a stream that anchors them on the alternate screen;
  // console output and stray stderr writes go to the event log, where they do not scroll the frame away.
  const screen = alt ? new AnchoredScreen(stdout) : undefined;
  const unpatch = alt ? divertOutput(store) : () => {};

  // Give the terminal back exactly once, from whichever way out comes first.
  let restored = false;
  const restoreTerminal = () => {
    if (restored) return;
    restored = true;
    unpatch();
    screen?.close();
    if (!stdout.isTTY) return;
    try {
      stdout.write(alt ? LEAVE_ALT : SHOW_CURSOR);
    } catch {
      /* the terminal is gone */
    }
  };
  // A crash while drawing: leave the alternate screen first, so the error lands on the normal one and stays readable.
  const onCrash = (err: unknown) => {
    try {
      instance.unmount();
    } catch {
      /* already down */
    }
    restoreTerminal();
    process.stderr.write(`virtscale: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  if (alt) stdout.write(ENTER_ALT);
  process.on("exit", restoreTerminal);
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);

  const instance = render(<Dashboard store={store} title={opts.title} fps={fps} sampleSeconds={opts.sampleSeconds} quitRemovesVms={opts.quitRemovesVms} color={colorAllowed()} />, {
    stdout: (screen ?? stdout) as NodeJS.WriteStream,
    stdin: opts.stdin ?? process.stdin,
    // Ctrl-C is a key like q: it runs the `quit` command so `up` can stop the group cleanly.
    exitOnCtrlC: false,
    maxFps: fps,
    // Full screen: whole frames to the anchoring stream (its own console handling is off in this mode).
    debug: alt,
    patchConsole: !alt,
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
    restoreTerminal();
    process.off("exit", restoreTerminal);
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
  }
}

/**
 * While the full-screen dashboard runs: console.* and process.stderr writes
 * become lines of the event log (a stray line on the terminal would scroll
 * the frame). Returns the function that puts them back.
 */
function divertOutput(store: Store): () => void {
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug, write: process.stderr.write };
  const toLog = (level: "info" | "warn") => (...args: unknown[]) => store.log(format(...args), level);
  console.log = console.info = console.debug = toLog("info");
  console.warn = console.error = toLog("warn");
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = (typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk)).trimEnd();
    if (text) store.log(`stderr: ${text}`, "warn");
    const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    cb?.();
    return true;
  }) as typeof process.stderr.write;
  return () => {
    Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error, debug: saved.debug });
    process.stderr.write = saved.write;
  };
}

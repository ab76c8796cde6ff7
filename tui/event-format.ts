// One line of text per event for the dashboard's event log. Pure.
import type { VirtscaleEvent } from "../src/events.ts";
import { clock, ms } from "./format.ts";

export interface EventLine {
  time: string;
  tag: string;
  text: string;
  color?: string;
}

export function formatEvent(ev: VirtscaleEvent): EventLine | null {
  const time = clock(ev.ts);
  switch (ev.type) {
    case "tick":
      return null;
    case "scale": {
      const tag = ev.action === "out" ? "scale out" : ev.action === "in" ? "scale in" : "scale";
      return { time, tag, text: `${ev.from} → ${ev.to}: ${ev.reason}`, color: ev.action === "out" ? "yellow" : ev.action === "in" ? "cyan" : undefined };
    }
    case "vm": {
      const bad = ev.to === "crashed" || ev.to === "failed";
      const change = ev.from ? `${ev.from} → ${ev.to}` : ev.to;
      return { time, tag: "vm", text: `${ev.name} ${change}${ev.detail ? ` (${ev.detail})` : ""}`, color: bad ? "red" : undefined };
    }
    case "snapshot": {
      const what = `${ev.action} ${ev.name}${ev.path ? ` ${ev.path}` : ""}`;
      if (ev.status === "failed") return { time, tag: "snapshot", text: `${what} failed: ${ev.error ?? "unknown error"}`, color: "red" };
      const took = ev.status === "done" && ev.ms !== undefined ? ` in ${ms(ev.ms)}` : "";
      // detail: what happened that was not asked for (a save with resume that had to stop the VM).
      if (ev.detail) return { time, tag: "snapshot", text: `${what} ${ev.status}${took}: ${ev.detail}`, color: "yellow" };
      return { time, tag: "snapshot", text: `${what} ${ev.status}${took}`, color: ev.status === "done" ? "green" : undefined };
    }
    case "error": {
      const code = ev.code !== undefined ? ` [code ${ev.code}${ev.domain !== undefined ? `, domain ${ev.domain}` : ""}]` : "";
      return { time, tag: "error", text: `${ev.source}: ${ev.message}${code}`, color: "red" };
    }
    case "log":
      return { time, tag: ev.level, text: ev.message, color: ev.level === "warn" ? "yellow" : "gray" };
    case "command": {
      const call = [ev.name, ...ev.args].join(" ");
      return ev.status === "ok"
        ? { time, tag: "command", text: `${call}: ok`, color: "gray" }
        : { time, tag: "command", text: `${call}: ${ev.error ?? "failed"}`, color: "red" };
    }
    case "summary":
      return { time, tag: "summary", text: JSON.stringify({ ...ev, type: undefined, ts: undefined }) };
  }
}

/** Snapshot files saved in this run, newest first (the restore picker's list). */
export function recentSnapshotPaths(events: readonly VirtscaleEvent[]): string[] {
  const out: string[] = [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === "snapshot" && e.status === "done" && e.path && (e.action === "save" || e.action === "managed-save") && !out.includes(e.path)) out.push(e.path);
  }
  return out;
}

// The process_* families under the names Prometheus' client libraries use
// (what dashboards and alerts expect), and virtscale_build_info. Linux's
// /proc/self gives fds and virtual memory; CPU and RSS come from the runtime
// (Bun and Deno both have node's process.cpuUsage / memoryUsage). A figure
// that cannot be read here is left out, never written as 0.
import { readdirSync, readFileSync } from "node:fs";
import { commit, runtimeName, VERSION } from "../cli/version.ts";
import type { Exposition } from "../util/prometheus-text.ts";

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Fields of /proc/self/stat after the command name (which may hold spaces and parentheses): [0] is field 3, state. */
function statFields(): string[] | undefined {
  return attempt(() => {
    const s = readFileSync("/proc/self/stat", "utf8");
    return s.slice(s.lastIndexOf(")") + 2).split(" ");
  });
}

/** The soft "Max open files" limit; undefined when unlimited or unreadable. */
function maxFds(): number | undefined {
  const line = attempt(() => readFileSync("/proc/self/limits", "utf8").split("\n").find((l) => l.startsWith("Max open files")));
  const soft = line?.slice("Max open files".length).trim().split(/\s+/)[0];
  return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
}

let build: { version: string; commit: string; runtime: string } | undefined;
/** Read once: commit() asks git when running from a source tree. */
function buildLabels(): { version: string; commit: string; runtime: string } {
  return (build ??= { version: VERSION, commit: attempt(commit) ?? "unknown", runtime: runtimeName() });
}

export function writeProcessMetrics(w: Exposition): void {
  const cpu = attempt(() => process.cpuUsage());
  const stat = statFields();
  w.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds", [[{}, cpu ? (cpu.user + cpu.system) / 1e6 : undefined]]);
  w.gauge("process_resident_memory_bytes", "Resident memory size in bytes", [[{}, attempt(() => process.memoryUsage().rss)]]);
  // vsize is field 23 of /proc/self/stat.
  const vsize = stat?.[20] !== undefined ? Number(stat[20]) : undefined;
  w.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes", [[{}, Number.isFinite(vsize) ? vsize : undefined]]);
  w.gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds", [[{}, performance.timeOrigin / 1000]]);
  w.gauge("process_open_fds", "Number of open file descriptors", [[{}, attempt(() => readdirSync("/proc/self/fd").length)]]);
  w.gauge("process_max_fds", "Maximum number of open file descriptors", [[{}, maxFds()]]);
  w.gauge("virtscale_build_info", "1, labelled with the version, the commit it was built from and the runtime", [[buildLabels(), 1]]);
}

// `virtscale vms`: the domains of a libvirt connection with state, vCPUs,
// memory and CPU %, from two bulk statistics samples (virConnectGetAllDomainStats),
// read by the monitor's CpuMeter so the CPU % is the one the scaler acts on.
import { UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { Connection, cpuStats } from "../../ffi/index.ts";
import { CpuMeter } from "../scaler/monitor.ts";

export const spec: CommandSpec = {
  name: "vms",
  summary: "list domains: name, state, vCPUs, memory, CPU %",
  usage: `[-c URI]... [--json] [--interval MS]

  --interval MS   time between the two CPU samples (default 700, 100..10000)

-c given more than once lists every host's domains side by side (a HOST column,
"host" in --json); a host that cannot be reached is named on stderr, the
others are still listed, and the exit status is 1.

CPU % is delta cpu.time / (delta wall x vCPUs) between two samples, so 100 means
all of the domain's vCPUs were busy. --json prints NDJSON: one line per domain
{"type":"domain","ts","name","uuid","state","vcpus","memoryKiB","cpuPct"} (cpuPct
null when the domain is not running; docs/json.md).`,
  options: {
    interval: { type: "string" },
  },
};

export interface VmRow {
  name: string;
  uuid: string;
  state: string;
  vcpus: number;
  memoryKiB: number;
  /** The same name and meaning as the store's VmView.cpuPct (one name for one value in every output). */
  cpuPct: number | null;
  /** Its libvirt host's URI, when several were listed. */
  host?: string;
}

export async function listVms(uri: string, intervalMs: number): Promise<VmRow[]> {
  using conn = Connection.open(uri, { readOnly: true });
  const meter = new CpuMeter();
  const byUuid = (s: { uuid: string }) => s.uuid;
  meter.read(cpuStats(conn), performance.now(), byUuid);
  await new Promise((r) => setTimeout(r, intervalMs));
  const rows = meter
    .read(cpuStats(conn), performance.now(), byUuid)
    .map((r): VmRow => ({ name: r.name, uuid: r.uuid, state: r.state, vcpus: r.vcpus, memoryKiB: r.memoryKiB, cpuPct: r.cpuPct }));
  return rows.sort((x, y) => x.name.localeCompare(y.name));
}

function mem(kib: number): string {
  if (kib >= 1024 * 1024) return `${(kib / 1024 / 1024).toFixed(1)} GiB`;
  return `${Math.round(kib / 1024)} MiB`;
}

export function formatTable(rows: VmRow[]): string {
  const withHost = rows.some((r) => r.host);
  const head = ["NAME", "STATE", "VCPUS", "MEMORY", "CPU %", ...(withHost ? ["HOST"] : [])];
  const body = rows.map((r) => [r.name, r.state, String(r.vcpus), mem(r.memoryKiB), r.cpuPct === null ? "-" : r.cpuPct.toFixed(1), ...(withHost ? [r.host ?? "-"] : [])]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const right = [false, false, true, true, true, false];
  const line = (cells: string[]) => cells.map((c, i) => (right[i] ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join("  ").trimEnd();
  return [line(head), ...body.map(line)].join("\n") + "\n";
}

export async function run(ctx: CommandContext): Promise<number> {
  const raw = ctx.values.interval;
  const intervalMs = raw === undefined ? 700 : Number(raw);
  if (!Number.isInteger(intervalMs) || intervalMs < 100 || intervalMs > 10_000)
    throw new UsageError(`--interval: expected milliseconds 100..10000, got '${raw}'`);
  const uris = ctx.uris.length > 1 ? ctx.uris : [ctx.uri];
  // Every host at once: one that is slow or down does not hold up the others' rows.
  const per = await Promise.allSettled(uris.map((u) => listVms(u, intervalMs)));
  let status = 0;
  const rows: VmRow[] = [];
  per.forEach((r, i) => {
    if (r.status === "fulfilled") rows.push(...(uris.length > 1 ? r.value.map((v) => ({ ...v, host: uris[i]! })) : r.value));
    else if (uris.length === 1) throw r.reason;
    else {
      status = 1;
      process.stderr.write(`virtscale vms: ${uris[i]}: ${(r.reason as Error).message}\n`);
    }
  });
  if (ctx.json) {
    const ts = Date.now();
    process.stdout.write(rows.map((r) => JSON.stringify({ type: "domain", ts, ...r, cpuPct: r.cpuPct === null ? null : Math.round(r.cpuPct * 100) / 100 })).join("\n") + (rows.length ? "\n" : ""));
  } else if (rows.length === 0) {
    process.stdout.write(`no domains on ${uris.join(", ")}\n`);
  } else {
    process.stdout.write(formatTable(rows));
  }
  return status;
}

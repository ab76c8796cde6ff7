// CPU % per domain from two bulk statistics samples: the share of its vCPUs a
// domain used between them, delta cpu.time / (delta wall x vCPUs).
import type { Connection } from "./connection.ts";
import { DomainStatsTypes } from "./generated/enums.ts";
import type { DomainStatsRecord } from "./stats.ts";

export const CPU_STATS = DomainStatsTypes.STATE | DomainStatsTypes.CPU_TOTAL | DomainStatsTypes.VCPU | DomainStatsTypes.BALLOON;

export interface CpuSample {
  /** performance.now() when the sample was taken. */
  at: number;
  domains: Map<string /* uuid */, { name: string; state: number; vcpus: number; memoryKiB: number; cpuTimeNs: bigint | null }>;
}

const asNum = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : null);

/**
 * One bulk stats call. Drivers that do not report cpu.time / vcpu.current /
 * balloon.current in bulk stats (the test driver) get those from virDomainGetInfo.
 */
export function sampleCpu(conn: Connection): CpuSample {
  const records: DomainStatsRecord[] = conn.getAllDomainStats(CPU_STATS);
  const at = performance.now();
  const domains: CpuSample["domains"] = new Map();
  for (const r of records) {
    const p = r.params;
    let cpu = typeof p["cpu.time"] === "bigint" ? (p["cpu.time"] as bigint) : null;
    let vcpus = asNum(p["vcpu.current"]);
    let mem = asNum(p["balloon.current"]);
    const state = asNum(p["state.state"]) ?? 0;
    if (cpu === null || vcpus === null || mem === null) {
      try {
        using d = conn.lookupByUUIDString(r.uuid);
        const info = d.info();
        if (cpu === null && info.state === 1 /* running */) cpu = info.cpuTimeNs;
        vcpus ??= info.nrVirtCpu;
        mem ??= info.memoryKiB;
      } catch {
        // the domain went away between the two calls: keep what the stats said
      }
    }
    domains.set(r.uuid, { name: r.name, state, vcpus: vcpus ?? 0, memoryKiB: mem ?? 0, cpuTimeNs: cpu });
  }
  return { at, domains };
}

/** CPU % (0..100 of the domain's vCPUs) between two samples; null when not computable. */
export function cpuPercent(a: CpuSample, b: CpuSample, uuid: string): number | null {
  const x = a.domains.get(uuid);
  const y = b.domains.get(uuid);
  if (!x || !y || x.cpuTimeNs === null || y.cpuTimeNs === null || y.vcpus <= 0) return null;
  const wallNs = (b.at - a.at) * 1e6;
  if (wallNs <= 0) return null;
  const used = Number(y.cpuTimeNs - x.cpuTimeNs);
  if (used < 0) return null; // restarted in between
  return (used / (wallNs * y.vcpus)) * 100;
}

// The statistics CPU % is computed from, the same on every driver: one bulk
// call (state, CPU time, vCPUs, balloon) decoded into DomainStats. The test
// driver's bulk stats carry only the state, so what it leaves out is asked of
// virDomainGetInfo. The CPU % itself is src/scaler/monitor.ts's (CpuMeter).
import type { DomainInfo } from "./domain.ts";
import { LibvirtError } from "./errors.ts";
import { DomainState, DomainStatsTypes, ErrorNumber } from "./generated/enums.ts";
import { domainStats, type DomainStats, type DomainStatsRecord } from "./stats.ts";

export const CPU_STATS = DomainStatsTypes.STATE | DomainStatsTypes.CPU_TOTAL | DomainStatsTypes.VCPU | DomainStatsTypes.BALLOON;

/** The part of a Connection this needs (a test can wrap it to inject failures). */
export interface CpuStatsSource {
  getAllDomainStats(stats: number, flags?: number): DomainStatsRecord[];
  lookupByUUIDString(uuid: string): { info(): DomainInfo; free(): void };
}

/**
 * Every domain's CPU statistics: one bulk call, each record completed by
 * withInfo; with `complete`, only those domains' records are (the monitor
 * needs the whole list for names and states, the full figures for its own VMs).
 */
export function cpuStats(conn: CpuStatsSource, flags = 0, complete?: Iterable<string>): DomainStats[] {
  const only = complete ? new Set(complete) : null;
  return conn.getAllDomainStats(CPU_STATS, flags).map((r) => {
    const s = domainStats(r);
    return only && !only.has(s.name) ? s : withInfo(conn, s);
  });
}

/**
 * Fills in from virDomainGetInfo what the bulk stats left out: the CPU time of
 * a running domain, its vCPUs, its memory. Not called where the bulk stats
 * have them all (qemu reports vCPUs and balloon for shut-off domains too, CPU
 * time only for running ones), so the monitor stays at one call per sample
 * there. A domain that went away between the two calls keeps what the stats said.
 */
export function withInfo(conn: CpuStatsSource, s: DomainStats): DomainStats {
  const running = s.state?.state === DomainState.RUNNING;
  if ((s.cpu?.time !== undefined || !running) && s.vcpu?.current !== undefined && s.balloon?.current !== undefined) return s;
  let info: DomainInfo;
  try {
    const d = conn.lookupByUUIDString(s.uuid);
    try {
      info = d.info();
    } finally {
      d.free();
    }
  } catch (e) {
    if (e instanceof LibvirtError && e.code === ErrorNumber.NO_DOMAIN) return s;
    throw e;
  }
  const out: DomainStats = { ...s, vcpu: { ...s.vcpu }, balloon: { ...s.balloon } };
  if (running && info.state === DomainState.RUNNING && s.cpu?.time === undefined) out.cpu = { ...s.cpu, time: info.cpuTimeNs };
  out.vcpu!.current ??= info.nrVirtCpu;
  out.balloon!.current ??= info.memoryKiB;
  return out;
}

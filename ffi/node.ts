// The host ("node") calls the scaler's capacity needs, and the calls that set
// a domain's CPU weight (the scheduler's cpu_shares of a running domain; the
// XML in a managed-save image, which a start restores), as thin wrappers named
// after the C functions: plain objects out, libvirt's errors as LibvirtError.
// They run on the caller's connection; AsyncConnection runs them on its
// worker (ffi/worker.ts) so a slow remote host never blocks the balancer.
import { C, runtime, check, cstr, lastError, takeString } from "./lib.ts";
import type { Connection, NodeInfo } from "./connection.ts";
import type { Domain } from "./domain.ts";
import { NodeGetCPUStatsAllCPUs, TypedParameterType } from "./generated/enums.ts";
import { decodeTypedParams, type StatValue } from "./stats.ts";

export type { NodeInfo };

/** virNodeGetInfo: the host's model, memory (KiB), logical CPUs and topology. */
export function virNodeGetInfo(conn: Connection): NodeInfo {
  return conn.nodeInfo();
}

/**
 * virNodeGetCPUStats: cumulative CPU time of the host (all CPUs when cpuNum
 * is VIR_NODE_CPU_STATS_ALL_CPUS, -1), in ns by libvirt's field names
 * ("kernel", "user", "idle", "iowait" on Linux). Two readings apart give how
 * busy the host was in between (src/scaler/capacity.ts).
 */
export function virNodeGetCPUStats(conn: Connection, cpuNum: number = NodeGetCPUStatsAllCPUs.CPUS, flags = 0): Record<string, bigint> {
  // struct _virNodeCPUStats { char field[80]; unsigned long long value; }: 88 bytes.
  const FIELD = 80, SIZE = 88;
  const n = new Int32Array(1);
  // First call with no array: libvirt says how many fields it has.
  check(C.virNodeGetCPUStats(conn.ptr, cpuNum, null, n, flags), "virNodeGetCPUStats");
  const out: Record<string, bigint> = {};
  if (n[0]! <= 0) return out;
  const buf = new Uint8Array(n[0]! * SIZE);
  check(C.virNodeGetCPUStats(conn.ptr, cpuNum, buf, n, flags), "virNodeGetCPUStats");
  const dv = new DataView(buf.buffer);
  const dec = new TextDecoder();
  for (let i = 0; i < n[0]!; i++) {
    const off = i * SIZE;
    const name = buf.subarray(off, off + FIELD);
    const end = name.indexOf(0);
    out[dec.decode(name.subarray(0, end < 0 ? FIELD : end))] = dv.getBigUint64(off + FIELD, true);
  }
  return out;
}

/** virNodeGetFreeMemory: free memory of the host in bytes (0 is libvirt's failure value: then its error is thrown). */
export function virNodeGetFreeMemory(conn: Connection): number {
  const v = C.virNodeGetFreeMemory(conn.ptr);
  const bytes = typeof v === "bigint" ? Number(v) : Number(v);
  if (bytes === 0) {
    const e = C.virGetLastError();
    if (!runtime.isNull(e)) throw lastError("virNodeGetFreeMemory");
  }
  return bytes;
}

/** One typed parameter to set (virTypedParameter): the type is libvirt's for that field (cpu_shares: ullong). */
export interface TypedParamIn {
  field: string;
  type: "int" | "uint" | "llong" | "ullong" | "double" | "boolean";
  value: number | bigint | boolean;
}

// struct _virTypedParameter { char field[80]; int type; union value; } (value at 88, 96 bytes)
const TP_SIZE = 96, TP_TYPE = 80, TP_VALUE = 88;

/** Packs typed parameters into libvirt's array layout. */
export function packTypedParams(params: readonly TypedParamIn[]): Uint8Array {
  const buf = new Uint8Array(params.length * TP_SIZE);
  const dv = new DataView(buf.buffer);
  params.forEach((p, i) => {
    const off = i * TP_SIZE;
    const name = cstr(p.field);
    if (name.length > TP_TYPE) throw new RangeError(`typed parameter name '${p.field}' is longer than 79 bytes`);
    buf.set(name, off);
    const v = off + TP_VALUE;
    switch (p.type) {
      case "int":
        dv.setInt32(off + TP_TYPE, TypedParameterType.INT, true);
        dv.setInt32(v, Number(p.value), true);
        break;
      case "uint":
        dv.setInt32(off + TP_TYPE, TypedParameterType.UINT, true);
        dv.setUint32(v, Number(p.value), true);
        break;
      case "llong":
        dv.setInt32(off + TP_TYPE, TypedParameterType.LLONG, true);
        dv.setBigInt64(v, BigInt(p.value as number | bigint), true);
        break;
      case "ullong":
        dv.setInt32(off + TP_TYPE, TypedParameterType.ULLONG, true);
        dv.setBigUint64(v, BigInt(p.value as number | bigint), true);
        break;
      case "double":
        dv.setInt32(off + TP_TYPE, TypedParameterType.DOUBLE, true);
        dv.setFloat64(v, Number(p.value), true);
        break;
      case "boolean":
        dv.setInt32(off + TP_TYPE, TypedParameterType.BOOLEAN, true);
        dv.setInt8(v, p.value ? 1 : 0);
        break;
    }
  });
  return buf;
}

/**
 * virDomainSetSchedulerParametersFlags: e.g. [{ field: "cpu_shares", type:
 * "ullong", value: 1024 }] with DomainModificationImpact.LIVE (a running
 * domain's cgroup) and/or CONFIG (its persistent definition).
 */
export function virDomainSetSchedulerParameters(dom: Domain, params: readonly TypedParamIn[], flags = 0): void {
  const buf = packTypedParams(params);
  check(C.virDomainSetSchedulerParametersFlags(dom.ptr, buf, params.length, flags), "virDomainSetSchedulerParametersFlags");
}

/** virDomainGetSchedulerParameters(Flags) (sized by virDomainGetSchedulerType): cpu_shares, vcpu_period, ... as libvirt reports them. */
export function virDomainGetSchedulerParameters(dom: Domain, flags = 0): Record<string, StatValue> {
  const n = new Int32Array(1);
  const type = C.virDomainGetSchedulerType(dom.ptr, n);
  if (runtime.isNull(type)) throw lastError("virDomainGetSchedulerType");
  takeString(type);
  if (n[0]! <= 0) return {};
  const buf = new Uint8Array(n[0]! * TP_SIZE);
  // Without flags, the call without them: libvirt adds VIR_TYPED_PARAM_STRING_OKAY to the Flags call's flags, which some drivers (test:///) refuse.
  if (flags === 0) check(C.virDomainGetSchedulerParameters(dom.ptr, buf, n), "virDomainGetSchedulerParameters");
  else check(C.virDomainGetSchedulerParametersFlags(dom.ptr, buf, n, flags), "virDomainGetSchedulerParametersFlags");
  // String values (none among the scheduler's) would point into libvirt memory that
  // virTypedParamsClear frees; numbers are read straight from our buffer.
  return decodeTypedParams(runtime.ptrFromAddr(runtime.bufferAddress(buf)), n[0]!);
}

/** virDomainManagedSaveGetXMLDesc: the domain XML stored in a domain's managed-save image (what a start restores). */
export function virDomainManagedSaveGetXMLDesc(dom: Domain, flags = 0): string {
  const p = C.virDomainManagedSaveGetXMLDesc(dom.ptr, flags);
  if (runtime.isNull(p)) throw lastError("virDomainManagedSaveGetXMLDesc");
  return takeString(p)!;
}

/** virDomainManagedSaveDefineXML: replace the XML in a managed-save image (ABI-compatible changes only, e.g. <cputune>). */
export function virDomainManagedSaveDefineXML(dom: Domain, xml: string, flags = 0): void {
  check(C.virDomainManagedSaveDefineXML(dom.ptr, cstr(xml), flags), "virDomainManagedSaveDefineXML");
}

// Decodes virDomainStatsRecord lists (virConnectGetAllDomainStats,
// virDomainListGetStats) into plain objects. The typed parameters are read from
// one view over libvirt's memory per record, not one FFI call per field.
import { C, runtime, type Ptr } from "./lib.ts";

export type StatValue = number | bigint | string | boolean;
export interface DomainStatsRecord {
  name: string;
  uuid: string;
  /** Keys exactly libvirt's ("state.state", "cpu.time", "vcpu.current", ...). */
  params: Record<string, StatValue>;
}

// struct _virDomainStatsRecord { virDomainPtr dom; virTypedParameterPtr params; int nparams; }
const REC_SIZE = 24;
// struct _virTypedParameter { char field[80]; int type; union { ... } value; }  (value at 88, 96 bytes)
const TP_SIZE = 96;
const TP_FIELD_LEN = 80;
const TP_TYPE = 80;
const TP_VALUE = 88;
// virTypedParameterType
const INT = 1, UINT = 2, LLONG = 3, ULLONG = 4, DOUBLE = 5, BOOLEAN = 6, STRING = 7;

const uuidBuf = new Uint8Array(16);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Canonical 8-4-4-4-12 form of the 16 raw bytes virDomainGetUUID writes. */
export function formatUuid(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
    s += HEX[b[i]!];
  }
  return s;
}

// Field names repeat in every record and every call: intern them by their bytes
// so decoding makes no new strings for names seen before.
const fieldCache = new Map<number, string[]>();
function fieldName(u8: Uint8Array, off: number): string {
  let end = off;
  let h = 0;
  const max = off + TP_FIELD_LEN;
  while (end < max) {
    const c = u8[end]!;
    if (c === 0) break;
    h = (Math.imul(h, 31) + c) | 0;
    end++;
  }
  const len = end - off;
  const bucket = fieldCache.get(h);
  if (bucket) {
    for (const s of bucket) {
      if (s.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) if (s.charCodeAt(i) !== u8[off + i]) { same = false; break; }
      if (same) return s;
    }
  }
  // names are ASCII (libvirt field names are identifiers and dots)
  let s = "";
  for (let i = off; i < end; i++) s += String.fromCharCode(u8[i]!);
  if (bucket) bucket.push(s);
  else if (fieldCache.size < 100_000) fieldCache.set(h, [s]);
  return s;
}

/** Decodes `n` typed parameters at p into an object. */
export function decodeTypedParams(p: Ptr, n: number): Record<string, StatValue> {
  const out: Record<string, StatValue> = {};
  if (n <= 0 || runtime.isNull(p)) return out;
  const ab = runtime.arrayBuffer(p, n * TP_SIZE);
  const u8 = new Uint8Array(ab);
  const dv = new DataView(ab);
  for (let i = 0, off = 0; i < n; i++, off += TP_SIZE) {
    const key = fieldName(u8, off);
    const v = off + TP_VALUE;
    switch (dv.getInt32(off + TP_TYPE, true)) {
      case INT: out[key] = dv.getInt32(v, true); break;
      case UINT: out[key] = dv.getUint32(v, true); break;
      case LLONG: out[key] = dv.getBigInt64(v, true); break;
      case ULLONG: out[key] = dv.getBigUint64(v, true); break;
      case DOUBLE: out[key] = dv.getFloat64(v, true); break;
      case BOOLEAN: out[key] = u8[v] !== 0; break;
      case STRING: {
        const sp = runtime.readPtr(p, v);
        out[key] = runtime.isNull(sp) ? "" : runtime.cstring(sp);
        break;
      }
    }
  }
  return out;
}

/**
 * Decodes a NULL-terminated virDomainStatsRecordPtr array of `count` records.
 * The caller frees the list (virDomainStatsRecordListFree) afterwards.
 */
export function decodeStatsList(list: Ptr, count: number): DomainStatsRecord[] {
  const out: DomainStatsRecord[] = new Array(count);
  if (count === 0) return out;
  const recs = new DataView(runtime.arrayBuffer(list, count * 8));
  for (let i = 0; i < count; i++) {
    const rec = runtime.ptrFromAddr(recs.getBigUint64(i * 8, true));
    const rv = new DataView(runtime.arrayBuffer(rec, REC_SIZE));
    const dom = runtime.readPtr(rec, 0);
    const params = runtime.ptrFromAddr(rv.getBigUint64(8, true));
    const nparams = rv.getInt32(16, true);
    const namePtr = C.virDomainGetName(dom);
    C.virDomainGetUUID(dom, uuidBuf);
    out[i] = {
      name: runtime.isNull(namePtr) ? "" : runtime.cstring(namePtr),
      uuid: formatUuid(uuidBuf),
      params: decodeTypedParams(params, nparams),
    };
  }
  return out;
}

// Decodes virDomainStatsRecord lists (virConnectGetAllDomainStats,
// virDomainListGetStats) into plain objects. The typed parameters are read from
// one view over libvirt's memory per record, not one FFI call per field.
// domainStats() then turns a record's string-keyed parameters into the typed
// DomainStats through one field table, so no caller reads "cpu.time" by name.
import { C, runtime, type Ptr } from "./lib.ts";

export type StatValue = number | bigint | string | boolean;
export interface DomainStatsRecord {
  name: string;
  uuid: string;
  /** Keys exactly libvirt's ("state.state", "cpu.time", "vcpu.current", ...). */
  params: Record<string, StatValue>;
}

// struct _virDomainStatsRecord { virDomainPtr dom; virTypedParameterPtr params; int nparams; }
// struct _virTypedParameter { char field[80]; int type; union { ... } value; }  (value at 88, 96 bytes)
const TP_SIZE = 96;
const TP_FIELD_LEN = 80;
const TP_TYPE = 80;
const TP_VALUE = 88;
// virTypedParameterType
const INT = 1, UINT = 2, LLONG = 3, ULLONG = 4, DOUBLE = 5, BOOLEAN = 6, STRING = 7;

const uuidBuf = new Uint8Array(16);
const uuidArg = runtime.pinned(uuidBuf) as Uint8Array;
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
const codes = new Uint8Array(TP_FIELD_LEN);

function intern(h: number, len: number): string {
  const bucket = fieldCache.get(h);
  if (bucket) {
    for (const s of bucket) {
      if (s.length !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) if (s.charCodeAt(i) !== codes[i]) { same = false; break; }
      if (same) return s;
    }
  }
  // libvirt field names are ASCII (identifiers, digits and dots)
  let s = "";
  for (let i = 0; i < len; i++) s += String.fromCharCode(codes[i]!);
  if (bucket) bucket.push(s);
  else if (fieldCache.size < 100_000) fieldCache.set(h, [s]);
  return s;
}

/** Field name from a byte view (Deno path). */
function fieldNameFromView(u8: Uint8Array, off: number): string {
  let h = 0, len = 0;
  while (len < TP_FIELD_LEN) {
    const c = u8[off + len]!;
    if (c === 0) break;
    codes[len++] = c;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return intern(h, len);
}

/** Field name read byte by byte straight from C memory (Bun path: read.u8 is an intrinsic). */
function fieldNameDirect(p: Ptr, off: number): string {
  let h = 0, len = 0;
  while (len < TP_FIELD_LEN) {
    const c = runtime.readU8(p, off + len);
    if (c === 0) break;
    codes[len++] = c;
    h = (Math.imul(h, 31) + c) | 0;
  }
  return intern(h, len);
}

/**
 * Bun: bun:ffi's read.* are JIT intrinsics, cheaper than creating an
 * ArrayBuffer + views per parameter array. Deno: one view per array.
 */
const DIRECT_READS = runtime.name === "bun";

/** Decodes `n` typed parameters (virTypedParameter[n]) at p into an object. */
export function decodeTypedParams(p: Ptr, n: number): Record<string, StatValue> {
  const out: Record<string, StatValue> = {};
  if (n <= 0 || runtime.isNull(p)) return out;
  if (DIRECT_READS) {
    for (let i = 0, off = 0; i < n; i++, off += TP_SIZE) {
      const key = fieldNameDirect(p, off);
      const v = off + TP_VALUE;
      switch (runtime.readI32(p, off + TP_TYPE)) {
        case INT: out[key] = runtime.readI32(p, v); break;
        case UINT: out[key] = runtime.readU32(p, v); break;
        case LLONG: out[key] = runtime.readI64(p, v); break;
        case ULLONG: out[key] = runtime.readU64(p, v); break;
        case DOUBLE: out[key] = runtime.readF64(p, v); break;
        case BOOLEAN: out[key] = runtime.readU8(p, v) !== 0; break;
        case STRING: {
          const sp = runtime.readPtr(p, v);
          out[key] = runtime.isNull(sp) ? "" : runtime.cstring(sp);
          break;
        }
      }
    }
    return out;
  }
  const ab = runtime.arrayBuffer(p, n * TP_SIZE);
  const u8 = new Uint8Array(ab);
  const dv = new DataView(ab);
  for (let i = 0, off = 0; i < n; i++, off += TP_SIZE) {
    const key = fieldNameFromView(u8, off);
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

// struct _virDomain (libvirt >= 6.x, GObject based): GObject parent (24 bytes),
// virConnectPtr conn @24, char *name @32, int id @40, unsigned char uuid[16] @44.
// virDomainGetUUID formats the UUID for its debug log on every call, which made
// it the most expensive part of decoding a record, so the UUID is read from the
// handle instead: only where the name pointer at @32 is the one virDomainGetName
// returned (checked per record) and after the UUID at @44 matched
// virDomainGetUUID once (checked per process). Otherwise the public call is used.
const DOM_NAME_OFF = 32;
const DOM_UUID_OFF = 44;
let uuidLayoutOk: boolean | null = null;

function domainUuid(dom: Ptr, namePtr: Ptr): string {
  if (uuidLayoutOk !== false && runtime.ptrEquals(runtime.readPtr(dom, DOM_NAME_OFF), namePtr)) {
    if (uuidLayoutOk === null) {
      C.virDomainGetUUID(dom, uuidArg);
      const raw = new Uint8Array(runtime.arrayBuffer(dom, 16, DOM_UUID_OFF));
      uuidLayoutOk = raw.every((b, i) => b === uuidBuf[i]);
    }
    if (uuidLayoutOk) {
      for (let i = 0; i < 16; i++) uuidBuf[i] = runtime.readU8(dom, DOM_UUID_OFF + i);
      return formatUuid(uuidBuf);
    }
  }
  C.virDomainGetUUID(dom, uuidArg);
  return formatUuid(uuidBuf);
}

/**
 * Decodes a NULL-terminated virDomainStatsRecordPtr array of `count` records.
 * The caller frees the list (virDomainStatsRecordListFree) afterwards.
 */
export function decodeStatsList(list: Ptr, count: number): DomainStatsRecord[] {
  const out: DomainStatsRecord[] = new Array(count);
  if (count === 0) return out;
  const getName = C.virDomainGetName;
  for (let i = 0; i < count; i++) {
    const rec = runtime.readPtr(list, i * 8);
    const dom = runtime.readPtr(rec, 0);
    const params = runtime.readPtr(rec, 8);
    const nparams = runtime.readI32(rec, 16);
    const namePtr = getName(dom);
    out[i] = {
      name: runtime.isNull(namePtr) ? "" : runtime.cstring(namePtr),
      uuid: domainUuid(dom, namePtr),
      params: decodeTypedParams(params, nparams),
    };
  }
  return out;
}

/** The state group (VIR_DOMAIN_STATS_STATE). */
export interface DomainStatsState {
  /** virDomainState. */
  state?: number;
  /** The reason code for that state (virDomainRunningReason, ...). */
  reason?: number;
}
/** The cpu group (VIR_DOMAIN_STATS_CPU_TOTAL), in ns since the domain started. */
export interface DomainStatsCpu {
  time?: bigint;
  user?: bigint;
  system?: bigint;
}
/** The vcpu group's totals (VIR_DOMAIN_STATS_VCPU). */
export interface DomainStatsVcpu {
  current?: number;
  maximum?: number;
}
/** The balloon group's sizes (VIR_DOMAIN_STATS_BALLOON), in KiB. */
export interface DomainStatsBalloon {
  current?: number;
  maximum?: number;
}

/**
 * One domain's statistics, typed. A group is present when libvirt reported
 * any of its fields, a field when libvirt reported it: a driver or a stats
 * type that leaves a field out is told apart from a zero.
 */
export interface DomainStats {
  name: string;
  uuid: string;
  state?: DomainStatsState;
  cpu?: DomainStatsCpu;
  vcpu?: DomainStatsVcpu;
  balloon?: DomainStatsBalloon;
}

type Groups = Required<Omit<DomainStats, "name" | "uuid">>;
type Kind<T> = T extends bigint ? "bigint" : "number";
/** Where one libvirt field goes: [group, field, the JS type it is kept as]. */
type FieldInfo = { [G in keyof Groups]: { [F in keyof Groups[G]]-?: readonly [G, F, Kind<NonNullable<Groups[G][F]>>] }[keyof Groups[G]] }[keyof Groups];

// libvirt's field name -> its place in DomainStats (as libvirt-go-module's
// getDomainStats*FieldInfo tables). The type is checked against the group's
// interface, so a field cannot be filed under the wrong name or JS type.
const FIELDS: ReadonlyArray<readonly [string, FieldInfo]> = [
  ["state.state", ["state", "state", "number"]],
  ["state.reason", ["state", "reason", "number"]],
  ["cpu.time", ["cpu", "time", "bigint"]],
  ["cpu.user", ["cpu", "user", "bigint"]],
  ["cpu.system", ["cpu", "system", "bigint"]],
  ["vcpu.current", ["vcpu", "current", "number"]],
  ["vcpu.maximum", ["vcpu", "maximum", "number"]],
  ["balloon.current", ["balloon", "current", "number"]],
  ["balloon.maximum", ["balloon", "maximum", "number"]],
];

// libvirt sends these fields as INT/UINT (number) or ULLONG (bigint); a value of
// the other numeric kind (a wrapper, an older driver) is converted, anything else
// (a string, a boolean) is left out rather than guessed.
function asKind(v: StatValue | undefined, kind: "number" | "bigint"): number | bigint | undefined {
  if (kind === "bigint") return typeof v === "bigint" ? v : typeof v === "number" ? BigInt(Math.round(v)) : undefined;
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
}

/** The typed view of one record, through the field table (fields outside it stay in `params` only). */
export function domainStats(r: DomainStatsRecord): DomainStats {
  const out: DomainStats = { name: r.name, uuid: r.uuid };
  for (const [key, [group, field, kind]] of FIELDS) {
    const v = asKind(r.params[key], kind);
    if (v !== undefined) ((out[group] ??= {}) as Record<string, number | bigint>)[field] = v;
  }
  return out;
}

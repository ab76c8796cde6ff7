// bun:ffi adapter. Pointers are plain numbers here; "buf" arguments are passed
// as typed arrays, which bun:ffi turns into their data pointer for the call.
import { dlopen, read, toArrayBuffer, CString, FFIType, JSCallback, ptr } from "bun:ffi";
import type { AbiType, FfiRuntime, NativeCallback, Ptr, SymbolDef } from "./types.ts";

const TYPE: Record<AbiType, FFIType> = {
  void: FFIType.void,
  i32: FFIType.i32,
  u32: FFIType.u32,
  i64: FFIType.i64,
  u64: FFIType.u64,
  f64: FFIType.f64,
  ptr: FFIType.ptr,
  buf: FFIType.ptr,
};

// dlopen handles stay referenced for the life of the process (libvirt is never unloaded).
const libraries: unknown[] = [];

export const bunRuntime: FfiRuntime = {
  name: "bun",
  bind(path: string, symbol: string, def: SymbolDef) {
    const lib = dlopen(path, {
      [symbol]: { args: def.args.map((a) => TYPE[a]), returns: TYPE[def.returns] },
    });
    libraries.push(lib);
    return lib.symbols[symbol] as unknown as (...args: any[]) => any;
  },
  isNull(p: Ptr): boolean {
    return p === null || p === 0 || p === undefined || p === 0n;
  },
  cstring(p: Ptr, offset = 0): string {
    return new CString(p as any, offset).toString();
  },
  readPtr(p: Ptr, offset: number): Ptr {
    return read.ptr(p as any, offset);
  },
  // bun:ffi's read.* are JIT intrinsics: far cheaper than a view per struct
  readU8: (p: Ptr, offset: number) => read.u8(p as any, offset),
  readI32: (p: Ptr, offset: number) => read.i32(p as any, offset),
  readU32: (p: Ptr, offset: number) => read.u32(p as any, offset),
  readI64: (p: Ptr, offset: number) => read.i64(p as any, offset),
  readU64: (p: Ptr, offset: number) => read.u64(p as any, offset),
  readF64: (p: Ptr, offset: number) => read.f64(p as any, offset),
  ptrEquals: (a: Ptr, b: Ptr) => a === b,
  pinned(buf: Uint8Array): unknown {
    // converting a typed array argument costs ~10x a plain pointer number per call
    return ptr(buf);
  },
  arrayBuffer(p: Ptr, length: number, offset = 0): ArrayBuffer {
    return toArrayBuffer(p as any, offset, length);
  },
  bufferAddress(buf: Uint8Array): bigint {
    return BigInt(ptr(buf));
  },
  ptrFromAddr(addr: bigint): Ptr {
    return Number(addr);
  },
  addrOf(p: Ptr): bigint {
    return p === null || p === undefined ? 0n : BigInt(p as number);
  },
  callback(def: SymbolDef, fn: (...args: any[]) => any): NativeCallback {
    // Not threadsafe: called only by the thread that made it, inside its own FFI call.
    const cb = new JSCallback(fn, { args: def.args.map((a) => TYPE[a]), returns: TYPE[def.returns] });
    return { ptr: cb.ptr, close: () => cb.close() };
  },
};

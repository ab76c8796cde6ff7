// Deno.dlopen adapter. Pointers are Deno PointerObjects (null is NULL); "buf"
// arguments use Deno's "buffer" type, which passes a typed array's data pointer.
import type { AbiType, FfiRuntime, NativeCallback, Ptr, SymbolDef } from "./types.ts";

// Deno's types are not part of this project's TypeScript setup (Bun types are).
declare const Deno: any;

const TYPE: Record<AbiType, string> = {
  void: "void",
  i32: "i32",
  u32: "u32",
  i64: "i64",
  u64: "u64",
  f64: "f64",
  ptr: "pointer",
  buf: "buffer",
};

const libraries: unknown[] = [];

export const denoRuntime: FfiRuntime = {
  name: "deno",
  bind(path: string, symbol: string, def: SymbolDef) {
    const lib = Deno.dlopen(path, {
      [symbol]: { parameters: def.args.map((a) => TYPE[a]), result: TYPE[def.returns] },
    });
    libraries.push(lib);
    return lib.symbols[symbol];
  },
  isNull(p: Ptr): boolean {
    return p === null || p === undefined;
  },
  cstring(p: Ptr, offset = 0): string {
    return Deno.UnsafePointerView.getCString(p, offset);
  },
  readPtr(p: Ptr, offset: number): Ptr {
    return new Deno.UnsafePointerView(p).getPointer(offset);
  },
  readU8: (p: Ptr, offset: number) => new Deno.UnsafePointerView(p).getUint8(offset),
  readI32: (p: Ptr, offset: number) => new Deno.UnsafePointerView(p).getInt32(offset),
  readU32: (p: Ptr, offset: number) => new Deno.UnsafePointerView(p).getUint32(offset),
  readI64: (p: Ptr, offset: number) => BigInt(new Deno.UnsafePointerView(p).getBigInt64(offset)),
  readU64: (p: Ptr, offset: number) => BigInt(new Deno.UnsafePointerView(p).getBigUint64(offset)),
  readF64: (p: Ptr, offset: number) => new Deno.UnsafePointerView(p).getFloat64(offset),
  ptrEquals: (a: Ptr, b: Ptr) => Deno.UnsafePointer.equals(a, b),
  pinned(buf: Uint8Array): unknown {
    return buf; // a "buffer" parameter only takes typed arrays
  },
  arrayBuffer(p: Ptr, length: number, offset = 0): ArrayBuffer {
    return Deno.UnsafePointerView.getArrayBuffer(p, length, offset);
  },
  bufferAddress(buf: Uint8Array): bigint {
    return BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(buf)));
  },
  ptrFromAddr(addr: bigint): Ptr {
    return Deno.UnsafePointer.create(addr);
  },
  addrOf(p: Ptr): bigint {
    return p === null || p === undefined ? 0n : BigInt(Deno.UnsafePointer.value(p));
  },
  callback(def: SymbolDef, fn: (...args: any[]) => any): NativeCallback {
    // Not threadSafe: called only by the thread that made it, synchronously inside its own FFI call.
    const cb = new Deno.UnsafeCallback({ parameters: def.args.map((a) => TYPE[a]), result: TYPE[def.returns] }, fn);
    return { ptr: cb.pointer, close: () => cb.close() };
  },
};

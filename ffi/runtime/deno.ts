// Deno.dlopen adapter. Pointers are Deno PointerObjects (null is NULL); "buf"
// arguments use Deno's "buffer" type, which passes a typed array's data pointer.
import type { AbiType, FfiRuntime, Ptr, SymbolDef } from "./types.ts";

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
  arrayBuffer(p: Ptr, length: number): ArrayBuffer {
    return Deno.UnsafePointerView.getArrayBuffer(p, length);
  },
  ptrFromAddr(addr: bigint): Ptr {
    return Deno.UnsafePointer.create(addr);
  },
  addrOf(p: Ptr): bigint {
    return p === null || p === undefined ? 0n : BigInt(Deno.UnsafePointer.value(p));
  },
};

// The small surface the binding needs from a JavaScript runtime's FFI. One
// adapter per runtime implements it (bun.ts: bun:ffi, deno.ts: Deno.dlopen), so
// everything above this file is the same code on Bun and Deno.

/** An opaque C pointer as the runtime represents it (Bun: number, Deno: PointerObject). null is NULL. */
export type Ptr = unknown;
/** A JS-owned buffer passed where C wants a pointer (strings, out-parameters, structs). */
export type Buf = Uint8Array | BigUint64Array | Int32Array | Uint32Array;

/**
 * ABI types of the symbol table:
 *  i32/u32/i64/u64/f64: scalars; void: no value (returns only);
 *  ptr: a pointer libvirt handed out (handles, returned memory, callbacks);
 *  buf: a JS typed array the callee reads or fills.
 */
export type AbiType = "void" | "i32" | "u32" | "i64" | "u64" | "f64" | "ptr" | "buf";

export interface SymbolDef {
  readonly args: readonly AbiType[];
  readonly returns: AbiType;
}

export interface FfiRuntime {
  readonly name: "bun" | "deno";
  /**
   * Resolve one function of a shared library. Throws if the library cannot be
   * loaded (message from the dynamic loader) or the symbol is missing.
   */
  bind(path: string, symbol: string, def: SymbolDef): (...args: any[]) => any;
  /** Address of a symbol (for passing a C function as a callback), or null. */
  isNull(p: Ptr): boolean;
  /** A NUL-terminated C string at p (+offset), UTF-8 decoded. */
  cstring(p: Ptr, offset?: number): string;
  /** The pointer stored at p + offset. */
  readPtr(p: Ptr, offset: number): Ptr;
  /** A view on `length` bytes of C memory at p (no copy: valid until the memory is freed). */
  arrayBuffer(p: Ptr, length: number): ArrayBuffer;
  /** Pointer <-> integer address. */
  ptrFromAddr(addr: bigint): Ptr;
  addrOf(p: Ptr): bigint;
}

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
  /** A view on `length` bytes of C memory at p + offset (no copy: valid until the memory is freed). */
  arrayBuffer(p: Ptr, length: number, offset?: number): ArrayBuffer;
  /** Scalars at p + offset (little-endian, native). */
  readU8(p: Ptr, offset: number): number;
  readI32(p: Ptr, offset: number): number;
  readU32(p: Ptr, offset: number): number;
  readI64(p: Ptr, offset: number): bigint;
  readU64(p: Ptr, offset: number): bigint;
  readF64(p: Ptr, offset: number): number;
  /** Same address? (Deno pointer objects are not comparable with ===.) */
  ptrEquals(a: Ptr, b: Ptr): boolean;
  /**
   * A long-lived scratch buffer in the form cheapest to pass as a "buf"
   * argument again and again (Bun: its data pointer, taken once; Deno: the
   * array itself). The caller must keep `buf` referenced while it uses the result.
   */
  pinned(buf: Uint8Array): unknown;
  /** The address of a JS buffer's data (to store in C structs: iovecs, msghdrs). Stable while the buffer lives (neither engine moves array buffer data). */
  bufferAddress(buf: Uint8Array): bigint;
  /** Pointer <-> integer address. */
  ptrFromAddr(addr: bigint): Ptr;
  addrOf(p: Ptr): bigint;
  /**
   * A C function pointer that calls `fn` (bun:ffi JSCallback, Deno.UnsafeCallback).
   * It may only be called on the thread that made it, during an FFI call that
   * thread makes (libvirt's event loop, run by that thread): nothing here is
   * thread-safe. `close()` frees it; C must not hold the pointer afterwards.
   */
  callback(def: SymbolDef, fn: (...args: any[]) => any): NativeCallback;
}

/** A JS function C can call (see FfiRuntime.callback). */
export interface NativeCallback {
  readonly ptr: Ptr;
  close(): void;
}

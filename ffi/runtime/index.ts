// Picks the FFI adapter for the runtime we are in. The Bun adapter imports
// "bun:ffi", which Deno cannot resolve, so each adapter is loaded on demand.
// Also the lazily bound symbol tables built on it (libvirt's in ../lib.ts, libc's
// in src/net/libc.ts).
import type { FfiRuntime, SymbolDef } from "./types.ts";

export type { FfiRuntime, Ptr, Buf, AbiType, SymbolDef, NativeCallback } from "./types.ts";

export const isDeno = typeof (globalThis as any).Deno?.dlopen === "function";

export const runtime: FfiRuntime = isDeno
  ? (await import("./deno.ts")).denoRuntime
  : (await import("./bun.ts")).bunRuntime;

/** glibc's soname (Linux): ffi/lib.ts binds free/dlopen/dlsym from it, src/net/libc.ts the socket calls. */
export const LIBC_PATH = "libc.so.6";

type Fn = (...args: any[]) => any;

/**
 * A symbol table with one property per entry of `defs`. A property is bound by
 * `bind` on first access and then replaced by the plain function, so later
 * calls cost one property load and nothing is loaded for unused symbols. If
 * `bind` throws, the error reaches the caller and the next access tries again.
 */
export function lazySymbols<T>(defs: Readonly<Record<string, SymbolDef>>, bind: (name: string, def: SymbolDef) => Fn): T {
  const table = {};
  for (const name of Object.keys(defs)) {
    Object.defineProperty(table, name, {
      configurable: true,
      enumerable: true,
      get() {
        const fn = bind(name, defs[name]!);
        Object.defineProperty(table, name, { value: fn, writable: false, configurable: false, enumerable: true });
        return fn;
      },
    });
  }
  return table as T;
}

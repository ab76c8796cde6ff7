// Picks the FFI adapter for the runtime we are in. The Bun adapter imports
// "bun:ffi", which Deno cannot resolve, so each adapter is loaded on demand.
import type { FfiRuntime } from "./types.ts";

export type { FfiRuntime, Ptr, Buf, AbiType, SymbolDef } from "./types.ts";

export const isDeno = typeof (globalThis as any).Deno?.dlopen === "function";

export const runtime: FfiRuntime = isDeno
  ? (await import("./deno.ts")).denoRuntime
  : (await import("./bun.ts")).bunRuntime;

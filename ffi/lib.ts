// Loads libvirt.so.0 (and libc for free/dlsym), exposes the generated symbol
// table as `C` with each function resolved on first use, and the helpers every
// wrapper needs: C strings in and out, and the last-error -> LibvirtError step.
import { runtime, lazySymbols, LIBC_PATH, type Ptr, type SymbolDef } from "./runtime/index.ts";
import { SYMBOLS, type LibvirtSymbols } from "./generated/symbols.ts";
import { LibvirtError, LibvirtMissingError, LibvirtSymbolError } from "./errors.ts";

/** Override for tests or unusual installs; the default is found by the dynamic loader. */
export const LIBVIRT_PATH: string = (globalThis as any).process?.env?.VIRTSCALE_LIBVIRT_SO || "libvirt.so.0";

export { runtime };
export type { Ptr };

let loaded = false;

/** Loads libvirt once: clear error if it is missing, then initialises it and silences its stderr printing. */
function ensureLoaded(): void {
  if (loaded) return;
  let initialize: () => number;
  try {
    initialize = runtime.bind(LIBVIRT_PATH, "virInitialize", SYMBOLS.virInitialize);
  } catch (e) {
    throw new LibvirtMissingError(LIBVIRT_PATH, String((e as Error)?.message ?? e).split("\n")[0]!);
  }
  loaded = true;
  if (initialize() < 0) throw lastError("virInitialize");
  silenceDefaultErrorPrinting();
}

/**
 * libvirt prints every error to stderr unless an error handler is set. A JS
 * callback would be unsafe here: the handler is process-global and is invoked
 * on whatever thread failed (a Worker's thread too), so it is set to a native
 * C function that does nothing: virResetError(NULL) returns at once, and libvirt
 * calls handler(userData = NULL, err). Errors are read from virGetLastError.
 */
function silenceDefaultErrorPrinting(): void {
  const dlopen = runtime.bind(LIBC_PATH, "dlopen", { args: ["buf", "i32"], returns: "ptr" });
  const dlsym = runtime.bind(LIBC_PATH, "dlsym", { args: ["ptr", "buf"], returns: "ptr" });
  const RTLD_NOW = 2, RTLD_NOLOAD = 4;
  const handle = dlopen(cstr(LIBVIRT_PATH), RTLD_NOW | RTLD_NOLOAD);
  if (runtime.isNull(handle)) return;
  const noop = dlsym(handle, cstr("virResetError"));
  if (runtime.isNull(noop)) return;
  C.virSetErrorFunc(null, noop);
}

/**
 * Binds one libvirt function. If this libvirt lacks it, the result throws
 * LibvirtSymbolError when called (the library itself loaded, see ensureLoaded).
 */
export function bindSymbol(name: string, def: SymbolDef): (...args: any[]) => any {
  ensureLoaded();
  try {
    return runtime.bind(LIBVIRT_PATH, name, def);
  } catch {
    return () => {
      throw new LibvirtSymbolError(name);
    };
  }
}

/** The libvirt C API, each function bound on first use (see lazySymbols). */
export const C = lazySymbols<LibvirtSymbols>(SYMBOLS, bindSymbol);

let libcFree: ((p: Ptr) => void) | null = null;
/** libc free(): libvirt's public API has no virFree, its strings and arrays come from malloc. */
export function cfree(p: Ptr): void {
  if (runtime.isNull(p)) return;
  libcFree ??= runtime.bind(LIBC_PATH, "free", { args: ["ptr"], returns: "void" });
  libcFree(p);
}

const encoder = new TextEncoder();
/** A JS string as a NUL-terminated UTF-8 buffer. */
export function cstr(s: string): Uint8Array {
  return encoder.encode(s + "\0");
}
/** Optional string argument: null stays NULL. */
export function cstrOrNull(s: string | null | undefined): Uint8Array | null {
  return s === null || s === undefined ? null : cstr(s);
}

/** Copies a malloc'ed C string libvirt handed us into JS and frees it. */
export function takeString(p: Ptr): string | null {
  if (runtime.isNull(p)) return null;
  try {
    return runtime.cstring(p);
  } finally {
    cfree(p);
  }
}

/** A const C string libvirt keeps ownership of. */
export function borrowString(p: Ptr): string | null {
  return runtime.isNull(p) ? null : runtime.cstring(p);
}

/**
 * Builds the LibvirtError for the call that just failed from libvirt's
 * thread-local last error (struct _virError: code@0 domain@4 message*@8
 * level@16 ... str1*@40 str2*@48 str3*@56 int1@64 int2@68), then resets it.
 */
export function lastError(func: string): LibvirtError {
  const e = C.virGetLastError();
  if (runtime.isNull(e)) {
    return new LibvirtError({ code: 1, domain: 0, level: 2, message: `${func} failed without a libvirt error`, func });
  }
  const dv = new DataView(runtime.arrayBuffer(e, 72));
  const str = (off: number) => borrowString(runtime.readPtr(e, off));
  const err = new LibvirtError({
    code: dv.getInt32(0, true),
    domain: dv.getInt32(4, true),
    message: str(8) ?? "(no message)",
    level: dv.getInt32(16, true),
    str1: str(40),
    str2: str(48),
    str3: str(56),
    int1: dv.getInt32(64, true),
    int2: dv.getInt32(68, true),
    func,
  });
  C.virResetLastError();
  return err;
}

/** Throws the last error when an int-returning call reports failure (-1). */
export function check(ret: number, func: string): number {
  if (ret < 0) throw lastError(func);
  return ret;
}

/** Throws the last error when a pointer-returning call returned NULL. */
export function checkPtr(p: Ptr, func: string): Ptr {
  if (runtime.isNull(p)) throw lastError(func);
  return p;
}

/** "9.0.0" from libvirt's major*1e6 + minor*1e3 + release encoding. */
export function versionString(v: number | bigint): string {
  const n = Number(v);
  return `${Math.floor(n / 1e6)}.${Math.floor((n % 1e6) / 1e3)}.${n % 1e3}`;
}

/** Reads a NULL-terminated/counted array of pointers libvirt malloc'ed, then frees the array itself. */
export function takePointerArray(arr: Ptr, count: number): Ptr[] {
  if (runtime.isNull(arr)) return [];
  const out: Ptr[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = runtime.readPtr(arr, i * 8);
  cfree(arr);
  return out;
}

// flock(2) through the same FFI adapter as libvirt (bun:ffi or Deno.dlopen):
// the one OS lock that the kernel drops by itself when its holder dies, even
// by kill -9, which is what a "one owner per group" lease needs (a pid in a
// file alone cannot tell a live owner from a reused pid). Its own tiny symbol
// table, not src/net/libc.ts: that one is the UDP engine's (its missing-libc
// error points at lb.engine), and the lease sits above any networking.
import { runtime, lazySymbols, LIBC_PATH, type SymbolDef } from "./runtime/index.ts";

const SYMBOLS = {
  // int flock(int fd, int operation)
  flock: { args: ["i32", "i32"], returns: "i32" },
  // int *__errno_location(void): this thread's errno (read it right after the failing call)
  __errno_location: { args: [], returns: "ptr" },
  // char *strerror(int errnum)
  strerror: { args: ["i32"], returns: "ptr" },
} as const satisfies Record<string, SymbolDef>;

type Fn = (...args: any[]) => any;
const libc = lazySymbols<{ readonly [K in keyof typeof SYMBOLS]: Fn }>(SYMBOLS, (name, def) => runtime.bind(LIBC_PATH, name, def));

// Linux values (asm-generic, the same on x86_64 and aarch64).
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
export const EINTR = 4;
export const EWOULDBLOCK = 11;

/** A flock call failed for another reason than "someone else holds it". */
export class FlockError extends Error {
  constructor(
    readonly errno: number,
    what: string,
  ) {
    const p = libc.strerror(errno);
    super(`flock ${what}: ${runtime.isNull(p) ? `errno ${errno}` : runtime.cstring(p)} (errno ${errno})`);
    this.name = "FlockError";
  }
}

/**
 * Try to take an exclusive lock on `fd` without waiting: true when taken,
 * false when another open file description holds it (EWOULDBLOCK); any other
 * failure throws. `what` names the file for the error.
 */
export function tryLockExclusive(fd: number, what: string): boolean {
  for (;;) {
    if (libc.flock(fd, LOCK_EX | LOCK_NB) === 0) return true;
    const e = runtime.readI32(libc.__errno_location(), 0);
    if (e === EINTR) continue;
    if (e === EWOULDBLOCK) return false;
    throw new FlockError(e, what);
  }
}

/** Drop the lock (closing the fd drops it too). */
export function unlock(fd: number): void {
  libc.flock(fd, LOCK_UN);
}

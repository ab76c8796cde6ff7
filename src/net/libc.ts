// The few libc calls of the batch UDP engine (batch-udp.ts): sockets,
// recvmmsg/sendmmsg (many datagrams per system call) and epoll. One typed
// symbol table, bound through the same FFI adapter as libvirt (bun:ffi or
// Deno.dlopen), each function resolved on first use. Linux only: recvmmsg,
// sendmmsg and epoll are Linux calls.
import { runtime, lazySymbols, LIBC_PATH, type SymbolDef } from "../../ffi/runtime/index.ts";
import { errorMessage } from "../errors.ts";

const SYMBOLS = {
  // int socket(int domain, int type, int protocol)
  socket: { args: ["i32", "i32", "i32"], returns: "i32" },
  // int bind(int fd, const struct sockaddr *addr, socklen_t addrlen)
  bind: { args: ["i32", "buf", "u32"], returns: "i32" },
  // int getsockname(int fd, struct sockaddr *addr, socklen_t *addrlen)
  getsockname: { args: ["i32", "buf", "buf"], returns: "i32" },
  // int setsockopt(int fd, int level, int optname, const void *optval, socklen_t optlen)
  setsockopt: { args: ["i32", "i32", "i32", "buf", "u32"], returns: "i32" },
  // int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)
  recvmmsg: { args: ["i32", "buf", "u32", "i32", "ptr"], returns: "i32" },
  // int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags)
  sendmmsg: { args: ["i32", "buf", "u32", "i32"], returns: "i32" },
  // int epoll_create1(int flags)
  epoll_create1: { args: ["i32"], returns: "i32" },
  // int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
  epoll_ctl: { args: ["i32", "i32", "i32", "buf"], returns: "i32" },
  // int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout_ms)
  epoll_wait: { args: ["i32", "buf", "i32", "i32"], returns: "i32" },
  // int close(int fd)
  close: { args: ["i32"], returns: "i32" },
  // int *__errno_location(void): this thread's errno (read it right after the failing call)
  __errno_location: { args: [], returns: "ptr" },
  // char *strerror(int errnum)
  strerror: { args: ["i32"], returns: "ptr" },
} as const satisfies Record<string, SymbolDef>;

type Fn = (...args: any[]) => any;
export type LibcSymbols = { readonly [K in keyof typeof SYMBOLS]: Fn };

/** Thrown when libc (or one of these calls) is not there: not Linux/glibc. */
export class LibcMissingError extends Error {
  constructor(detail: string) {
    super(`the batch UDP engine needs Linux's libc.so.6 (recvmmsg, sendmmsg, epoll): ${detail}; use lb.engine "node"`);
    this.name = "LibcMissingError";
  }
}

export const libc = lazySymbols<LibcSymbols>(SYMBOLS, (name, def) => {
  try {
    return runtime.bind(LIBC_PATH, name, def);
  } catch (e) {
    throw new LibcMissingError(String(errorMessage(e) ?? e).split("\n")[0]!);
  }
});

// Constants of Linux on x86_64 and aarch64 (the same values on both).
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_DGRAM = 2;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const EPOLL_CLOEXEC = 0o2000000;
export const EPOLL_CTL_ADD = 1;
export const EPOLL_CTL_DEL = 2;
export const EPOLLIN = 0x1;
export const EINTR = 4;
export const EAGAIN = 11;

const ERRNO_NAMES: Record<number, string> = {
  1: "EPERM", 4: "EINTR", 9: "EBADF", 11: "EAGAIN", 13: "EACCES", 22: "EINVAL", 23: "ENFILE", 24: "EMFILE",
  90: "EMSGSIZE", 97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 101: "ENETUNREACH",
  105: "ENOBUFS", 111: "ECONNREFUSED", 113: "EHOSTUNREACH",
};

/** errno of the call that just failed on this thread. */
export function errno(): number {
  return runtime.readI32(libc.__errno_location(), 0);
}

/** "Address already in use (EADDRINUSE)": libc's own text and the errno name. */
export function describeErrno(e: number): string {
  const p = libc.strerror(e);
  const text = runtime.isNull(p) ? `errno ${e}` : runtime.cstring(p);
  return `${text} (${ERRNO_NAMES[e] ?? `errno ${e}`})`;
}

/** An OS call failed: carries errno and the call's name, like Node's system errors. */
export class SysError extends Error {
  constructor(
    readonly call: string,
    readonly errno: number,
    context: string,
  ) {
    super(`${call} ${context}: ${describeErrno(errno)}`);
    this.name = "SysError";
  }
  get code(): string {
    return ERRNO_NAMES[this.errno] ?? `E${this.errno}`;
  }
}

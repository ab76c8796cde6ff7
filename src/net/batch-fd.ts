// The descriptors of the batch engine: its epoll instance, and a UDP socket
// opened, sized, bound and registered with it in one step (closed again if
// any step fails, with the step and the address in the error), then
// unregistered and closed. Setup only: the loop (batch-udp.ts) reads and
// writes the descriptors this returns.
import {
  AF_INET, AF_INET6, EPOLL_CLOEXEC, EPOLL_CTL_ADD, EPOLL_CTL_DEL, EPOLLIN, SO_RCVBUF, SO_SNDBUF, SOCK_CLOEXEC, SOCK_DGRAM,
  SOL_SOCKET, SysError, errno, libc,
} from "./libc.ts";
import { EPOLL_DATA } from "./batch-arena.ts";
import { NAME, addrLen, hostAddr } from "./sockaddr.ts";

/** One struct epoll_event for epoll_ctl (this thread's: module state is per thread). */
const ctlEvent = new Uint8Array(16);

export function epollCreate(): number {
  const ep = libc.epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) throw new SysError("epoll_create1", errno(), "");
  return ep;
}

/**
 * A UDP socket bound to `host`:`port` (port 0: the kernel picks; the real one
 * is returned), with SO_RCVBUF/SO_SNDBUF set to `bufferBytes` when given, and
 * watched for input by `ep`.
 */
export function openSocket(ep: number, host: string, port: number, bufferBytes?: number): { fd: number; port: number } {
  const a = hostAddr(host).slice();
  a[2] = port >>> 8;
  a[3] = port & 255;
  const family = a[0] === AF_INET6 ? AF_INET6 : AF_INET;
  const fd = libc.socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new SysError("socket", errno(), `for ${host}`);
  const where = family === AF_INET6 ? `[${host}]:${port}` : `${host}:${port}`;
  try {
    if (bufferBytes) {
      const v = new Int32Array([bufferBytes]);
      const b = new Uint8Array(v.buffer);
      libc.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, b, 4);
      libc.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, b, 4);
    }
    if (libc.bind(fd, a, addrLen(a)) < 0) throw new SysError("bind", errno(), where);
    const name = new Uint8Array(NAME);
    const len = new Uint32Array([NAME]);
    if (libc.getsockname(fd, name, new Uint8Array(len.buffer)) < 0) throw new SysError("getsockname", errno(), where);
    const bound = (name[2]! << 8) | name[3]!;
    const dv = new DataView(ctlEvent.buffer);
    dv.setUint32(0, EPOLLIN, true);
    dv.setUint32(EPOLL_DATA, fd, true);
    if (libc.epoll_ctl(ep, EPOLL_CTL_ADD, fd, ctlEvent) < 0) throw new SysError("epoll_ctl", errno(), where);
    return { fd, port: bound };
  } catch (e) {
    libc.close(fd);
    throw e;
  }
}

/** Stop watching `fd` and close it. */
export function closeSocket(ep: number, fd: number): void {
  libc.epoll_ctl(ep, EPOLL_CTL_DEL, fd, ctlEvent);
  libc.close(fd);
}

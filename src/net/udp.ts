// UDP sockets behind one small interface, with three engines selected at run
// time: "batch" (batch-udp.ts: libc recvmmsg/sendmmsg through FFI, Linux),
// Bun's native Bun.udpSocket ("bun"), and node:dgram ("node", every
// runtime). All three are exercised by the tests.
import dgram from "node:dgram";
import { batchAvailable, batchLoop } from "./batch-udp.ts";
import type { OnDatagram, Udp, UdpEngine } from "./socket.ts";

export type { OnDatagram, Udp, UdpEngine };

const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

/** The engine "auto" picks: $VIRTSCALE_UDP, else batch where libc's recvmmsg loads (Linux), else bun on Bun, else node. */
export function defaultEngine(env: Record<string, string | undefined> = process.env): UdpEngine {
  const want = env.VIRTSCALE_UDP;
  if (want) return checkEngine(want, "VIRTSCALE_UDP");
  if (batchAvailable()) return "batch";
  return isBun ? "bun" : "node";
}

/** An engine asked for by name ("auto" or undefined: defaultEngine); throws, naming `what`, when it cannot run here. */
export function resolveEngine(choice: string | undefined, what = "lb.engine"): UdpEngine {
  if (choice === undefined || choice === "auto") return defaultEngine();
  return checkEngine(choice, what);
}

function checkEngine(want: string, what: string): UdpEngine {
  if (want === "node") return "node";
  if (want === "bun") {
    if (!isBun) throw new Error(`${what}=bun: Bun.udpSocket is only available when running on Bun`);
    return "bun";
  }
  if (want === "batch") {
    if (!batchAvailable()) throw new Error(`${what}=batch: needs Linux's libc (recvmmsg, sendmmsg, epoll) through FFI; use node`);
    return "batch";
  }
  throw new Error(`${what}: expected auto, batch, bun or node, got '${want}'`);
}

/** Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || h.startsWith("127.");
}

/**
 * The local address a socket that sends to `hosts` binds: loopback of their
 * family when every one is on loopback (a QEMU loopback forward: nothing else
 * can reach it, and nothing else needs to reach the socket), else the
 * wildcard address, so the kernel picks the source by route (a guest on a
 * libvirt network answers to the address it was sent from; a loopback source
 * cannot leave the machine: every send fails).
 */
export function sourceAddressFor(hosts: readonly string[], ipv6 = hosts.some((h) => h.includes(":"))): string {
  if (hosts.length > 0 && hosts.every(isLoopbackHost)) return ipv6 ? "::1" : "127.0.0.1";
  return ipv6 ? "::" : "0.0.0.0";
}

export interface BindOptions {
  host?: string;
  port?: number;
  onMessage: OnDatagram;
  engine?: UdpEngine;
  /** SO_RCVBUF/SO_SNDBUF wish (node and batch engines; the kernel may clamp it). */
  bufferBytes?: number;
  /** batch engine: datagrams queued per socket before a send is forced. */
  sendBatch?: number;
  /** batch engine: called for each datagram the kernel refused after send() had queued it (lost, to be counted). */
  onSendFailed?: () => void;
}

export async function bindUdp(opts: BindOptions): Promise<Udp> {
  const engine = opts.engine ?? defaultEngine();
  if (engine === "batch") return batchLoop().bind({ ...opts, host: opts.host ?? "127.0.0.1", port: opts.port ?? 0 });
  return engine === "bun" ? bindBun(opts) : bindNode(opts);
}

interface BunUdpSocket {
  port: number;
  address: { address: string; port: number };
  send(data: Uint8Array, port: number, host: string): boolean;
  close(): void;
}
interface BunApi {
  udpSocket(o: unknown): Promise<BunUdpSocket>;
}

async function bindBun(opts: BindOptions): Promise<Udp> {
  const Bun = (globalThis as unknown as { Bun: BunApi }).Bun;
  const onMessage = opts.onMessage;
  const host = opts.host ?? "127.0.0.1";
  const s = await Bun.udpSocket({
    hostname: host,
    port: opts.port ?? 0,
    socket: {
      data(_s: unknown, buf: Uint8Array, port: number, addr: string) {
        onMessage(buf, port, addr);
      },
      error() {
        /* ICMP errors and the like: the request is accounted by its timeout */
      },
    },
  });
  let closed = false;
  return {
    engine: "bun",
    host: s.address?.address ?? host,
    port: s.port,
    send(data, port, h) {
      if (closed) return false;
      try {
        return s.send(data, port, h) !== false;
      } catch {
        return false;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      s.close();
    },
  };
}

async function bindNode(opts: BindOptions): Promise<Udp> {
  const s = dgram.createSocket({ type: opts.host?.includes(":") ? "udp6" : "udp4" });
  const onMessage = opts.onMessage;
  s.on("message", (buf, rinfo) => onMessage(buf, rinfo.port, rinfo.address));
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => reject(e);
    s.once("error", fail);
    s.bind(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      s.off("error", fail);
      resolve();
    });
  });
  // Later errors (ICMP unreachable on some platforms) must not crash the process.
  s.on("error", () => {});
  if (opts.bufferBytes) {
    try {
      s.setRecvBufferSize(opts.bufferBytes);
      s.setSendBufferSize(opts.bufferBytes);
    } catch {
      /* not supported on every runtime; the default buffer still works */
    }
  }
  const a = s.address();
  let closed = false;
  return {
    engine: "node",
    host: a.address,
    port: a.port,
    send(data, port, h) {
      if (closed) return false;
      try {
        // Node's dgram sends asynchronously and reads the buffer later (it must not
        // change until then); callers reuse buffers, so copy off Bun (whose
        // node:dgram sends at once). Requests and answers are 4 and 8 bytes.
        s.send(isBun ? data : data.slice(), port, h);
        return true;
      } catch {
        return false;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      try {
        s.close();
      } catch {
        /* already closed */
      }
    },
  };
}

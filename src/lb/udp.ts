// UDP sockets behind one small interface, with two engines selected at run
// time: Bun's native Bun.udpSocket (batch sends, no per-datagram rinfo
// object) when running on Bun, node:dgram everywhere else (Deno, Node) or
// when VIRTSCALE_UDP=node. Both are exercised by the tests.
import dgram from "node:dgram";

/** Called for every datagram; `data` is only valid during the call (copy to keep it). */
export type OnDatagram = (data: Uint8Array, port: number, host: string) => void;

export interface Udp {
  readonly engine: UdpEngine;
  /** Bound address (the real port when 0 was asked). */
  readonly host: string;
  readonly port: number;
  /** Returns false when the datagram could not be handed to the kernel (it is lost). */
  send(data: Uint8Array, port: number, host: string): boolean;
  close(): void;
}

export type UdpEngine = "bun" | "node";

const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

/** The engine used when none is asked for: $VIRTSCALE_UDP, else bun on Bun, else node. */
export function defaultEngine(env: Record<string, string | undefined> = process.env): UdpEngine {
  const want = env.VIRTSCALE_UDP;
  if (want === "node") return "node";
  if (want === "bun") {
    if (!isBun) throw new Error("VIRTSCALE_UDP=bun: Bun.udpSocket is only available when running on Bun");
    return "bun";
  }
  return isBun ? "bun" : "node";
}

export function bunAvailable(): boolean {
  return isBun;
}

export interface BindOptions {
  host?: string;
  port?: number;
  onMessage: OnDatagram;
  engine?: UdpEngine;
  /** SO_RCVBUF/SO_SNDBUF wish (node engine only; the kernel may clamp it). */
  bufferBytes?: number;
}

export async function bindUdp(opts: BindOptions): Promise<Udp> {
  const engine = opts.engine ?? defaultEngine();
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

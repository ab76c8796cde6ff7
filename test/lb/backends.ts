// Fake backends for the balancer and load generator tests: real UDP on
// loopback, in-process (node:dgram) or as a child process (this file run
// with arguments), answering with the real work function or misbehaving.
import dgram from "node:dgram";
import { decodeRequest, encodeReplyHiLo, workHiLo } from "../../src/protocol.ts";

export type BackendMode =
  | "work" // correct answer at `scale`
  | "silent" // never answers
  | "wrong_size" // answers 7 bytes
  | "wrong_value" // 8 bytes, wrong value
  | "slow" // correct answer after delayMs (requests served in parallel)
  | "fifo" // like the guest server: one request at a time, delayMs each, answered in order
  | "other_port"; // correct answer, but sent from another socket (not the backend's address)

export interface FakeBackend {
  port: number;
  host: string;
  received: number;
  answered: number;
  /** Change behaviour at run time (a backend that dies and comes back). */
  mode: BackendMode;
  /** Delay of "slow" and "fifo" answers (ms), changeable at run time. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startFakeBackend(opts: { mode?: BackendMode; scale?: number; delayMs?: number; port?: number } = {}): Promise<FakeBackend> {
  const sock = dgram.createSocket("udp4");
  const other = dgram.createSocket("udp4");
  const scale = opts.scale ?? 0;
  const fb: FakeBackend = {
    port: 0,
    host: "127.0.0.1",
    received: 0,
    answered: 0,
    mode: opts.mode ?? "work",
    delayMs: opts.delayMs ?? 200,
    close: () =>
      new Promise<void>((r) => {
        if (closed) return r();
        closed = true;
        other.close();
        sock.close(() => r());
      }),
  };
  let closed = false;
  // fifo mode: the queue of answers owed and whether one is being served.
  const queue: { data: Uint8Array; port: number; address: string }[] = [];
  let serving = false;
  const serveNext = () => {
    const job = queue.shift();
    if (!job) {
      serving = false;
      return;
    }
    serving = true;
    setTimeout(() => {
      if (!closed) {
        fb.answered++;
        sock.send(job.data, job.port, job.address);
      }
      serveNext();
    }, fb.delayMs);
  };
  sock.on("message", (buf, rinfo) => {
    fb.received++;
    const n = decodeRequest(buf);
    if (n < 0) return;
    const reply = (data: Uint8Array) => {
      if (closed) return; // a slow answer due after close
      fb.answered++;
      sock.send(data, rinfo.port, rinfo.address);
    };
    switch (fb.mode) {
      case "silent":
        return;
      case "wrong_size":
        return reply(new Uint8Array(7));
      case "wrong_value": {
        const [h, l] = workHiLo(n, scale);
        return reply(encodeReplyHiLo(h ^ 0x5a5a, l));
      }
      case "other_port": {
        const [h, l] = workHiLo(n, scale);
        fb.answered++;
        other.send(encodeReplyHiLo(h, l), rinfo.port, rinfo.address);
        return;
      }
      case "slow": {
        const [h, l] = workHiLo(n, scale);
        setTimeout(() => reply(encodeReplyHiLo(h, l)), fb.delayMs);
        return;
      }
      case "fifo": {
        const [h, l] = workHiLo(n, scale);
        queue.push({ data: encodeReplyHiLo(h, l), port: rinfo.port, address: rinfo.address });
        if (!serving) serveNext();
        return;
      }
      default: {
        const [h, l] = workHiLo(n, scale);
        return reply(encodeReplyHiLo(h, l));
      }
    }
  });
  await new Promise<void>((r) => sock.bind(opts.port ?? 0, "127.0.0.1", () => r()));
  await new Promise<void>((r) => other.bind(0, "127.0.0.1", () => r()));
  fb.port = sock.address().port;
  sock.setRecvBufferSize(4 << 20);
  return fb;
}

// Child-process mode: `bun test/lb/backends.ts MODE SCALE` prints the port, serves until killed.
if (import.meta.main) {
  const mode = (process.argv[2] ?? "work") as BackendMode;
  const scale = Number(process.argv[3] ?? 0);
  const fb = await startFakeBackend({ mode, scale });
  process.stdout.write(`${fb.port}\n`);
}

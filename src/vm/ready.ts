// Readiness: a VM is serving when it answers a correct protocol request. A
// small n is sent every ~150 ms (never a sleep-and-hope) until an answer
// matching expectedReply arrives or the timeout passes. Late answers to
// earlier probes count too (each probe uses its own n).
import { createSocket } from "node:dgram";
import { decodeReply, encodeRequest, expectedReply } from "../protocol.ts";

export class NotServingError extends Error {
  constructor(
    message: string,
    readonly probes: number,
  ) {
    super(message);
    this.name = "NotServingError";
  }
}

export interface WaitServingOptions {
  scale: number;
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Extra text for the timeout error (the serial console's last lines, say). */
  onTimeout?: () => string;
}

/** Resolves with ms until the first correct answer from `addr`. */
export function waitServing(addr: { host: string; port: number }, opts: WaitServingOptions): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const intervalMs = opts.intervalMs ?? 150;
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const sock = createSocket("udp4");
    const expected = new Map<bigint, number>();
    let probes = 0;
    let wrong = 0;
    let done = false;
    let timer: ReturnType<typeof setInterval> | undefined;
    let deadline: ReturnType<typeof setTimeout> | undefined;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      if (timer) clearInterval(timer);
      if (deadline) clearTimeout(deadline);
      opts.signal?.removeEventListener("abort", onAbort);
      sock.close();
      if (err) reject(err);
      else resolve(Math.round(performance.now() - t0));
    };
    const onAbort = () => finish(new Error(`waiting for ${addr.host}:${addr.port} to serve: aborted`));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort);
    sock.on("message", (msg: Uint8Array) => {
      const v = decodeReply(msg);
      if (v !== null && expected.has(v)) finish(null);
      else wrong++;
    });
    sock.on("error", () => {
      /* ICMP port unreachable while the forward is not up yet: keep probing */
    });
    const probe = () => {
      // A fresh small n per probe: cheap to compute, and its answer identifies it.
      const n = 1 + ((probes * 7919) % 997);
      probes++;
      expected.set(expectedReply(n, opts.scale), n);
      sock.send(encodeRequest(n), addr.port, addr.host, () => {});
    };
    sock.bind(0, addr.host.startsWith("127.") ? "127.0.0.1" : "0.0.0.0", () => {
      probe();
      timer = setInterval(probe, intervalMs);
    });
    deadline = setTimeout(() => {
      const extra = opts.onTimeout?.();
      finish(
        new NotServingError(
          `no correct answer from ${addr.host}:${addr.port} within ${(timeoutMs / 1000).toFixed(0)} s (${probes} probes, ${wrong} wrong or malformed replies)${extra ? `\n${extra}` : ""}`,
          probes,
        ),
      );
    }, timeoutMs);
  });
}

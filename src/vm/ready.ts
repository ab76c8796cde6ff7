// Readiness: a VM is serving when it answers a request correctly by the
// service check (config service.check: virtscale's work function, the
// assignment's pow2mod1021, or any 8-byte answer). A small n is sent every
// ~150 ms (never a sleep-and-hope) until such an answer arrives or the
// timeout passes. Late answers to earlier probes count too (each probe uses
// its own n).
import { createSocket } from "node:dgram";
import { decodeReply, encodeRequest } from "../protocol.ts";
import { serviceCheck, type ServiceCheck } from "../protocol/service.ts";

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
  /** virtscale's work scale: the check when `check` is not given. */
  scale: number;
  /** How an answer is checked (default virtscale's work function at `scale`). */
  check?: ServiceCheck;
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
  const check = opts.check ?? serviceCheck("virtscale", opts.scale);
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
      // "any": every 8-byte answer is a correct one (there is nothing to compare it with).
      if (v !== null && (!check.verifies || expected.has(v))) finish(null);
      else wrong++;
    });
    sock.on("error", () => {
      /* ICMP port unreachable while the forward is not up yet: keep probing */
    });
    const probe = () => {
      // A fresh small n per probe: cheap to compute, and its answer identifies it.
      const n = 1 + ((probes * 7919) % 997);
      probes++;
      const want = check.expected(n);
      if (want !== null) expected.set(want, n);
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
          `no correct answer (${check.description}) from ${addr.host}:${addr.port} within ${(timeoutMs / 1000).toFixed(0)} s (${probes} probes, ${wrong} wrong or malformed replies)${extra ? `\n${extra}` : ""}`,
          probes,
        ),
      );
    }, timeoutMs);
  });
}

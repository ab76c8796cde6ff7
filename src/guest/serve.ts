// The guest server: the assignment's UDP service. A request is exactly 4 bytes
// (BE u32 n), the reply exactly 8 bytes (BE u64) = workHiLo(n, scale). Anything
// else is dropped and counted. Requests are CPU-bound, so they are answered one
// at a time in arrival order from a queue: a busy server shows ~100 % of one
// CPU, which is what the autoscaler watches. Portable (node:dgram): runs under
// Bun and Deno, on the host for tests and inside the guest VM. With
// function "pow2mod1021" it answers like the assignment's server.py
// (2**n mod 1021) instead: a server that is not virtscale's, for the
// service.check tests.
import { createSocket, type RemoteInfo, type Socket } from "node:dgram";
import { setImmediate } from "node:timers";
import { decodeRequest, encodeReplyHiLo, REPLY_BYTES, workHiLo } from "../protocol.ts";
import { answerFunction } from "../protocol/service.ts";

/** What the server answers to n: virtscale's work function, or the assignment's 2**n mod 1021. */
export const SERVE_FUNCTIONS = ["virtscale", "pow2mod1021"] as const;
export type ServeFunction = (typeof SERVE_FUNCTIONS)[number];

export interface ServeOptions {
  port: number;
  /** Bind address: 0.0.0.0 in the guest, 127.0.0.1 in tests. */
  host?: string;
  /** Work-function iterations per unit of n. */
  scale: number;
  /** Requests waiting beyond this are dropped (counted as queueFull): bounded memory under overload. */
  maxQueue?: number;
  /** What the answer is: virtscale's work function at `scale` (default), or the assignment's 2**n mod 1021. */
  function?: ServeFunction;
}

export interface ServeCounters {
  /** Datagrams received (any size). */
  received: number;
  answered: number;
  /** Datagrams that were not exactly 4 bytes. */
  malformed: number;
  /** Requests dropped because the queue was full. */
  queueFull: number;
  /** Replies the socket failed to send. */
  sendErrors: number;
  /** Requests waiting now. */
  queued: number;
  /** Milliseconds spent computing answers since start. */
  busyMs: number;
  startedAt: number;
}

export interface GuestServer {
  readonly address: { host: string; port: number };
  readonly scale: number;
  readonly function: ServeFunction;
  counters(): ServeCounters;
  /** One line for the console: `virtscale-serve: received=… answered=… …`. */
  report(): string;
  close(): Promise<void>;
}

interface Pending {
  n: number;
  port: number;
  address: string;
}

export async function startServer(opts: ServeOptions): Promise<GuestServer> {
  const host = opts.host ?? "0.0.0.0";
  const maxQueue = opts.maxQueue ?? 100_000;
  if (!Number.isInteger(opts.scale) || opts.scale < 0) throw new Error(`serve: scale must be an integer >= 0, got ${opts.scale}`);
  const c: ServeCounters = { received: 0, answered: 0, malformed: 0, queueFull: 0, sendErrors: 0, queued: 0, busyMs: 0, startedAt: Date.now() };
  const queue: Pending[] = [];
  let head = 0;
  let draining = false;
  let closed = false;
  const fn = opts.function ?? "virtscale";
  // The work function stays a direct call on the default path (the hot loop of a busy guest).
  const answer = fn === "virtscale" ? (n: number) => workHiLo(n, opts.scale) : answerFunction(fn, opts.scale);
  const sock: Socket = createSocket({ type: "udp4", reuseAddr: false });
  // A reply buffer per answer: send() may still hold the previous one.
  const answerNext = () => {
    if (closed || head >= queue.length) {
      draining = false;
      queue.length = 0;
      head = 0;
      c.queued = 0;
      return;
    }
    const req = queue[head++]!;
    c.queued = queue.length - head;
    const t0 = performance.now();
    const [hi, lo] = answer(req.n);
    c.busyMs += performance.now() - t0;
    const out = encodeReplyHiLo(hi, lo, new Uint8Array(REPLY_BYTES));
    sock.send(out, req.port, req.address, (err) => {
      if (err) c.sendErrors++;
      else c.answered++;
    });
    // Yield between answers so new datagrams, signals and timers get a turn.
    setImmediate(answerNext);
  };
  sock.on("message", (msg: Uint8Array, rinfo: RemoteInfo) => {
    c.received++;
    const n = decodeRequest(msg);
    if (n < 0) {
      c.malformed++;
      return;
    }
    if (queue.length - head >= maxQueue) {
      c.queueFull++;
      return;
    }
    queue.push({ n, port: rinfo.port, address: rinfo.address });
    c.queued = queue.length - head;
    if (!draining) {
      draining = true;
      setImmediate(answerNext);
    }
  });
  // A socket error (ICMP-driven on some systems) must never end the server.
  sock.on("error", () => {
    c.sendErrors++;
  });
  await new Promise<void>((resolve, reject) => {
    const onErr = (e: Error) => reject(new Error(`serve: cannot bind udp ${host}:${opts.port}: ${e.message}`));
    sock.once("error", onErr);
    sock.bind(opts.port, host, () => {
      sock.off("error", onErr);
      resolve();
    });
  });
  const bound = sock.address();
  return {
    address: { host: bound.address, port: bound.port },
    scale: opts.scale,
    function: fn,
    counters: () => ({ ...c }),
    report: () => formatCounters(c),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        sock.close(() => resolve());
      }),
  };
}

export function formatCounters(c: ServeCounters): string {
  const up = ((Date.now() - c.startedAt) / 1000).toFixed(0);
  return `virtscale-serve: up=${up}s received=${c.received} answered=${c.answered} malformed=${c.malformed} queue_full=${c.queueFull} send_errors=${c.sendErrors} queued=${c.queued} busy_ms=${c.busyMs.toFixed(0)}`;
}

/**
 * Run the work function in small chunks until the JIT has compiled it (chunk
 * times stop falling) or `budgetMs` runs out. Inside a TCG guest the first
 * n=200000 answer took ~1.5 s cold against ~0.28 s warm: warming up before
 * saying "ready" means the balancer never sees the slow first answers (and a
 * VM saved after boot comes back with its JIT warm). Returns the ms spent.
 */
export function warmUp(scale: number, budgetMs: number): { ms: number; chunks: number } {
  const t0 = performance.now();
  if (budgetMs <= 0 || scale <= 0) return { ms: 0, chunks: 0 };
  // ~200k LCG steps per chunk whatever the scale.
  const n = Math.max(1, Math.round(200_000 / scale));
  let best = Infinity;
  let steady = 0;
  let chunks = 0;
  let sink = 0;
  while (performance.now() - t0 < budgetMs) {
    const c0 = performance.now();
    sink ^= workHiLo(n + (chunks & 7), scale)[1];
    const dt = performance.now() - c0;
    chunks++;
    if (dt < best * 0.8) {
      best = dt;
      steady = 0;
    } else if (++steady >= 20 && chunks >= 40) break;
  }
  if (sink === 0.5) console.log(""); // keep the result alive for the optimizer
  return { ms: Math.round(performance.now() - t0), chunks };
}

/** The readiness line the image's /init and the tests look for on stdout / the serial console. */
export function readyLine(s: GuestServer): string {
  return `virtscale-serve: ready udp/${s.address.port} ${s.function === "virtscale" ? `scale=${s.scale}` : `function=${s.function}`}`;
}

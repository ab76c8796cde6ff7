// How much CPU one request costs a server VM here: the demo sizes its low and
// high load from it, so that "high" really drives one VM above the scale-out
// threshold and "low" really lets two fall below the scale-in threshold,
// whatever this machine's TCG speed is. Measured as the VM's own cpu.time
// (libvirt) over a burst of sequential requests, not as round-trip time: on a
// busy host the round trip is mostly waiting for a core, not work.
import { createSocket } from "node:dgram";
import { decodeReply, encodeRequest, expectedReply } from "../../protocol.ts";

/** Send `count` sequential requests for n (answers checked); resolves with their round-trip times in ms. */
export async function sendSequential(target: { host: string; port: number }, n: number, scale: number, count = 5, timeoutMs = 10_000): Promise<number[]> {
  const sock = createSocket("udp4");
  await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
  const want = expectedReply(n, scale);
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const answer = await new Promise<bigint>((resolve, reject) => {
        const timer = setTimeout(() => {
          sock.off("message", onMsg);
          reject(new Error(`no answer from ${target.host}:${target.port} within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMsg = (msg: Uint8Array) => {
          const v = decodeReply(msg);
          if (v === null) return;
          clearTimeout(timer);
          sock.off("message", onMsg);
          resolve(v);
        };
        sock.on("message", onMsg);
        sock.send(encodeRequest(n), target.port, target.host);
      });
      if (answer !== want) throw new Error(`calibration: wrong answer for n=${n}: ${answer} != ${want}`);
      times.push(performance.now() - t0);
    }
  } finally {
    sock.close();
  }
  return times;
}

/** CPU milliseconds one request for n costs the VM whose cumulative CPU time `cpuTimeNs` reads. */
export async function measureRequestCpuMs(
  target: { host: string; port: number },
  n: number,
  scale: number,
  cpuTimeNs: () => bigint,
  count = 10,
): Promise<number> {
  await sendSequential(target, n, scale, 1); // warm the path (JIT in the guest, ARP, sessions)
  const before = cpuTimeNs();
  await sendSequential(target, n, scale, count);
  const after = cpuTimeNs();
  return Number(after - before) / 1e6 / count;
}

/** Request rates for a target utilisation of one VM: perVm = 1.0 keeps one VM exactly busy. */
export function ratesFor(requestMs: number, opts: { high: number; low: number }): { high: number; low: number } {
  const perSecondOneVm = 1000 / requestMs;
  const round = (x: number) => Math.max(0.2, Math.round(x * 10) / 10);
  return { high: round(perSecondOneVm * opts.high), low: round(perSecondOneVm * opts.low) };
}

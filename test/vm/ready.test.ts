// Readiness by the service check, against real UDP servers on loopback: the
// guest server answering virtscale's work function or the assignment's
// 2**n mod 1021 (startServer's function), and a server of one's own whose
// answers virtscale cannot check (service.check any).
import { afterEach, describe, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { startServer } from "../../src/guest/serve.ts";
import { serviceCheck } from "../../src/protocol/service.ts";
import { NotServingError, waitServing } from "../../src/vm/ready.ts";

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function server(fn: "virtscale" | "pow2mod1021", scale = 2) {
  const s = await startServer({ port: 0, host: "127.0.0.1", scale, function: fn });
  cleanup.push(() => s.close());
  return s.address;
}

/** A server of one's own: answers every 4-byte request with 8 bytes of its own (here n + 1). */
async function ownServer(): Promise<{ host: string; port: number }> {
  const s = createSocket("udp4");
  s.on("message", (msg, r) => {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(new DataView(msg.buffer, msg.byteOffset, 4).getUint32(0) + 1));
    s.send(out, r.port, r.address);
  });
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
  cleanup.push(() => new Promise<void>((r) => s.close(() => r())));
  return { host: "127.0.0.1", port: s.address().port };
}

describe("waitServing by service check", () => {
  test("virtscale (the default at `scale`): the guest server is serving; a server answering 2**n mod 1021 is not", async () => {
    const guest = await server("virtscale", 2);
    expect(await waitServing(guest, { scale: 2, timeoutMs: 3000 })).toBeLessThan(3000);
    const pow = await server("pow2mod1021");
    const err = await waitServing(pow, { scale: 2, timeoutMs: 500, intervalMs: 50 }).catch((e) => e);
    expect(err).toBeInstanceOf(NotServingError);
    expect(String(err.message)).toMatch(/no correct answer \(virtscale's work function at scale 2\) from 127\.0\.0\.1:\d+ within 1 s \(\d+ probes, [1-9]\d* wrong or malformed replies\)/);
  });

  test("pow2mod1021: the assignment's server is serving; virtscale's guest is not", async () => {
    const check = serviceCheck("pow2mod1021", 2);
    const pow = await server("pow2mod1021");
    expect(await waitServing(pow, { scale: 2, check, timeoutMs: 3000 })).toBeLessThan(3000);
    const guest = await server("virtscale", 2);
    const err = await waitServing(guest, { scale: 2, check, timeoutMs: 400, intervalMs: 50 }).catch((e) => e);
    expect(err).toBeInstanceOf(NotServingError);
    expect(String(err.message)).toMatch(/2\*\*n mod 1021/);
  });

  test("any: a server of one's own is serving at its first 8-byte answer; silence is still not serving", async () => {
    const check = serviceCheck("any", 2);
    expect(await waitServing(await ownServer(), { scale: 2, check, timeoutMs: 3000 })).toBeLessThan(3000);
    expect(await waitServing(await server("pow2mod1021"), { scale: 2, check, timeoutMs: 3000 })).toBeLessThan(3000);
    // Nothing listens on a port just freed: no answer at all is never "serving".
    const gone = await ownServer();
    await cleanup.pop()!();
    const err = await waitServing(gone, { scale: 2, check, timeoutMs: 400, intervalMs: 50 }).catch((e) => e);
    expect(err).toBeInstanceOf(NotServingError);
  });
});

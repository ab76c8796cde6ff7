// The batch UDP engine (src/net/batch-udp.ts) on its own: real sockets on
// loopback, peers on node:dgram so that what goes over the wire is checked by
// another implementation.
import { afterEach, describe, expect, test } from "bun:test";
import dgram from "node:dgram";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { batchAvailable, batchLoop, SEND_BYTES } from "../../src/net/batch-udp.ts";
import { v6Name } from "../../src/net/sockaddr.ts";
import { SysError } from "../../src/net/libc.ts";
import type { Udp } from "../../src/net/udp.ts";

const ROOT = join(import.meta.dir, "../..");
const cleanup: (() => void)[] = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});

async function peer(host = "127.0.0.1"): Promise<{ sock: dgram.Socket; port: number; got: { data: Buffer; port: number; address: string }[] }> {
  const sock = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
  const got: { data: Buffer; port: number; address: string }[] = [];
  sock.on("message", (data, r) => got.push({ data, port: r.port, address: r.address }));
  await new Promise<void>((r) => sock.bind(0, host, () => r()));
  cleanup.push(() => sock.close());
  return { sock, port: sock.address().port, got };
}

function bind(host = "127.0.0.1", onMessage: (d: Uint8Array, port: number, host: string) => void = () => {}, bufferBytes?: number): Udp {
  const s = batchLoop().bind({ host, port: 0, onMessage, bufferBytes });
  cleanup.push(() => s.close());
  return s;
}

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.skipIf(!batchAvailable())("batch UDP engine", () => {
  test("datagrams of every size arrive with their real length and sender; a truncated one is reported at its full length", async () => {
    const got: { data: Uint8Array; port: number; host: string }[] = [];
    const s = bind("127.0.0.1", (d, port, host) => got.push({ data: d.slice(), port, host }));
    const p = await peer();
    const sizes = [0, 1, 4, 8, 72, 73, 1000];
    for (const n of sizes) p.sock.send(Buffer.alloc(n, n & 255), s.port, "127.0.0.1");
    await until(() => got.length === sizes.length);
    expect(got.map((g) => g.data.byteLength)).toEqual(sizes);
    for (const g of got) expect(g).toMatchObject({ port: p.port, host: "127.0.0.1" });
    // Content is kept up to 72 bytes; longer datagrams are only counted by size (the balancer drops them as oversized).
    expect([...got[3]!.data]).toEqual(new Array(8).fill(8));
    expect([...got[4]!.data]).toEqual(new Array(72).fill(72));
  });

  test("sends queued in one job go out, each to its own address, with their own bytes", async () => {
    const s = bind();
    const a = await peer();
    const b = await peer();
    for (let i = 0; i < 300; i++) {
      const d = new Uint8Array(4);
      new DataView(d.buffer).setUint32(0, i);
      expect(s.send(d, i % 2 ? b.port : a.port, "127.0.0.1")).toBe(true);
    }
    await until(() => a.got.length + b.got.length === 300);
    expect(a.got.map((g) => g.data.readUInt32BE(0))).toEqual([...Array(150).keys()].map((i) => 2 * i));
    expect(b.got.map((g) => g.data.readUInt32BE(0))).toEqual([...Array(150).keys()].map((i) => 2 * i + 1));
    expect(a.got[0]!.port).toBe(s.port);
  });

  test("a burst is read many datagrams per system call", async () => {
    let n = 0;
    // 4 MiB (as the balancer's front): the kernel's default buffer holds a few hundred datagrams.
    const s = bind("127.0.0.1", () => n++, 4 << 20);
    const p = await peer();
    const loop = batchLoop();
    const before = { ...loop.counters };
    const burst = 2000;
    for (let i = 0; i < burst; i++) p.sock.send(Buffer.alloc(4), s.port, "127.0.0.1");
    await until(() => n === burst);
    const calls = loop.counters.recvCalls - before.recvCalls;
    expect(loop.counters.received - before.received).toBe(burst);
    // node:dgram sends one syscall each; the loop reads them in batches (the exact batches depend on timing).
    expect(calls).toBeLessThan(burst / 2);
  });

  test("IPv6: binds ::1, reports the sender as ::1 and sends to it", async () => {
    const echo: Udp = bind("::1", (d, port, host) => echo.send(d, port, host));
    const p = await peer("::1");
    p.sock.send(Buffer.from([1, 2, 3, 4]), echo.port, "::1");
    await until(() => p.got.length === 1);
    expect(p.got[0]).toMatchObject({ address: "::1", port: echo.port });
    expect([...p.got[0]!.data]).toEqual([1, 2, 3, 4]);
  });

  test("IPv6 text is RFC 5952 (what node:dgram reports)", () => {
    const b = (...w: number[]) => {
      const u = new Uint8Array(16);
      w.forEach((x, i) => ((u[2 * i] = x >> 8), (u[2 * i + 1] = x & 255)));
      return u;
    };
    expect(v6Name(b(0, 0, 0, 0, 0, 0, 0, 1), 0)).toBe("::1");
    expect(v6Name(b(0, 0, 0, 0, 0, 0, 0, 0), 0)).toBe("::");
    expect(v6Name(b(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1), 0)).toBe("2001:db8::1:0:0:1");
    expect(v6Name(b(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1), 0)).toBe("2001:db8:0:1:1:1:1:1");
    expect(v6Name(b(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1), 0)).toBe("::ffff:127.0.0.1");
  });

  test("errors name the call, the address and errno; bad sends are refused, not thrown", async () => {
    const s = bind();
    let err: unknown;
    try {
      batchLoop().bind({ host: "127.0.0.1", port: s.port, onMessage: () => {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SysError);
    expect(String((err as Error).message)).toMatch(new RegExp(`^bind 127\\.0\\.0\\.1:${s.port}: .*\\(EADDRINUSE\\)$`));
    expect((err as SysError).code).toBe("EADDRINUSE");
    expect(() => batchLoop().bind({ host: "localhost", port: 0, onMessage: () => {} })).toThrow(/not an IP address: 'localhost'/);
    expect(s.send(new Uint8Array(SEND_BYTES + 1), 9, "127.0.0.1")).toBe(false);
    expect(s.send(new Uint8Array(4), 9, "no.such.host")).toBe(false);
    s.close();
    expect(s.send(new Uint8Array(4), 9, "127.0.0.1")).toBe(false);
  });

  test("an idle loop is woken by its waker thread, and a process whose sockets closed exits on its own", async () => {
    let n = 0;
    const s = bind("127.0.0.1", () => n++);
    const p = await peer();
    const loop = batchLoop();
    await new Promise((r) => setTimeout(r, 50)); // idle: the waker watches
    const wakeups = loop.counters.wakeups;
    p.sock.send(Buffer.alloc(4), s.port, "127.0.0.1");
    await until(() => n === 1);
    expect(loop.counters.wakeups).toBeGreaterThan(wakeups);

    const script = `
      import { batchLoop } from ${JSON.stringify(join(ROOT, "src/net/batch-udp.ts"))};
      const s = batchLoop().bind({ host: "127.0.0.1", port: 0, onMessage: () => {} });
      setTimeout(() => { s.close(); console.log("closed"); }, 200);`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(-1);
      }, 10000);
      child.on("exit", (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(out.trim()).toBe("closed");
    expect(code).toBe(0);
  });

  test("a callback that throws is reported as uncaught and the loop keeps serving", async () => {
    const script = `
      import dgram from "node:dgram";
      import { batchLoop } from ${JSON.stringify(join(ROOT, "src/net/batch-udp.ts"))};
      let uncaught = 0, got = 0;
      process.on("uncaughtException", () => uncaught++);
      const s = batchLoop().bind({ host: "127.0.0.1", port: 0, onMessage: (d) => { got++; if (d[0] === 1) throw new Error("boom"); } });
      const c = dgram.createSocket("udp4");
      c.bind(0, "127.0.0.1", () => {
        c.send(Buffer.from([1, 0, 0, 0]), s.port, "127.0.0.1");
        setTimeout(() => c.send(Buffer.from([2, 0, 0, 0]), s.port, "127.0.0.1"), 100);
        setTimeout(() => { console.log(JSON.stringify({ uncaught, got })); s.close(); c.close(); }, 400);
      });`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    await new Promise((r) => child.on("exit", r));
    expect(JSON.parse(out.trim())).toEqual({ uncaught: 1, got: 2 });
  });
});

// The guest server on loopback: real UDP, correct answers, malformed datagrams
// dropped and counted, answers in arrival order, survives garbage.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket, type Socket } from "node:dgram";
import { startServer, readyLine, warmUp, type GuestServer } from "../../src/guest/serve.ts";
import { decodeReply, encodeRequest, expectedReply } from "../../src/protocol.ts";
import { pow2mod1021 } from "../../src/protocol/service.ts";

const SCALE = 3;
let server: GuestServer;
let client: Socket;
const inbox: Buffer[] = [];
let waiters: (() => void)[] = [];

beforeAll(async () => {
  server = await startServer({ port: 0, host: "127.0.0.1", scale: SCALE });
  client = createSocket("udp4");
  client.on("message", (m) => {
    inbox.push(m);
    const w = waiters;
    waiters = [];
    w.forEach((f) => f());
  });
  await new Promise<void>((r) => client.bind(0, "127.0.0.1", () => r()));
});
afterAll(async () => {
  client?.close();
  await server?.close();
});

function send(buf: Uint8Array): void {
  client.send(buf, server.address.port, "127.0.0.1");
}
async function replies(count: number, timeoutMs = 5000): Promise<Buffer[]> {
  const deadline = Date.now() + timeoutMs;
  while (inbox.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${inbox.length}/${count} replies`);
    await new Promise<void>((r) => {
      waiters.push(r);
      setTimeout(r, 50);
    });
  }
  return inbox.splice(0, count);
}

describe("serve", () => {
  test("ready line names port and scale", () => {
    expect(readyLine(server)).toBe(`virtscale-serve: ready udp/${server.address.port} scale=${SCALE}`);
  });

  test("answers correctly, 8 bytes, in order", async () => {
    const ns = [0, 1, 7, 1000, 54321, 0xffff];
    for (const n of ns) send(encodeRequest(n));
    const got = await replies(ns.length);
    expect(got.map((b) => b.byteLength)).toEqual(ns.map(() => 8));
    expect(got.map((b) => decodeReply(b))).toEqual(ns.map((n) => expectedReply(n, SCALE)));
  });

  test("malformed datagrams are dropped and counted, the server keeps answering", async () => {
    const before = server.counters();
    for (const bad of [new Uint8Array(0), new Uint8Array(3), new Uint8Array(5), new Uint8Array(8), new Uint8Array(1500)]) send(bad);
    send(encodeRequest(42));
    const [r] = await replies(1);
    expect(decodeReply(r!)).toBe(expectedReply(42, SCALE));
    const after = server.counters();
    expect(after.malformed - before.malformed).toBe(5);
    expect(after.received - before.received).toBe(6);
    expect(after.answered - before.answered).toBe(1);
    expect(server.report()).toContain("malformed=");
  });

  test("a burst queues and is answered completely", async () => {
    const ns = Array.from({ length: 50 }, (_, i) => 100 + i);
    for (const n of ns) send(encodeRequest(n));
    const got = await replies(ns.length, 10000);
    expect(got.map((b) => decodeReply(b))).toEqual(ns.map((n) => expectedReply(n, SCALE)));
  });

  test("warm-up runs the work function in chunks until steady (or not at all with budget 0)", () => {
    expect(warmUp(SCALE, 0)).toEqual({ ms: 0, chunks: 0 });
    const w = warmUp(SCALE, 5000);
    expect(w.chunks).toBeGreaterThanOrEqual(40);
  });

  test("a port in use is a clear error", async () => {
    await expect(startServer({ port: server.address.port, host: "127.0.0.1", scale: 1 })).rejects.toThrow(/cannot bind udp 127\.0\.0\.1:\d+/);
  });

  test("the CLI prints the ready line and counters on SIGUSR1", async () => {
    const proc = Bun.spawn([process.execPath, "src/main.ts", "serve", "--port", "0", "--host", "127.0.0.1", "--scale", "2", "--report", "0"], {
      cwd: `${import.meta.dir}/../..`,
      stdout: "pipe",
      stderr: "pipe",
    });
    try {
      const reader = proc.stdout.getReader();
      let text = "";
      const readUntil = async (re: RegExp) => {
        const deadline = Date.now() + 10000;
        while (!re.test(text)) {
          if (Date.now() > deadline) throw new Error(`no ${re} in: ${text}`);
          const { value, done } = await reader.read();
          if (done) throw new Error(`exited; output: ${text}`);
          text += new TextDecoder().decode(value);
        }
      };
      await readUntil(/ready udp\/\d+ scale=2\n/);
      proc.kill("SIGUSR1");
      await readUntil(/received=0 answered=0 malformed=0/);
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  });

  test("the CLI's --function pow2mod1021 answers 2**n mod 1021 (what the guest's /init passes from virtscale.function=); a wrong name is a usage error", async () => {
    const root = `${import.meta.dir}/../..`;
    const proc = Bun.spawn([process.execPath, "src/main.ts", "serve", "--port", "0", "--host", "127.0.0.1", "--function", "pow2mod1021", "--report", "0"], { cwd: root, stdout: "pipe", stderr: "pipe" });
    try {
      const reader = proc.stdout.getReader();
      let text = "";
      const deadline = Date.now() + 10000;
      while (!/ready udp\/(\d+) function=pow2mod1021\n/.test(text)) {
        if (Date.now() > deadline) throw new Error(`no ready line in: ${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`exited; output: ${text}`);
        text += new TextDecoder().decode(value);
      }
      const port = Number(/ready udp\/(\d+)/.exec(text)![1]);
      client.send(encodeRequest(1000), port, "127.0.0.1");
      const [r] = await replies(1);
      expect(decodeReply(r!)).toBe(BigInt(pow2mod1021(1000)));
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
    const bad = Bun.spawnSync([process.execPath, "src/main.ts", "serve", "--function", "nope"], { cwd: root });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.toString()).toContain("--function must be one of virtscale, pow2mod1021, got 'nope'");
  });
});

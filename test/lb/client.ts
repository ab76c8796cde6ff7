// A test client: one UDP socket that sends requests and collects answers.
import dgram from "node:dgram";
import { decodeReply, encodeRequest } from "../../src/protocol.ts";

export interface TestClient {
  port: number;
  answers: bigint[];
  raw: Uint8Array[];
  send(n: number, port: number): void;
  sendRaw(buf: Uint8Array, port: number): void;
  /** Resolves when `count` datagrams arrived, or after `ms` (never rejects). */
  waitFor(count: number, ms?: number): Promise<number>;
  close(): Promise<void>;
}

export async function testClient(): Promise<TestClient> {
  const s = dgram.createSocket("udp4");
  const c: TestClient = {
    port: 0,
    answers: [],
    raw: [],
    send(n, port) {
      s.send(encodeRequest(n), port, "127.0.0.1");
    },
    sendRaw(buf, port) {
      s.send(buf, port, "127.0.0.1");
    },
    async waitFor(count, ms = 3000) {
      const end = Date.now() + ms;
      while (c.raw.length < count && Date.now() < end) await sleep(10);
      return c.raw.length;
    },
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
  s.on("message", (buf) => {
    c.raw.push(new Uint8Array(buf));
    const v = decodeReply(buf);
    if (v !== null) c.answers.push(v);
  });
  await new Promise<void>((r) => s.bind(0, "127.0.0.1", () => r()));
  c.port = s.address().port;
  // The test process also runs the balancer and backends: give answer bursts room.
  s.setRecvBufferSize(4 << 20);
  return c;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until fn() is true or ms passed; returns the last fn() value. */
export async function until(fn: () => boolean, ms = 3000, step = 20): Promise<boolean> {
  const end = Date.now() + ms;
  while (!fn() && Date.now() < end) await sleep(step);
  return fn();
}

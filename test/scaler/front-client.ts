// One UDP client socket towards the balancer's front, for the pool tier test
// and bench: send requests, time each answer, check it (expectedReply); and
// askFront, one request on a socket of its own.
import { createSocket, type Socket } from "node:dgram";
import { decodeReply, encodeRequest, expectedReply } from "../../src/protocol.ts";

export interface Asked {
  n: number;
  sentAt: number;
  /** ms from send to the correct answer; null while none (or a wrong one: counted in `wrong`). */
  ms: number | null;
}

export class FrontClient {
  private readonly sock: Socket;
  readonly asked: Asked[] = [];
  wrong = 0;
  private nextN = 100;

  private constructor(
    private readonly front: { host: string; port: number },
    private readonly scale: number,
  ) {
    this.sock = createSocket("udp4");
    this.sock.on("message", (m) => this.onAnswer(m));
  }

  static async open(front: { host: string; port: number }, scale: number): Promise<FrontClient> {
    const c = new FrontClient(front, scale);
    await new Promise<void>((r) => c.sock.bind(0, "127.0.0.1", () => r()));
    return c;
  }

  /** Send one request (a fresh n: answers are matched by value). */
  send(): Asked {
    const a: Asked = { n: this.nextN++, sentAt: performance.now(), ms: null };
    this.asked.push(a);
    this.sock.send(encodeRequest(a.n), this.front.port, this.front.host);
    return a;
  }

  /** Resolves with the answer's ms, or null after timeoutMs. */
  async answer(a: Asked, timeoutMs: number): Promise<number | null> {
    const end = performance.now() + timeoutMs;
    while (a.ms === null && performance.now() < end) await new Promise((r) => setTimeout(r, 2));
    return a.ms;
  }

  get answered(): number {
    return this.asked.filter((a) => a.ms !== null).length;
  }

  close(): void {
    this.sock.close();
  }

  private onAnswer(m: Uint8Array): void {
    const v = decodeReply(m);
    const a = v === null ? undefined : this.asked.find((x) => x.ms === null && expectedReply(x.n, this.scale) === v);
    if (!a) {
      this.wrong++;
      return;
    }
    a.ms = performance.now() - a.sentAt;
  }
}

/** One request through the front on a socket of its own: the answer's value (decodeReply), or null after `ms`. */
export async function askFront(front: { host: string; port: number }, n: number, ms: number): Promise<bigint | null> {
  const sock = createSocket("udp4");
  try {
    return await new Promise<bigint | null>((resolve) => {
      const t = setTimeout(() => resolve(null), ms);
      sock.on("message", (m) => {
        clearTimeout(t);
        resolve(decodeReply(m));
      });
      sock.send(encodeRequest(n), front.port, front.host);
    });
  } finally {
    sock.close();
  }
}

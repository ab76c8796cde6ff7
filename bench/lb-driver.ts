// The two child roles of bench/lb.ts, each in its own process so the proxy
// under test never shares a thread with them: two fast backends (the
// responder) and the saturating closed-loop client (the driver).
//
//   bun bench/lb-driver.ts responder                               two backends, prints {"ports":[..]}
//   bun bench/lb-driver.ts driver PORT SECONDS SOCKETS WINDOW      prints a JSON DriverResult
import { LogHistogram } from "../src/net/histogram.ts";

interface BunSock {
  port: number;
  send(d: Uint8Array, port: number, host: string): boolean;
  sendMany(a: unknown[]): number;
  close(): void;
}
const BunApi = (globalThis as unknown as { Bun: { udpSocket(o: unknown): Promise<BunSock> } }).Bun;

// ---------------- responder ----------------
export async function responder(): Promise<void> {
  const ports: number[] = [];
  for (let i = 0; i < 2; i++) {
    const out = new Uint8Array(8);
    const dv = new DataView(out.buffer);
    const s = await BunApi.udpSocket({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(sock: BunSock, buf: Uint8Array, port: number, addr: string) {
          if (buf.byteLength !== 4) return;
          // Work at scale 0: x_0 = n, the answer is n as a u64.
          dv.setUint32(0, 0);
          dv.setUint32(4, (buf[0]! << 24) | (buf[1]! << 16) | (buf[2]! << 8) | buf[3]!);
          sock.send(out, port, addr);
        },
      },
    });
    ports.push(s.port);
  }
  process.stdout.write(JSON.stringify({ ports }) + "\n");
}

// ---------------- driver ----------------
export interface DriverResult {
  seconds: number;
  sent: number;
  answered: number;
  lost: number;
  wrong: number;
  perSecond: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Of `lost`: datagrams the kernel dropped at the two backends' receive buffers during the run (/proc/net/udp). */
  lostAtBackends?: number;
  /** The proxy's CPU per answer during the run (its process and children: user, system), microseconds. */
  cpuUsPerAnswer?: { user: number; sys: number };
}

export async function driver(port: number, seconds: number, nSockets: number, window: number): Promise<void> {
  const RING = 1 << 20;
  const MASK = RING - 1;
  const sentAt = new Float64Array(RING);
  const sockOf = new Uint16Array(RING);
  const state = new Uint8Array(RING); // 0 free, 1 pending, 2 answered, 3 lost
  const outstanding = new Int32Array(nSockets);
  const hist = new LogHistogram();
  let seq = 0;
  let oldest = 0;
  let sent = 0,
    answered = 0,
    lost = 0,
    wrong = 0;
  let sending = true;
  const LOSS_MS = 1000;
  const socks: BunSock[] = [];
  const req = new Uint8Array(4);
  const rdv = new DataView(req.buffer);
  const sendOne = (i: number) => {
    if (seq - oldest >= RING) return; // ring full: never reuse a slot still pending
    const id = seq++ >>> 0;
    const slot = id & MASK;
    sentAt[slot] = performance.now();
    sockOf[slot] = i;
    state[slot] = 1;
    outstanding[i]!++;
    sent++;
    rdv.setUint32(0, id);
    socks[i]!.send(req, port, "127.0.0.1");
  };
  for (let i = 0; i < nSockets; i++) {
    const idx = i;
    socks.push(
      await BunApi.udpSocket({
        hostname: "127.0.0.1",
        port: 0,
        socket: {
          data(_s: BunSock, buf: Uint8Array) {
            if (buf.byteLength !== 8) return void wrong++;
            const id = ((buf[4]! << 24) | (buf[5]! << 16) | (buf[6]! << 8) | buf[7]!) >>> 0;
            const slot = id & MASK;
            if (state[slot] !== 1 || id >= seq || id < oldest) return void wrong++;
            state[slot] = 2;
            answered++;
            outstanding[sockOf[slot]!]!--;
            hist.record((performance.now() - sentAt[slot]!) * 1000);
            if (sending) sendOne(idx);
          },
        },
      }),
    );
  }
  const t0 = performance.now();
  // Start with one request per socket; the sweep tops the window up (a burst of S*W at once overflows receive buffers).
  for (let i = 0; i < nSockets; i++) sendOne(i);
  // Requests unanswered after LOSS_MS are lost; top the window up so the load stays saturating.
  const sweep = setInterval(() => {
    const now = performance.now();
    while (oldest < seq) {
      const slot = oldest & MASK;
      if (state[slot] === 1) {
        if (now - sentAt[slot]! < LOSS_MS) break;
        state[slot] = 3;
        lost++;
        outstanding[sockOf[slot]!]!--;
      }
      oldest++;
    }
    if (sending) for (let i = 0; i < nSockets; i++) while (outstanding[i]! < window) sendOne(i);
  }, 50);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  sending = false;
  const elapsed = (performance.now() - t0) / 1000;
  const answeredInRun = answered;
  await new Promise((r) => setTimeout(r, LOSS_MS + 200));
  clearInterval(sweep);
  for (let i = oldest; i < seq; i++) if (state[i & MASK] === 1) lost++;
  for (const s of socks) s.close();
  const res: DriverResult = {
    seconds: elapsed,
    sent,
    answered,
    lost,
    wrong,
    perSecond: Math.round(answeredInRun / elapsed),
    p50Ms: ms(hist.quantile(0.5)),
    p99Ms: ms(hist.quantile(0.99)),
  };
  process.stdout.write(JSON.stringify(res) + "\n");
}
const ms = (us: number | null) => (us === null ? null : Math.round(us) / 1000);

if (import.meta.main) {
  const role = process.argv[2];
  if (role === "responder") await responder();
  else if (role === "driver") await driver(Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
  else {
    console.error("usage: bun bench/lb-driver.ts responder | driver PORT SECONDS SOCKETS WINDOW (bench/lb.ts runs them)");
    process.exit(2);
  }
}

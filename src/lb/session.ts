// One upstream session: the balancer's socket towards one backend on behalf
// of one client (Envoy's UDP proxy keeps the same shape). Answers arriving on
// it belong to that client, whatever order the backend answers in, so an
// answer can never reach the wrong client. The FIFOs of send times serve
// latency, timeouts and the per-backend cap: the guest server answers in order
// (FIFO), so the oldest request still owed (timed out, then pending) is the one
// an answer belongs to. The session binds its own socket, and tells when it
// has been idle long enough to close.
import { bindUdp, sourceAddressFor, type Udp, type UdpEngine } from "../net/udp.ts";

export class SendTimes {
  private buf = new Float64Array(8);
  private head = 0;
  length = 0;

  push(t: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[(this.head + this.length) & (this.buf.length - 1)] = t;
    this.length++;
  }
  /** Oldest send time (caller checks length first). */
  peek(): number {
    return this.buf[this.head]!;
  }
  shift(): number {
    const t = this.buf[this.head]!;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.length--;
    return t;
  }
  /** Undo the newest push (its send failed). */
  pop(): void {
    if (this.length > 0) this.length--;
  }
  private grow(): void {
    const next = new Float64Array(this.buf.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.buf[(this.head + i) & (this.buf.length - 1)]!;
    this.buf = next;
    this.head = 0;
  }
}

export interface ClientAddr {
  host: string;
  port: number;
  key: string;
}

export class Session {
  /** null while the socket is being bound. */
  sock: Udp | null = null;
  /** Requests that arrived while binding (copies). */
  waiting: Uint8Array[] | null = [];
  /** Send times of requests in flight (not yet timed out), oldest first. */
  readonly pending = new SendTimes();
  /** Send times of requests that timed out and whose answer may still come (relayed as late), oldest first. They are older than every pending one, so a FIFO backend answers them first. */
  readonly owed = new SendTimes();
  lastUsed: number;
  closed = false;

  constructor(
    readonly client: ClientAddr,
    readonly backendId: string,
    now: number,
  ) {
    this.lastUsed = now;
  }

  /** Nothing pending and unused for `idleMs`: the client went away (lb.idle_evict_s). */
  idle(now: number, idleMs: number): boolean {
    return this.pending.length === 0 && now - this.lastUsed >= idleMs;
  }

  /**
   * Bind the session's socket towards `backendHost` (binding is asynchronous:
   * requests sent meanwhile wait in `waiting`). `ready` gets them once bound;
   * `failed` gets their number when no socket could be had (fd limit, say).
   */
  open(
    engine: UdpEngine,
    backendHost: string,
    h: {
      onMessage: (data: Uint8Array, port: number, host: string) => void;
      onSendFailed: () => void;
      ready: (waiting: Uint8Array[]) => void;
      failed: (waiting: number) => void;
    },
  ): void {
    bindUdp({ host: sourceAddressFor([backendHost]), port: 0, engine, bufferBytes: 1 << 20, onMessage: h.onMessage, onSendFailed: h.onSendFailed }).then(
      (sock) => {
        if (this.closed) {
          sock.close();
          return;
        }
        this.sock = sock;
        const waiting = this.waiting ?? [];
        this.waiting = null;
        h.ready(waiting);
      },
      () => h.failed(this.waiting?.length ?? 0),
    );
  }

  close(): void {
    this.closed = true;
    this.waiting = null;
    this.sock?.close();
    this.sock = null;
  }
}

// One socket of the batch engine (the `Udp` the balancer and the load
// generator hold): send() writes the datagram and its address straight into
// the socket's send arena, and the loop (batch-udp.ts) hands the arena to
// sendmmsg at the end of the turn. Apart from the loop so that the loop's
// file holds the loop; the loop is reached through `SocketOwner`, which it
// implements, so neither file imports the other's class.
import { MMSGHDR, MSG_NAMELEN, IOVEC, MsgArena } from "./batch-arena.ts";
import type { OnDatagram, Udp } from "./socket.ts";
import { NAME, addrLen, hostAddr } from "./sockaddr.ts";

/** Largest datagram send() takes (requests are 4 bytes, answers 8). */
export const SEND_BYTES = 64;

/** What a socket needs of its loop. */
export interface SocketOwner {
  /** Hand everything queued on `s` to the kernel now (its arena is full, or it closes). */
  flush(s: BatchSocket): void;
  /** `s` has queued datagrams: send them at the end of this turn (or job). */
  markDirty(s: BatchSocket): void;
  /** Stop watching `s` and close its descriptor. */
  remove(s: BatchSocket): void;
}

export class BatchSocket implements Udp {
  readonly engine = "batch" as const;
  closed = false;
  out: MsgArena | null = null;
  dirty = false;

  constructor(
    private readonly loop: SocketOwner,
    readonly fd: number,
    readonly host: string,
    readonly port: number,
    readonly onMessage: OnDatagram,
    private readonly sendBatch: number,
    readonly onSendFailed?: () => void,
  ) {}

  send(data: Uint8Array, port: number, host: string): boolean {
    if (this.closed || data.byteLength > SEND_BYTES) return false;
    let q = this.out;
    if (!q) q = this.out = new MsgArena(this.sendBatch, SEND_BYTES);
    else if (q.count === q.slots) this.loop.flush(this);
    const i = q.count;
    let a: Uint8Array;
    try {
      a = hostAddr(host);
    } catch {
      return false;
    }
    const no = q.nameOff + i * NAME;
    q.u8.set(a, no);
    q.u8[no + 2] = port >>> 8; // sin_port / sin6_port, network order
    q.u8[no + 3] = port & 255;
    q.dv.setUint32(i * MMSGHDR + MSG_NAMELEN, addrLen(a), true);
    q.u8.set(data, q.dataOff + i * SEND_BYTES);
    q.dv.setUint32(q.slots * MMSGHDR + i * IOVEC + 8, data.byteLength, true); // iov_len (low half; the high half stays 0)
    q.count = i + 1;
    this.loop.markDirty(this);
    return true;
  }

  close(): void {
    if (this.closed) return;
    // What is queued goes out first (an answer relayed just before close).
    if (this.out && this.out.count > 0) this.loop.flush(this);
    this.closed = true;
    this.loop.remove(this);
  }
}

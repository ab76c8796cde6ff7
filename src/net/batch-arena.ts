// The memory the batch engine hands to recvmmsg/sendmmsg: Linux's struct
// layouts (mmsghdr, iovec, epoll_event) and an arena of mmsghdr slots whose
// pointers are written once, apart from the loop (batch-udp.ts) so that the
// loop reads as a loop and the byte offsets live in one place.
import { runtime } from "../../ffi/runtime/index.ts";
import { NAME } from "./sockaddr.ts";

// struct layouts, Linux LP64 (x86_64, aarch64)
export const MMSGHDR = 64; // struct msghdr (56) + unsigned msg_len + padding
export const MSG_LEN = 56;
export const MSG_NAMELEN = 8;
export const IOVEC = 16;
export const EPOLL_EVENT = process.arch === "x64" ? 12 : 16; // packed on x86_64 only
export const EPOLL_DATA = process.arch === "x64" ? 4 : 8;

/**
 * `count` mmsghdr slots, each with one iovec, a name and `dataBytes` of data,
 * in one buffer whose pointers are written once.
 */
export class MsgArena {
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly pinned: unknown;
  readonly nameOff: number;
  readonly dataOff: number;
  count = 0;

  constructor(
    readonly slots: number,
    readonly dataBytes: number,
  ) {
    const iovOff = slots * MMSGHDR;
    this.nameOff = iovOff + slots * IOVEC;
    this.dataOff = this.nameOff + slots * NAME;
    this.u8 = new Uint8Array(this.dataOff + slots * dataBytes);
    this.dv = new DataView(this.u8.buffer);
    this.pinned = runtime.pinned(this.u8);
    const base = runtime.bufferAddress(this.u8);
    for (let i = 0; i < slots; i++) {
      const h = i * MMSGHDR;
      this.dv.setBigUint64(h, base + BigInt(this.nameOff + i * NAME), true); // msg_name
      this.dv.setUint32(h + MSG_NAMELEN, NAME, true); // msg_namelen
      this.dv.setBigUint64(h + 16, base + BigInt(iovOff + i * IOVEC), true); // msg_iov
      this.dv.setBigUint64(h + 24, 1n, true); // msg_iovlen
      this.dv.setBigUint64(iovOff + i * IOVEC, base + BigInt(this.dataOff + i * dataBytes), true); // iov_base
      this.dv.setBigUint64(iovOff + i * IOVEC + 8, BigInt(dataBytes), true); // iov_len
    }
  }

  /** The arena from slot `first` on, as a pointer argument. */
  from(first: number): unknown {
    if (first === 0) return this.pinned;
    return runtime.name === "bun" ? (this.pinned as number) + first * MMSGHDR : this.u8.subarray(first * MMSGHDR);
  }
}

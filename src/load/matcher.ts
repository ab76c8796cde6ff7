// Order-free answer checking. The balancer spreads one socket's requests over
// several backends, so answers come back in any order; each answer is matched
// to an outstanding request whose expected value it equals (the value is
// keyed by its low 32 bits, then the high half is compared). An answer that
// matches no outstanding request is wrong; one that matches a request that
// already timed out is late.
import { expectedReply } from "../protocol.ts";

export interface Pending {
  hi: number;
  lo: number;
  sentAt: number;
  /** 0 pending, 1 answered, 2 timed out (kept a while to recognise late answers). */
  state: 0 | 1 | 2;
}

/** Expected answers per n, computed once (O(log N) each) and cached. */
export class ExpectedCache {
  private hi?: Uint32Array;
  private lo?: Uint32Array;
  private have?: Uint8Array;
  private map = new Map<number, [number, number]>();

  constructor(
    readonly scale: number,
    private readonly low: number,
    high: number,
  ) {
    const span = high - low + 1;
    // Dense arrays for the usual ranges (default 180001 values = 1.6 MB); a map beyond.
    if (span <= 1 << 22) {
      this.hi = new Uint32Array(span);
      this.lo = new Uint32Array(span);
      this.have = new Uint8Array(span);
    }
  }

  get(n: number, out: { hi: number; lo: number }): void {
    if (this.have) {
      const i = n - this.low;
      if (i >= 0 && i < this.have.length) {
        if (!this.have[i]) {
          const v = expectedReply(n, this.scale);
          this.hi![i] = Number(v >> 32n);
          this.lo![i] = Number(v & 0xffffffffn);
          this.have[i] = 1;
        }
        out.hi = this.hi![i]!;
        out.lo = this.lo![i]!;
        return;
      }
    }
    let e = this.map.get(n);
    if (!e) {
      const v = expectedReply(n, this.scale);
      e = [Number(v >> 32n), Number(v & 0xffffffffn)];
      if (this.map.size > 1 << 20) this.map.clear();
      this.map.set(n, e);
    }
    out.hi = e[0];
    out.lo = e[1];
  }
}

export type MatchResult = "answered" | "late" | "wrong";

export class AnswerMatcher {
  private byLo = new Map<number, Pending | Pending[]>();
  /** Every request in send order (send times only grow), for the timeout sweep. */
  private order: Pending[] = [];
  private timeoutHead = 0;
  private purgeHead = 0;
  outstanding = 0;

  add(p: Pending): void {
    const prev = this.byLo.get(p.lo);
    if (prev === undefined) this.byLo.set(p.lo, p);
    else if (Array.isArray(prev)) prev.push(p);
    else this.byLo.set(p.lo, [prev, p]);
    this.order.push(p);
    this.outstanding++;
  }

  /** Match an answer; on "answered" `latencyOut.ms` holds its latency. */
  match(hi: number, lo: number, now: number, latencyOut: { ms: number }): MatchResult {
    const slot = this.byLo.get(lo);
    if (slot === undefined) return "wrong";
    let late: Pending | undefined;
    let hit: Pending | undefined;
    if (Array.isArray(slot)) {
      for (const p of slot) {
        if (p.hi !== hi || p.state === 1) continue;
        if (p.state === 0) {
          hit = p;
          break;
        }
        late ??= p;
      }
    } else if (slot.hi === hi && slot.state !== 1) {
      if (slot.state === 0) hit = slot;
      else late = slot;
    }
    const found = hit ?? late;
    if (!found) return "wrong";
    this.remove(found);
    if (hit) {
      hit.state = 1;
      this.outstanding--;
      latencyOut.ms = now - hit.sentAt;
      return "answered";
    }
    found.state = 1;
    return "late";
  }

  /** Mark requests older than timeoutMs as timed out; forget them after lateMs. Returns how many timed out. */
  sweep(now: number, timeoutMs: number, lateMs: number): number {
    let expired = 0;
    const o = this.order;
    while (this.timeoutHead < o.length && now - o[this.timeoutHead]!.sentAt >= timeoutMs) {
      const p = o[this.timeoutHead++]!;
      if (p.state === 0) {
        p.state = 2;
        this.outstanding--;
        expired++;
      }
    }
    while (this.purgeHead < this.timeoutHead && now - o[this.purgeHead]!.sentAt >= lateMs) {
      const p = o[this.purgeHead++]!;
      if (p.state === 2) this.remove(p);
    }
    if (this.purgeHead > 4096 && this.purgeHead * 2 > o.length) {
      this.order = o.slice(this.purgeHead);
      this.timeoutHead -= this.purgeHead;
      this.purgeHead = 0;
    }
    return expired;
  }

  private remove(p: Pending): void {
    const slot = this.byLo.get(p.lo);
    if (slot === p) this.byLo.delete(p.lo);
    else if (Array.isArray(slot)) {
      const i = slot.indexOf(p);
      if (i >= 0) slot.splice(i, 1);
      if (slot.length === 1) this.byLo.set(p.lo, slot[0]!);
      else if (slot.length === 0) this.byLo.delete(p.lo);
    }
  }
}

// Order-free answer checking. The balancer spreads one socket's requests over
// several backends, so answers come back in any order; each answer is matched
// to an outstanding request whose expected value it equals (the value is
// keyed by its low 32 bits, then the high half is compared). An answer that
// matches a request that already timed out is late: an overloaded guest serves
// its FIFO queue seconds late, and those answers are right, so timed-out
// requests are remembered for a long window (the caller's lateMs, and at most
// `maxRemembered` of them: the oldest are forgotten and counted). Only an
// answer that matches no outstanding or remembered request is wrong.
//
// Remembering more cannot make a wrong answer look right: matching is by the
// full 64-bit value, and for scale >= 1 the values are LCG outputs spread over
// 2^64, so the chance that an incorrect value equals one of ~100k remembered
// ones is ~100k / 2^64 (negligible). (At scale 0 the answer is n itself: a
// backend answering another requested n would match; scale 0 checks little.
// The same holds for service.check pow2mod1021, whose answers take only 1021
// values.) With service.check any nothing can be matched by value:
// UnverifiedMatcher takes answers in send order instead.
import { expectedReply } from "../protocol.ts";

export interface Pending {
  hi: number;
  lo: number;
  sentAt: number;
  /** 0 pending, 1 answered, 2 timed out (kept a while to recognise late answers). */
  state: 0 | 1 | 2;
  /** The caller's tag for the request (the load generator's phase), handed back on match and timeout. */
  phase?: number;
}

/** Expected answers per n, computed once (O(log N) each for virtscale's work function) and cached. */
export class ExpectedCache {
  private hi?: Uint32Array;
  private lo?: Uint32Array;
  private have?: Uint8Array;
  private map = new Map<number, [number, number]>();
  private readonly expectedReply: (n: number) => bigint;

  /** `answer`: virtscale's work scale, or the service check's answer for n (src/protocol/service.ts). */
  constructor(
    answer: number | ((n: number) => bigint),
    private readonly low: number,
    high: number,
  ) {
    this.expectedReply = typeof answer === "number" ? (n) => expectedReply(n, answer) : answer;
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
          const v = this.expectedReply(n);
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
      const v = this.expectedReply(n);
      e = [Number(v >> 32n), Number(v & 0xffffffffn)];
      if (this.map.size > 1 << 20) this.map.clear();
      this.map.set(n, e);
    }
    out.hi = e[0];
    out.lo = e[1];
  }
}

export type MatchResult = "answered" | "late" | "wrong";

/** Timed-out requests remembered for late answers, at most (about 100 bytes each). */
export const MAX_REMEMBERED = 100_000;

/** A FIFO of requests without per-item shifting cost (head index, compacted now and then). */
class Queue {
  items: Pending[] = [];
  head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(p: Pending): void {
    this.items.push(p);
  }
  peek(): Pending {
    return this.items[this.head]!;
  }
  /** Remove `p` when it is the newest item (a request taken back right after it was added). */
  dropLast(p: Pending): boolean {
    if (this.length === 0 || this.items[this.items.length - 1] !== p) return false;
    this.items.pop();
    return true;
  }
  shift(): Pending {
    const p = this.items[this.head++]!;
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return p;
  }
}

/** What the load generator asks of a matcher (AnswerMatcher by value, UnverifiedMatcher by order). */
export interface Matcher {
  readonly outstanding: number;
  readonly remembered: number;
  readonly forgotten: number;
  readonly retained: number;
  add(p: Pending): void;
  /** Take back the request just added (it never left: the socket refused it). */
  cancel(p: Pending): void;
  match(hi: number, lo: number, now: number, latencyOut: { ms: number; phase?: number }): MatchResult;
  sweep(now: number, timeoutMs: number, lateMs: number, onTimeout?: (p: Pending) => void): number;
}

/**
 * What both matchers keep of timed-out requests: each is remembered, in
 * timeout order, for the late window (lateMs), and forgotten after it or
 * beyond maxRemembered (then counted: an answer for it counts as wrong).
 */
abstract class LateWindow {
  /** Timed-out requests in timeout order, kept for the late window. */
  protected late = new Queue();
  outstanding = 0;
  /** Timed-out requests still remembered (not answered late, not forgotten). */
  remembered = 0;
  /** Timed-out requests forgotten because more than maxRemembered were remembered (an answer for one then counts as wrong). */
  forgotten = 0;

  constructor(protected readonly maxRemembered = MAX_REMEMBERED) {}

  /** An outstanding request's timeout passed: remember it for late answers, and tell onTimeout. */
  protected expire(p: Pending, onTimeout?: (p: Pending) => void): void {
    p.state = 2;
    this.outstanding--;
    this.remembered++;
    this.late.push(p);
    onTimeout?.(p);
  }

  /** Forget what is past the late window or beyond maxRemembered. */
  protected forgetLate(now: number, lateMs: number): void {
    const l = this.late;
    // The queue also holds entries already answered late; it is bounded too.
    while (l.length > 0 && (now - l.peek().sentAt >= lateMs || this.remembered > this.maxRemembered || l.length > 2 * this.maxRemembered)) {
      const p = l.shift();
      if (p.state !== 2) continue; // answered late already
      this.forget(p);
      p.state = 1;
      this.remembered--;
      if (now - p.sentAt < lateMs) this.forgotten++;
    }
  }

  /** A remembered request is forgotten: drop it from the matcher's own index, if it keeps one. */
  protected forget(_p: Pending): void {}
}

export class AnswerMatcher extends LateWindow implements Matcher {
  private byLo = new Map<number, Pending | Pending[]>();
  /** Requests in send order (send times only grow) until their timeout passes: answered ones are dropped then. */
  private order = new Queue();

  /** Requests held in memory (outstanding, answered within the timeout window, remembered). */
  get retained(): number {
    return this.order.length + this.late.length;
  }

  add(p: Pending): void {
    const prev = this.byLo.get(p.lo);
    if (prev === undefined) this.byLo.set(p.lo, p);
    else if (Array.isArray(prev)) prev.push(p);
    else this.byLo.set(p.lo, [prev, p]);
    this.order.push(p);
    this.outstanding++;
  }

  cancel(p: Pending): void {
    if (p.state !== 0) return;
    this.remove(p);
    // It stays in `order` until its timeout passes; answered state keeps the sweep from counting it.
    p.state = 1;
    this.outstanding--;
  }

  /** Match an answer; on "answered" `latencyOut.ms` holds its latency; on "answered" and "late" `latencyOut.phase` the request's tag. */
  match(hi: number, lo: number, now: number, latencyOut: { ms: number; phase?: number }): MatchResult {
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
    latencyOut.phase = found.phase;
    if (hit) {
      hit.state = 1;
      this.outstanding--;
      latencyOut.ms = now - hit.sentAt;
      return "answered";
    }
    found.state = 1;
    this.remembered--;
    return "late";
  }

  /** Mark requests older than timeoutMs as timed out (each handed to onTimeout); forget them after lateMs (or beyond maxRemembered). Returns how many timed out. */
  sweep(now: number, timeoutMs: number, lateMs: number, onTimeout?: (p: Pending) => void): number {
    let expired = 0;
    const o = this.order;
    while (o.length > 0 && now - o.peek().sentAt >= timeoutMs) {
      const p = o.shift();
      if (p.state === 0) {
        this.expire(p, onTimeout);
        expired++;
      }
    }
    this.forgetLate(now, lateMs);
    return expired;
  }

  protected override forget(p: Pending): void {
    this.remove(p);
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

/**
 * service.check any: an answer cannot be told apart from another, so each
 * one answers the oldest request still outstanding (or, with none, the
 * oldest timed-out one still remembered: late). A server that answers in
 * order gets exact latencies; one that reorders or drops gets each answer
 * counted for some request all the same. So the counts hold (one answer, one
 * request) while in-time and latency figures are approximate. "wrong" is an
 * answer for which no request is outstanding or remembered (more answers
 * than requests).
 */
export class UnverifiedMatcher extends LateWindow implements Matcher {
  /** Outstanding requests in send order: answers and timeouts both take the oldest, so it holds only state 0. */
  private pending = new Queue();

  get retained(): number {
    return this.pending.length + this.late.length;
  }

  add(p: Pending): void {
    this.pending.push(p);
    this.outstanding++;
  }

  cancel(p: Pending): void {
    if (p.state !== 0 || !this.pending.dropLast(p)) return;
    p.state = 1;
    this.outstanding--;
  }

  match(_hi: number, _lo: number, now: number, latencyOut: { ms: number; phase?: number }): MatchResult {
    if (this.pending.length > 0) {
      const p = this.pending.shift();
      p.state = 1;
      this.outstanding--;
      latencyOut.ms = now - p.sentAt;
      latencyOut.phase = p.phase;
      return "answered";
    }
    while (this.late.length > 0) {
      const p = this.late.shift();
      if (p.state !== 2) continue;
      p.state = 1;
      this.remembered--;
      latencyOut.phase = p.phase;
      return "late";
    }
    return "wrong";
  }

  sweep(now: number, timeoutMs: number, lateMs: number, onTimeout?: (p: Pending) => void): number {
    let expired = 0;
    const q = this.pending;
    while (q.length > 0 && now - q.peek().sentAt >= timeoutMs) {
      this.expire(q.shift(), onTimeout);
      expired++;
    }
    this.forgetLate(now, lateMs);
    return expired;
  }
}

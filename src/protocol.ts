// The wire protocol (contract, from the original assignment) and the guest
// server's work function.
//
// Request: exactly 4 bytes, big-endian unsigned 32-bit integer n.
// Reply:   exactly 8 bytes, big-endian unsigned 64-bit integer.
//
// The work for n: N = n * scale steps of the 64-bit linear congruential
// generator x <- (A*x + C) mod 2^64 (Knuth's MMIX constants), starting at
// x0 = n. The reply is x_N. Cost is exactly proportional to N, so the request
// rate drives the server's CPU; the client verifies an answer in O(log N) with
// the LCG jump-ahead formula (lcgJump), so checking answers costs the load
// generator almost nothing.

/**
 * Work-function iterations per unit of n. What a step costs depends on the
 * host and the accelerator (TCG runs the JIT-compiled loop at close to native
 * speed once warm; the first requests run ~20x slower), so nothing assumes a
 * cost: it is measured once per image and host (src/load/cost.ts). At 200,
 * the mean request of the default range (n ~ 11000, 2.2 M steps) cost ~20 ms
 * of guest CPU under TCG on the project's machines.
 */
export const DEFAULT_WORK_SCALE = 200;

/** The guest server's service port (the assignment's server_port). */
export const GUEST_PORT = 21001;

/**
 * How long a request that timed out (after the service's timeout, lb.timeout_ms
 * or the load generator's) is remembered for its late answer: a FIFO guest over
 * capacity answers seconds late. The balancer (owed requests, probes) and the
 * load generator (its matcher) keep the same window.
 */
export const lateWindowMs = (timeoutMs: number): number => Math.max(60_000, 20 * timeoutMs);

export const REQUEST_BYTES = 4;
export const REPLY_BYTES = 8;

export const LCG_A = 6364136223846793005n;
export const LCG_C = 1442695040888963407n;
const MASK64 = (1n << 64n) - 1n;

// The constants split into 32-bit halves and 16-bit quarters for the hot loop.
const AH = Number(LCG_A >> 32n) >>> 0;
const AL = Number(LCG_A & 0xffffffffn) >>> 0;
const CH = Number(LCG_C >> 32n) >>> 0;
const CL = Number(LCG_C & 0xffffffffn) >>> 0;
const AL0 = AL & 0xffff;
const AL1 = AL >>> 16;
const TWO32 = 4294967296;

/** Reply value for n after n*scale LCG steps, as [hi, lo] u32 halves. */
export function workHiLo(n: number, scale: number): [number, number] {
  let xh = 0;
  let xl = n >>> 0;
  const steps = n * scale;
  for (let k = 0; k < steps; k++) {
    // Full 64-bit product of xl*AL from 16-bit limbs (each partial < 2^32, exact in doubles).
    const a0 = xl & 0xffff;
    const a1 = xl >>> 16;
    const p00 = a0 * AL0;
    const p01 = a0 * AL1;
    const p10 = a1 * AL0;
    const p11 = a1 * AL1;
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    const lo = (((mid & 0xffff) << 16) | (p00 & 0xffff)) >>> 0;
    let hi = p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
    // Cross terms only reach the upper word (mod 2^64).
    hi = hi + Math.imul(xh, AL) + Math.imul(xl, AH);
    const lc = lo + CL;
    xl = lc >>> 0;
    xh = (hi + CH + (lc >= TWO32 ? 1 : 0)) >>> 0;
  }
  return [xh, xl];
}

/** The reply value as a bigint (slow path, for tests and tools). */
export function work(n: number, scale: number): bigint {
  const [h, l] = workHiLo(n, scale);
  return (BigInt(h) << 32n) | BigInt(l);
}

/** x_N from x_0 in O(log N) (Brown's LCG jump-ahead): the load generator's check. */
export function lcgJump(x0: bigint, steps: bigint): bigint {
  let accMul = 1n;
  let accAdd = 0n;
  let curMul = LCG_A;
  let curAdd = LCG_C;
  let k = steps;
  while (k > 0n) {
    if (k & 1n) {
      accMul = (accMul * curMul) & MASK64;
      accAdd = (accAdd * curMul + curAdd) & MASK64;
    }
    curAdd = ((curMul + 1n) * curAdd) & MASK64;
    curMul = (curMul * curMul) & MASK64;
    k >>= 1n;
  }
  return (accMul * x0 + accAdd) & MASK64;
}

/** The answer a correct server gives for n at this scale. */
export function expectedReply(n: number, scale: number): bigint {
  return lcgJump(BigInt(n >>> 0), BigInt(n >>> 0) * BigInt(scale));
}

export function encodeRequest(n: number, out: Uint8Array = new Uint8Array(REQUEST_BYTES)): Uint8Array {
  new DataView(out.buffer, out.byteOffset, REQUEST_BYTES).setUint32(0, n >>> 0, false);
  return out;
}

/** n from a datagram, or -1 when it is not exactly 4 bytes (not a request). */
export function decodeRequest(buf: Uint8Array): number {
  if (buf.byteLength !== REQUEST_BYTES) return -1;
  return ((buf[0]! << 24) | (buf[1]! << 16) | (buf[2]! << 8) | buf[3]!) >>> 0;
}

export function encodeReplyHiLo(hi: number, lo: number, out: Uint8Array = new Uint8Array(REPLY_BYTES)): Uint8Array {
  const dv = new DataView(out.buffer, out.byteOffset, REPLY_BYTES);
  dv.setUint32(0, hi >>> 0, false);
  dv.setUint32(4, lo >>> 0, false);
  return out;
}

export function encodeReply(value: bigint, out?: Uint8Array): Uint8Array {
  return encodeReplyHiLo(Number((value >> 32n) & 0xffffffffn), Number(value & 0xffffffffn), out);
}

/** The reply value, or null when the datagram is not exactly 8 bytes. */
export function decodeReply(buf: Uint8Array): bigint | null {
  if (buf.byteLength !== REPLY_BYTES) return null;
  return new DataView(buf.buffer, buf.byteOffset, REPLY_BYTES).getBigUint64(0, false);
}

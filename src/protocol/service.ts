// The service check: what counts as a correct answer to request n. The wire
// format is the assignment's whatever the server (4-byte BE u32 request,
// 8-byte BE u64 answer); what the answer must be depends on the server:
//   virtscale    virtscale's own guest: n * vm.work_scale LCG steps (protocol.ts),
//                checked exactly (expectedReply).
//   pow2mod1021  the assignment's server.py: 2**n mod 1021, packed as '>Q'.
//                Only 1021 values exist, so a wrong answer that happens to
//                equal another request's value passes; it checks far less.
//   any          a server of your own whose function virtscale does not know:
//                any 8-byte answer is a correct one. Nothing is verified; the
//                load generator counts such answers as unverified.
// Readiness (vm/ready.ts), the balancer's health probes (lb/health.ts), the
// load generator (load/matcher.ts) and calibration all ask this one check.
import { expectedReply, workHiLo } from "../protocol.ts";

export const SERVICE_CHECKS = ["virtscale", "any", "pow2mod1021"] as const;
export type ServiceCheckName = (typeof SERVICE_CHECKS)[number];

export interface ServiceCheck {
  readonly name: ServiceCheckName;
  /** Whether an answer is compared with a value (false for "any"). */
  readonly verifies: boolean;
  /** The one correct answer for n, or null when any 8-byte answer is taken. */
  expected(n: number): bigint | null;
  /** In words, for logs and errors. */
  readonly description: string;
}

/** 2**n mod 1021 by square-and-multiply (every product < 1021^2, exact in doubles). */
export function pow2mod1021(n: number): number {
  let result = 1;
  let base = 2;
  let e = n >>> 0;
  while (e > 0) {
    if (e & 1) result = (result * base) % 1021;
    base = (base * base) % 1021;
    e = Math.floor(e / 2);
  }
  return result;
}

/** The check a config names; `scale` is the virtscale work scale (ignored by the other checks). */
export function serviceCheck(name: ServiceCheckName, scale: number): ServiceCheck {
  switch (name) {
    case "virtscale":
      return { name, verifies: true, expected: (n) => expectedReply(n, scale), description: `virtscale's work function at scale ${scale}` };
    case "pow2mod1021":
      return { name, verifies: true, expected: (n) => BigInt(pow2mod1021(n)), description: "2**n mod 1021 (the assignment's server.py)" };
    case "any":
      return { name, verifies: false, expected: () => null, description: "any 8-byte answer (not verified)" };
  }
}

/** The check of a config: `service.check`, at `vm.work_scale` unless `scale` is given (the load generator's --scale). */
export function serviceCheckOf(config: { service: { check: ServiceCheckName }; vm: { work_scale: number } }, scale = config.vm.work_scale): ServiceCheck {
  return serviceCheck(config.service.check, scale);
}

/** A server's answer function, as [hi, lo] u32 halves of the 8-byte reply (guest/serve.ts). */
export type AnswerFunction = (n: number) => [number, number];

/** The server side of a check: what `virtscale serve --function` computes ("any" has no function of its own). */
export function answerFunction(name: Exclude<ServiceCheckName, "any">, scale: number): AnswerFunction {
  if (name === "pow2mod1021") return (n) => [0, pow2mod1021(n)];
  return (n) => workHiLo(n, scale);
}

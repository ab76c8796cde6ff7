// service.check: virtscale's answers, the assignment's pow2mod1021 and `any`,
// with real UDP servers on loopback: the guest server answering 2**n mod 1021
// (startServer function "pow2mod1021"), checked by the load generator.
import { afterEach, describe, expect, test } from "bun:test";
import { parseConfig } from "../../src/config.ts";
import { startServer, type GuestServer } from "../../src/guest/serve.ts";
import { LoadGenerator } from "../../src/load/generator.ts";
import { UnverifiedMatcher, type Pending } from "../../src/load/matcher.ts";
import { answerFunction, pow2mod1021, serviceCheck, serviceCheckOf } from "../../src/protocol/service.ts";
import { expectedReply } from "../../src/protocol.ts";
import { sleep } from "../lb/client.ts";

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function server(fn: "virtscale" | "pow2mod1021", scale = 1): Promise<GuestServer> {
  const s = await startServer({ port: 0, host: "127.0.0.1", scale, function: fn });
  cleanup.push(() => s.close());
  return s;
}

async function run(check: string, s: GuestServer, rate = "200/s", ms = 600) {
  const config = parseConfig({ req_num_low: 1, req_num_high: 5000, vm: { work_scale: 1 }, lb: { timeout_ms: 500 }, service: { check } });
  const g = new LoadGenerator({ target: s.address, config, rate });
  cleanup.push(() => g.stop());
  await g.start();
  await sleep(ms);
  return g.stop();
}

describe("service checks", () => {
  test("pow2mod1021 is 2**n mod 1021 (as a bigint power), packed as the 8-byte answer's value", () => {
    for (const n of [0, 1, 2, 9, 10, 11, 1019, 1020, 1021, 4095, 65537])
      expect(BigInt(pow2mod1021(n))).toBe(2n ** BigInt(n) % 1021n);
    // Big n (the assignment's client.conf sends 50000000..70000000): Fermat, 2**1020 = 1 mod 1021 (1021 is prime).
    expect(pow2mod1021(1020 * 70_000)).toBe(1);
    expect(pow2mod1021(0xffffffff)).toBe(Number(2n ** BigInt(0xffffffff % 1020) % 1021n));
    expect(answerFunction("pow2mod1021", 200)(10)).toEqual([0, 3]);
    expect(serviceCheck("pow2mod1021", 200).expected(10)).toBe(3n);
  });

  test("the config names the check; virtscale's is the default, at vm.work_scale", () => {
    expect(serviceCheckOf(parseConfig({})).name).toBe("virtscale");
    const v = serviceCheckOf(parseConfig({ vm: { work_scale: 7 } }));
    expect(v.expected(123)).toBe(expectedReply(123, 7));
    expect(serviceCheckOf(parseConfig({ service: { check: "any" } })).expected(5)).toBeNull();
    expect(() => parseConfig({ service: { check: "pow2" } })).toThrow(/service\.check: .*virtscale.*any.*pow2mod1021/);
  });

  test("load generator, check pow2mod1021 against a server answering 2**n mod 1021: every answer correct", async () => {
    const s = await server("pow2mod1021");
    const v = await run("pow2mod1021", s);
    expect(v.check).toBe("pow2mod1021");
    expect(v.sent).toBeGreaterThan(50);
    expect(v.answered).toBe(v.sent);
    expect(v.wrong).toBe(0);
    expect(v.unverified).toBe(0);
    expect(s.counters().answered).toBe(v.sent);
  });

  test("load generator, check virtscale against that server: its answers are wrong", async () => {
    const s = await server("pow2mod1021");
    const v = await run("virtscale", s, "100/s", 400);
    expect(v.sent).toBeGreaterThan(20);
    expect(v.wrong).toBe(v.sent);
    expect(v.answered).toBe(0);
  });

  test("load generator, check pow2mod1021 against virtscale's guest: wrong", async () => {
    const s = await server("virtscale", 3);
    const v = await run("pow2mod1021", s, "100/s", 400);
    expect(v.sent).toBeGreaterThan(20);
    // An LCG answer is below 1021 with odds ~1021 / 2^64: never here.
    expect(v.wrong).toBe(v.sent);
  });

  test("load generator, check any: every 8-byte answer is taken, counted unverified, none wrong", async () => {
    for (const fn of ["pow2mod1021", "virtscale"] as const) {
      const s = await server(fn);
      const v = await run("any", s);
      expect(v.check).toBe("any");
      expect(v.sent).toBeGreaterThan(50);
      expect(v.answered).toBe(v.sent);
      expect(v.unverified).toBe(v.sent);
      expect(v.wrong).toBe(0);
      expect(v.p50Ms).not.toBeNull();
    }
  });

  test("check any: answers are taken in send order; a late one takes a timed-out request; an answer too many is wrong", () => {
    const m = new UnverifiedMatcher(2);
    const lat = { ms: 0, phase: undefined as number | undefined };
    const p = (sentAt: number, phase: number): Pending => ({ hi: 0, lo: 0, sentAt, state: 0, phase });
    const a = p(0, 1);
    const b = p(10, 2);
    const c = p(20, 3);
    m.add(a);
    m.add(b);
    m.add(c);
    expect(m.match(1, 2, 15, lat)).toBe("answered");
    expect([lat.ms, lat.phase]).toEqual([15, 1]);
    // b and c time out at 100 ms; the next answer is late for b, then c, then there is nothing left.
    expect(m.sweep(130, 100, 10_000)).toBe(2);
    expect(m.outstanding).toBe(0);
    expect(m.match(0, 0, 140, lat)).toBe("late");
    expect(lat.phase).toBe(2);
    expect(m.match(0, 0, 150, lat)).toBe("late");
    expect(m.match(0, 0, 160, lat)).toBe("wrong");
    // A request the socket refused is taken back, not answered.
    const d = p(200, 4);
    m.add(d);
    m.cancel(d);
    expect(m.outstanding).toBe(0);
    expect(m.match(0, 0, 210, lat)).toBe("wrong");
    // At most maxRemembered timed-out requests are kept; the oldest are forgotten and counted.
    for (let i = 0; i < 4; i++) m.add(p(300 + i, 5));
    m.sweep(1000, 100, 10_000);
    expect(m.remembered).toBe(2);
    expect(m.forgotten).toBe(2);
  });
});

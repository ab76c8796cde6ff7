// The load generator against real UDP fake backends (and through the balancer).
import { afterEach, describe, expect, test } from "bun:test";
import { LbSchema, parseConfig } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { LoadGenerator } from "../../src/load/generator.ts";
import { registerLoadCommands } from "../../src/load/commands.ts";
import { Store } from "../../src/store.ts";
import { DEFAULT_WORK_SCALE } from "../../src/protocol.ts";
import { startFakeBackend } from "../lb/backends.ts";
import { sleep, until } from "../lb/client.ts";

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

const config = parseConfig({ req_num_low: 1, req_num_high: 3000, vm: { work_scale: 1 }, lb: { timeout_ms: 400 } });

async function backend(o: Parameters<typeof startFakeBackend>[0]) {
  const b = await startFakeBackend(o);
  cleanup.push(() => b.close());
  return b;
}
function gen(port: number, rate: string, extra: Partial<ConstructorParameters<typeof LoadGenerator>[0]> = {}) {
  const g = new LoadGenerator({ target: { host: "127.0.0.1", port }, config, rate, ...extra });
  cleanup.push(() => g.stop());
  return g;
}

describe("load generator", () => {
  test("correct answers are counted at the configured scale", async () => {
    const b = await backend({ scale: 1 });
    const g = gen(b.port, "200/s");
    await g.start();
    await sleep(1000);
    const v = await g.stop();
    expect(v.sent).toBeGreaterThan(100);
    expect(v.answered).toBe(v.sent);
    expect(v.wrong).toBe(0);
    expect(v.timedOut).toBe(0);
    expect(v.scale).toBe(1);
    expect(v.p50Ms).not.toBeNull();
    expect(b.received).toBe(v.sent);
  });

  test("a backend that answers wrong values is detected", async () => {
    const b = await backend({ scale: 1, mode: "wrong_value" });
    const g = gen(b.port, "100/s");
    await g.start();
    await sleep(500);
    const v = await g.stop();
    expect(v.sent).toBeGreaterThan(20);
    expect(v.wrong).toBe(v.sent);
    expect(v.answered).toBe(0);
    expect(v.timedOut).toBe(v.sent); // none of its requests got a right answer
  });

  test("answers at another scale are wrong (scale is checked)", async () => {
    const b = await backend({ scale: 2 });
    const g = gen(b.port, "50/s");
    await g.start();
    await sleep(300);
    const v = await g.stop();
    expect(v.sent).toBeGreaterThan(5);
    expect(v.wrong).toBe(v.sent);
  });

  test("wrong-size answers are wrong; silence is timed out", async () => {
    const ws = await backend({ mode: "wrong_size" });
    const g1 = gen(ws.port, "50/s");
    await g1.start();
    await sleep(300);
    const v1 = await g1.stop();
    expect(v1.badSize).toBe(v1.sent);
    expect(v1.wrong).toBe(v1.sent);
    const silent = await backend({ mode: "silent" });
    const g2 = gen(silent.port, "50/s");
    await g2.start();
    await sleep(300);
    const v2 = await g2.stop();
    expect(v2.sent).toBeGreaterThan(5);
    expect(v2.timedOut).toBe(v2.sent);
    expect(v2.answered).toBe(0);
  });

  test("answers after the timeout are counted late, not wrong", async () => {
    const b = await backend({ scale: 1, mode: "slow", delayMs: 150 });
    const g = gen(b.port, "40/s", { timeoutMs: 50 });
    await g.start();
    await sleep(400);
    const v = await g.stop();
    expect(v.sent).toBeGreaterThan(5);
    expect(v.wrong).toBe(0);
    expect(v.timedOut).toBe(v.sent);
    expect(v.late).toBeGreaterThan(0);
  });

  test("a late answer is never wrong, however late (FIFO backend over capacity, answers seconds late)", async () => {
    // Serves 25/s, offered 50/s for 2.5 s: the last answers come ~2.5 s after their request,
    // past the old late window (timeout + 2 s), with a 100 ms timeout.
    const b = await backend({ scale: 1, mode: "fifo", delayMs: 40 });
    const g = gen(b.port, "50/s", { timeoutMs: 100 });
    await g.start();
    await sleep(2500);
    g.setRate("off");
    const sent = g.view().sent;
    await until(() => g.view().answered + g.view().late >= sent, 12_000, 50);
    const v = await g.stop();
    expect(v.sent).toBe(sent);
    expect(v.sent).toBeGreaterThan(60);
    expect(b.answered).toBe(v.sent);
    expect(v.wrong).toBe(0);
    expect(v.late).toBeGreaterThan(v.sent / 3);
    expect(v.answered + v.late).toBe(v.sent);
    expect(v.timedOut).toBe(v.late);
  }, 20_000);

  test("the rate changes while it runs (open loop, paced)", async () => {
    const b = await backend({ scale: 1 });
    const g = gen(b.port, "off");
    await g.start();
    await sleep(300);
    expect(g.view().sent).toBe(0);
    g.setRate("400/s");
    await sleep(500);
    const mid = g.view().sent;
    // ~200 expected; generous bounds (shared machine, no speed assertion).
    expect(mid).toBeGreaterThan(60);
    expect(mid).toBeLessThan(500);
    g.setRate("off");
    await sleep(100);
    const frozen = g.view().sent;
    await sleep(300);
    expect(g.view().sent).toBe(frozen);
    expect(() => g.setRate("warp")).toThrow(/rate: expected/);
    const v = await g.stop();
    expect(v.answered).toBe(v.sent);
  });

  test("high rates work with a 10 ms timer: due requests leave in batches", async () => {
    const b = await backend({ scale: 0 });
    const g = gen(b.port, "5000/s", { nLow: 1, nHigh: 1000, scale: 0 });
    await g.start();
    await sleep(1000);
    const v = await g.stop();
    // ~5000 expected; the scheduler catches up when its timer is late (tolerant bound, no speed claim).
    expect(v.sent).toBeGreaterThan(2500);
    expect(v.sent).toBeLessThan(6000);
    expect(v.wrong).toBe(0);
    expect(v.answered + v.timedOut).toBe(v.sent);
  });

  test("open loop: requests keep leaving when nothing answers", async () => {
    const silent = await backend({ mode: "silent" });
    const g = gen(silent.port, "200/s", { timeoutMs: 2000 });
    await g.start();
    await sleep(500);
    expect(g.view().sent).toBeGreaterThan(40);
    expect(g.view().inFlight).toBe(g.view().sent);
  });

  test("through the balancer: one generator, answers from several backends in any order, all correct", async () => {
    const bs = [await backend({ scale: 1 }), await backend({ scale: 1, mode: "slow", delayMs: 40 }), await backend({ scale: 1 })];
    const lb = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: LbSchema.parse({}) });
    const { port } = await lb.start();
    cleanup.push(() => lb.close());
    bs.forEach((b, i) => lb.addBackend(`b${i}`, b));
    const g = gen(port, "300/s", { sockets: 2 });
    await g.start();
    await sleep(800);
    const v = await g.stop();
    expect(v.sent).toBeGreaterThan(100);
    expect(v.answered).toBe(v.sent);
    expect(v.wrong).toBe(0);
    for (const b of bs) expect(b.received).toBeGreaterThan(v.sent / 5);
  });

  test("store command 'load' changes the rate; the store shows the generator", async () => {
    const b = await backend({ scale: 1 });
    const store = new Store();
    const g = gen(b.port, "off");
    registerLoadCommands(store, g);
    await g.start();
    expect(store.hasCommand("load")).toBe(true);
    await store.run("load", ["mid"]);
    // This config pins no period and no cost was measured: mid is the assignment's 0.1 s, and says so.
    expect(g.currentRate).toMatchObject({ label: "mid", perSecond: 10, basis: expect.stringMatching(/not measured/) });
    expect(store.state.load?.rate).toBe("mid");
    await expect(store.run("load", ["bogus"])).rejects.toThrow(/bogus/);
    await expect(store.run("load", [])).rejects.toThrow(/give a rate/);
    await until(() => (store.state.load?.answered ?? 0) > 0, 2000);
    expect(store.state.load!.answered).toBeGreaterThan(0);
  });

  test("phases: each rate change starts one; a request counts in the phase that sent it, timeouts and late answers included", async () => {
    const b = await backend({ scale: 1 });
    const g = gen(b.port, "off", { timeoutMs: 150 });
    await g.start();
    g.setRate("200/s", "low");
    await sleep(400);
    g.setRate("200/s", "low"); // same phase, same rate: goes on
    // The backend falls silent, then answers everything 250 ms late (after the 150 ms timeout).
    b.mode = "slow";
    b.delayMs = 250;
    g.setRate("100/s", "high");
    await sleep(400);
    g.setRate("off", "rest");
    await sleep(600);
    const v = await g.stop();
    expect(v.phases.map((p) => [p.phase, p.rate])).toEqual([["low", "200/s"], ["high", "100/s"], ["rest", "off"]]);
    const [low, high, rest] = v.phases;
    expect(low!.sent).toBeGreaterThan(30);
    expect(high!.sent).toBeGreaterThan(15);
    expect(rest!.sent).toBe(0);
    // Answers that were in flight when the rate changed still count in "low".
    expect(low!.answered + low!.timedOut).toBe(low!.sent);
    expect(low!.inTimePct).toBeGreaterThan(90);
    expect(high!.answered).toBe(0);
    expect(high!.timedOut).toBe(high!.sent);
    expect(high!.late).toBeGreaterThan(0);
    expect(high!.inTimePct).toBe(0);
    expect(high!.p50Ms).toBeNull();
    expect(low!.p99Ms).not.toBeNull();
    expect(low!.sent + high!.sent).toBe(v.sent);
    expect(low!.answered + high!.answered).toBe(v.answered);
    expect(low!.timedOut + high!.timedOut).toBe(v.timedOut);
    expect(low!.late + high!.late).toBe(v.late);
    expect(v.inTimePct).toBe(Math.round((v.answered / v.sent) * 1000) / 10);
    expect(high!.startS).toBeGreaterThanOrEqual(low!.startS + low!.durationS - 0.1);
    // Retried: an answer carries no request id, only the value for n, so the late answer of a "low" request the
    // backend received after it turned slow can match an outstanding "high" request with the same n (a chance of
    // about 1 in 150 runs with n drawn from 2000..20000), which then counts as answered in "high". Each try asserts all of the above.
  }, { retry: 2 });

  test("wrong answers count in the phase they arrive in", async () => {
    const b = await backend({ scale: 1 });
    const g = gen(b.port, "100/s");
    await g.start();
    await sleep(200);
    b.mode = "wrong_value";
    g.setRate("100/s", "bad");
    await sleep(300);
    const v = await g.stop();
    const byName = Object.fromEntries(v.phases.map((p) => [p.phase, p]));
    expect(byName["100/s"]!.wrong).toBe(0);
    expect(byName.bad!.wrong).toBeGreaterThan(5);
    expect(byName.bad!.wrong).toBe(v.wrong);
  });

  test("a named level waits for the measured cost, then runs at its share of one VM in the same phase", async () => {
    const b = await backend({ scale: 1 });
    // 1..3000 at scale 1: mean 1500.5 steps; 1 ms + 1e6 ns/step * ... -> pick a cost where one VM serves 100/s.
    const g = gen(b.port, "high", { awaitCost: true });
    await g.start();
    expect(g.currentRate).toMatchObject({ label: "high", perSecond: 0, pending: true });
    await sleep(300);
    expect(g.view().sent).toBe(0);
    const waited = g.whenCost();
    const cost = { overheadMs: 10, nsPerStep: 0, host: "tcg@test", measuredAt: new Date().toISOString(), samplesMs: [10], refSteps: 1, spread: 1 };
    g.setCost(cost);
    expect(await waited).toBe(cost);
    expect(g.currentRate).toMatchObject({ label: "high", perSecond: 120, basis: "120 % of one VM (one VM serves 100/s)" });
    expect(g.view().vmCapacityPerS).toBe(100);
    await sleep(500);
    const v = await g.stop();
    expect(v.sent).toBeGreaterThan(20);
    expect(v.phases).toHaveLength(1);
    expect(v.phases[0]).toMatchObject({ phase: "high", perSecond: 120, sent: v.sent });
    g.setRate("low");
    expect(g.currentRate.perSecond).toBe(30);
  });

  test("a cost that could not be measured: the levels fall back to the assignment's periods", async () => {
    const g = gen(9, "low", { awaitCost: true });
    g.setCost(null);
    expect(await g.whenCost()).toBeUndefined();
    expect(g.currentRate).toMatchObject({ perSecond: 1, basis: expect.stringMatching(/assignment/) });
  });

  test("without vm.work_scale the guest server's default scale is checked", () => {
    const g = new LoadGenerator({ target: { host: "127.0.0.1", port: 9 }, config: parseConfig({}), rate: "off" });
    expect(g.view().scale).toBe(DEFAULT_WORK_SCALE);
  });

  test("bad options are refused with what is wrong", () => {
    expect(() => new LoadGenerator({ target: { host: "127.0.0.1", port: 9 }, config, rate: "fast" })).toThrow(/fast/);
    expect(() => new LoadGenerator({ target: { host: "127.0.0.1", port: 9 }, config, rate: "low", nLow: 10, nHigh: 5 })).toThrow(/range/);
  });
});

// The balancer on real loopback UDP with fake backends, under the three UDP engines.
import { describe, expect, test } from "bun:test";
import { LbSchema } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { lbPrometheus } from "../../src/lb/metrics.ts";
import type { UdpEngine } from "../../src/net/udp.ts";
import { work } from "../../src/protocol.ts";
import { Store } from "../../src/store.ts";
import { balancerRig } from "./rig.ts";
import { sleep, testClient, until, type TestClient } from "./client.ts";

const engines: UdpEngine[] = ["batch", "bun", "node"];

// Bursts of hundreds at once: no per-backend cap here (test/lb/overload.test.ts covers it).
const { setup, defer } = balancerRig({ max_in_flight_per_backend: 0 });

describe.each(engines)("balancer (%s engine)", (engine) => {
  test("one client's requests are spread per request over every backend (round robin)", async () => {
    const { balancer, bes, client, port } = await setup(engine, {}, [{ scale: 1 }, { scale: 1 }, { scale: 1 }]);
    for (let i = 0; i < 300; i++) client.send(i, port);
    expect(await client.waitFor(300)).toBe(300);
    expect(bes.map((b) => b.received)).toEqual([100, 100, 100]);
    // Every answer is the right work value for a request this client sent.
    const want = new Set(Array.from({ length: 300 }, (_, i) => work(i, 1)));
    expect(client.answers.every((a) => want.has(a))).toBe(true);
    expect(new Set(client.answers).size).toBe(300);
    const t = balancer.view().total;
    expect(t).toMatchObject({ requestsIn: 300, forwarded: 300, answered: 300, timedOut: 0, inFlight: 0 });
    expect(t.p50Ms).not.toBeNull();
  });

  test("answers reach the client that asked, with many clients in flight", async () => {
    const { client: first, port } = await setup(engine, {}, [{ scale: 1 }, { scale: 1 }, { scale: 1, mode: "slow", delayMs: 30 }]);
    const clients: TestClient[] = [first];
    for (let i = 0; i < 19; i++) {
      const c = await testClient();
      defer(() => c.close());
      clients.push(c);
    }
    // Each client asks for its own disjoint values, all interleaved.
    for (let k = 0; k < 40; k++) clients.forEach((c, ci) => c.send(1000 * (ci + 1) + k, port));
    for (const [ci, c] of clients.entries()) {
      expect(await c.waitFor(40)).toBe(40);
      const mine = new Set(Array.from({ length: 40 }, (_, k) => work(1000 * (ci + 1) + k, 1)));
      expect(c.answers.filter((a) => !mine.has(a))).toEqual([]);
    }
  });

  test("least_outstanding steers away from a slow backend", async () => {
    const { bes, client, port } = await setup(engine, { policy: "least_outstanding", timeout_ms: 2000 }, [{}, { mode: "slow", delayMs: 150 }]);
    for (let i = 0; i < 200; i++) {
      client.send(i, port);
      if (i % 10 === 9) await sleep(5);
    }
    expect(await client.waitFor(200)).toBe(200);
    expect(bes[0]!.received).toBeGreaterThan(bes[1]!.received * 2);
  });

  test("p2c uses every backend and answers everything", async () => {
    const { balancer, bes, client, port } = await setup(engine, { policy: "p2c" }, [{}, {}, {}]);
    for (let i = 0; i < 300; i++) client.send(i, port);
    expect(await client.waitFor(300)).toBe(300);
    for (const b of bes) expect(b.received).toBeGreaterThan(30);
    expect(balancer.view().policy).toBe("p2c");
  });

  test("a silent backend is taken out and probed back in", async () => {
    const store = new Store();
    const { balancer, bes, client, port, silence } = await setup(engine, {}, [{ scale: 1 }, { scale: 1 }], store);
    // 2 consecutive timeouts of 300 ms: out of rotation within a second of the timeouts.
    expect(await silence(1, 10)).toBe(true);
    const before = bes[1]!.received;
    for (let i = 0; i < 20; i++) client.send(100 + i, port);
    await client.waitFor(25, 1000);
    // Nothing new reached it but probes (one per probe interval at most).
    expect(bes[1]!.received - before).toBeLessThan(10);
    expect(client.answers.length).toBe(25); // 5 earlier + 20 now from b0
    // The 5 requests to b1 left within a millisecond or so; a sweep can fall between their deadlines.
    await until(() => balancer.view().total.timedOut === 5, 1000);
    const v = balancer.view();
    expect(v.total.timedOut).toBe(5);
    expect(v.backends[1]!.timedOut).toBe(5);
    bes[1]!.mode = "work";
    expect(await until(() => balancer.backends()[1]!.state === "active", 2000)).toBe(true);
    expect(store.events().some((e) => e.type === "log" && /out of rotation/.test(e.message))).toBe(true);
    expect(store.events().some((e) => e.type === "log" && /back in rotation/.test(e.message))).toBe(true);
  });

  test("with no healthy backend left, requests are panic-routed (counted) rather than dropped", async () => {
    const { balancer, bes, client, port, silence } = await setup(engine, {}, [{ scale: 1 }]);
    expect(await silence(0, 3)).toBe(true);
    bes[0]!.mode = "slow"; // overloaded, not dead: answers, but later than probes look
    client.send(50, port);
    expect(await client.waitFor(1, 2000)).toBe(1);
    const v = balancer.view();
    expect(v.total.panic).toBeGreaterThanOrEqual(1);
    expect(v.total.dropped.no_backend ?? 0).toBe(0);
  });

  test("a probe answered with a wrong value does not bring a backend back", async () => {
    const { balancer, bes, silence } = await setup(engine, {}, [{ scale: 1 }, { scale: 1 }]);
    expect(await silence(1, 6)).toBe(true);
    bes[1]!.mode = "wrong_value";
    expect(await until(() => (balancer.backends()[1]!.dropped.probe_wrong_answer ?? 0) > 0, 2000)).toBe(true);
    expect(balancer.backends()[1]!.state).toBe("unhealthy");
  });

  test("removing a backend drains it: no new requests, every in-flight answer relayed", async () => {
    const { balancer, bes, client, port } = await setup(engine, { timeout_ms: 2000 }, [{ mode: "slow", delayMs: 300 }, {}]);
    for (let i = 0; i < 40; i++) client.send(i, port);
    await until(() => bes[0]!.received === 20, 1000);
    const t0 = Date.now();
    const drained = balancer.removeBackend("b0");
    expect(balancer.backends()[0]!.state).toBe("draining");
    for (let i = 0; i < 10; i++) client.send(100 + i, port);
    await drained;
    expect(Date.now() - t0).toBeGreaterThan(100); // it really waited for the slow answers
    expect(await client.waitFor(50)).toBe(50);
    expect(bes[0]!.received).toBe(20);
    expect(balancer.backends().map((b) => b.id)).toEqual(["b1"]);
    const t = balancer.view().total;
    expect(t).toMatchObject({ answered: 50, timedOut: 0, inFlight: 0 });
    await balancer.removeBackend("nope"); // unknown ids resolve
  });

  test("requests to a backend that vanished are counted as timed out, never silent", async () => {
    const { balancer, bes, client, port } = await setup(engine, { unhealthy_after: 100 }, [{}]);
    await bes[0]!.close();
    for (let i = 0; i < 5; i++) client.send(i, port);
    // Each one ends as a timeout, or as a send failure when the socket reports the ICMP error.
    expect(await until(() => balancer.view().total.timedOut + balancer.view().total.sendFailed === 5, 2000)).toBe(true);
    const t = balancer.view().total;
    expect(t.requestsIn).toBe(5);
    expect(t.answered).toBe(0);
    expect(t.inFlight).toBe(0);
  });

  test("malformed datagrams are dropped and counted by reason", async () => {
    const { balancer, client, port } = await setup(engine, {}, [{ mode: "wrong_size" }]);
    client.sendRaw(new Uint8Array(0), port);
    client.sendRaw(new Uint8Array(3), port);
    client.sendRaw(new Uint8Array(5), port);
    client.sendRaw(new Uint8Array(100), port);
    client.send(7, port); // forwarded; the backend answers 7 bytes
    await until(() => (balancer.view().total.dropped.backend_bad_size ?? 0) === 1, 2000);
    const t = balancer.view().total;
    expect(t.dropped).toMatchObject({ empty: 1, bad_size: 2, oversized: 1, backend_bad_size: 1 });
    expect(t.requestsIn).toBe(5);
    expect(t.forwarded).toBe(1);
    expect(client.raw.length).toBe(0);
  });

  test("answers from an address that is not the backend are dropped (foreign_source)", async () => {
    const { balancer, client, port } = await setup(engine, { timeout_ms: 2000 }, [{ mode: "other_port" }]);
    client.send(1, port);
    client.send(2, port);
    expect(await until(() => balancer.view().total.dropped.foreign_source === 2, 2000)).toBe(true);
    expect(client.raw.length).toBe(0);
    expect(balancer.view().total.inFlight).toBe(2);
  });

  test("no backend: requests dropped as no_backend", async () => {
    const { balancer, client, port } = await setup(engine, {}, []);
    client.send(1, port);
    client.send(2, port);
    expect(await until(() => balancer.view().total.dropped.no_backend === 2, 1000)).toBe(true);
  });

  test("sessions are capped by lb.max_sessions; requests beyond are counted", async () => {
    const { balancer, client, port } = await setup(engine, { max_sessions: 2 }, [{}, {}]);
    client.send(1, port);
    client.send(2, port);
    await client.waitFor(2);
    const other = await testClient();
    defer(() => other.close());
    other.send(3, port);
    expect(await until(() => balancer.view().total.dropped.session_limit === 1, 1000)).toBe(true);
    expect(balancer.view().sessions).toBe(2);
    expect(balancer.view().clients).toBe(1);
    client.send(4, port); // the client with sessions is still served
    expect(await client.waitFor(3)).toBe(3);
  });

  test("idle upstream sessions are evicted", async () => {
    const { balancer, client, port } = await setup(engine, { idle_evict_s: 0.3 }, [{}, {}]);
    client.send(1, port);
    client.send(2, port);
    await client.waitFor(2);
    expect(balancer.view().sessions).toBe(2);
    expect(await until(() => balancer.view().sessions === 0, 3000)).toBe(true);
    expect(balancer.view().clients).toBe(0);
    client.send(3, port); // a new session opens on demand
    expect(await client.waitFor(3)).toBe(3);
  });

  test("view feeds the store and Prometheus text", async () => {
    const store = new Store();
    const { balancer, client, port } = await setup(engine, {}, [{}, {}], store);
    for (let i = 0; i < 10; i++) client.send(i, port);
    await client.waitFor(10);
    const v = store.state.lb!;
    expect(v.total.answered).toBe(10);
    expect(v.backends.map((b) => b.answered)).toEqual([5, 5]);
    const text = lbPrometheus(v, balancer);
    // The group's total has no label; each backend has its own family; its address and state label only its _info.
    expect(text).toContain("\nvirtscale_lb_answered_total 10\n");
    expect(text).toContain('virtscale_lb_backend_answered_total{backend="b0"} 5');
    expect(text).toMatch(/virtscale_lb_backend_info\{backend="b0",address="127\.0\.0\.1:\d+",state="active"\} 1/);
    // Latency is a histogram of every answer since the start: +Inf bucket = _count = answers.
    expect(text).toContain("# TYPE virtscale_lb_request_duration_seconds histogram");
    expect(text).toContain('virtscale_lb_request_duration_seconds_bucket{le="+Inf"} 10');
    expect(text).toContain("virtscale_lb_request_duration_seconds_count 10");
    expect(text).toContain('virtscale_lb_backend_request_duration_seconds_count{backend="b1"} 5');
    expect(text).not.toContain('backend="_total"');
    for (const line of text.trim().split("\n"))
      expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? (-?[0-9.e+-]+|NaN))$/);
  });

  test("fuzz: thousands of random datagrams never throw or stall it", async () => {
    const { balancer, client, port } = await setup(engine, {}, [{}, { mode: "wrong_size" }, { mode: "wrong_value" }]);
    const others = await Promise.all([testClient(), testClient(), testClient()]);
    for (const o of others) defer(() => o.close());
    const all = [client, ...others];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const N = 4000;
    for (let i = 0; i < N; i++) {
      const r = rnd();
      const size = r < 0.4 ? 4 : r < 0.45 ? 0 : Math.floor(rnd() * 1400);
      const buf = new Uint8Array(size);
      for (let k = 0; k < size; k++) buf[k] = Math.floor(rnd() * 256);
      all[i % all.length]!.sendRaw(buf, port);
      if (i % 200 === 199) await sleep(2);
    }
    expect(await until(() => balancer.view().total.requestsIn >= N * 0.95, 5000)).toBe(true);
    await sleep(500);
    const t = balancer.view().total;
    const dropped = Object.entries(t.dropped).filter(([k]) => ["empty", "bad_size", "oversized", "no_backend", "overload", "session_limit"].includes(k)).reduce((a, [, n]) => a + n, 0);
    expect(t.forwarded + t.sendFailed + dropped).toBe(t.requestsIn);
    // Still serving afterwards.
    const probe = await testClient();
    defer(() => probe.close());
    probe.send(5, port);
    expect(await probe.waitFor(1)).toBe(1);
  });
});

test("addBackend refuses bad input with a clear message", async () => {
  const b = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: LbSchema.parse({}) });
  expect(() => b.addBackend("x", { host: "example.com", port: 1 })).toThrow(/IP address.*example\.com/);
  expect(() => b.addBackend("x", { host: "127.0.0.1", port: 0 })).toThrow(/bad port/);
  b.addBackend("x", { host: "localhost", port: 5 });
  expect(() => b.addBackend("x", { host: "127.0.0.1", port: 6 })).toThrow(/exists/);
  b.addBackend("x", { host: "127.0.0.1", port: 5 }); // same address: idempotent
  expect(b.backends().length).toBe(1);
});

// Overload is not failure: a FIFO backend that is busy (answers come back
// late, in order) stays in rotation; the per-backend in-flight cap bounds its
// queue; late probe answers count as liveness. Real UDP on loopback.
import { describe, expect, test } from "bun:test";
import { LbSchema } from "../../src/config.ts";
import type { UdpEngine } from "../../src/net/udp.ts";
import { work } from "../../src/protocol.ts";
import { Store } from "../../src/store.ts";
import { balancerRig } from "./rig.ts";
import { sleep, until } from "./client.ts";

const engines: UdpEngine[] = ["batch", "bun", "node"];

const { setup } = balancerRig({});

describe.each(engines)("overload (%s engine)", (engine) => {
  test("a busy FIFO backend whose answers come back late stays in rotation; late answers are relayed", async () => {
    const store = new Store();
    // b0 serves one request per 50 ms; 30 requests queue 1.5 s of work behind a 300 ms timeout.
    const { balancer, bes, client, port } = await setup(engine, { max_in_flight_per_backend: 0 }, [{ scale: 1, mode: "fifo", delayMs: 50 }, { scale: 1 }], store);
    for (let i = 0; i < 60; i++) client.send(i, port);
    let everUnhealthy = false;
    const end = Date.now() + 6000;
    while (client.raw.length < 60 && Date.now() < end) {
      if (balancer.backends()[0]!.state !== "active") everUnhealthy = true;
      await sleep(10);
    }
    const b0 = balancer.backends()[0]!;
    expect(client.raw.length).toBe(60);
    const want = new Set(Array.from({ length: 60 }, (_, i) => work(i, 1)));
    expect(client.answers.every((a) => want.has(a))).toBe(true);
    expect(b0.timedOut).toBeGreaterThan(5); // it really was late...
    expect(b0.late).toBe(b0.timedOut); // ...and every late answer came back and was relayed
    expect(everUnhealthy).toBe(false); // ...but busy is not dead
    expect(b0.state).toBe("active");
    expect(bes[0]!.received).toBe(30);
    expect(store.events().some((e) => e.type === "log" && /out of rotation/.test(e.message))).toBe(false);
  });

  test("lb.max_in_flight_per_backend: beyond the cap requests are dropped as backend_full, never queued forever", async () => {
    const { balancer, bes, client, port } = await setup(engine, { max_in_flight_per_backend: 4, timeout_ms: 2000 }, [{ scale: 1, mode: "fifo", delayMs: 40 }]);
    for (let i = 0; i < 20; i++) client.send(i, port);
    expect(await until(() => balancer.view().total.requestsIn === 20, 2000)).toBe(true);
    let t = balancer.view().total;
    expect(t.forwarded).toBe(4);
    expect(t.dropped.backend_full).toBe(16);
    expect(await client.waitFor(4, 3000)).toBe(4);
    expect(bes[0]!.received).toBe(4);
    // Room again once answered.
    expect(await until(() => balancer.view().total.inFlight === 0, 2000)).toBe(true);
    client.send(100, port);
    expect(await client.waitFor(5, 3000)).toBe(5);
    t = balancer.view().total;
    expect(t.forwarded).toBe(5);
  });

  test("the cap counts timed-out requests the backend still owes (still queued in it), not only those in flight", async () => {
    // One request per 60 ms: of 8 sent at once, the later ones time out at 200 ms but stay queued.
    const { balancer, bes, client, port } = await setup(engine, { max_in_flight_per_backend: 8, timeout_ms: 200 }, [{ scale: 1, mode: "fifo", delayMs: 60 }]);
    for (let i = 0; i < 8; i++) client.send(i, port);
    // Requests leave a few µs apart, so one sweep may expire all but the last: wait until none is in flight.
    expect(await until(() => balancer.backends()[0]!.owed >= 3 && balancer.backends()[0]!.inFlight === 0, 2000, 5)).toBe(true);
    const b = balancer.backends()[0]!;
    expect(b.inFlight).toBe(0); // none in flight (all timed out or answered)...
    for (let i = 0; i < 8; i++) client.send(10 + i, port);
    expect(await until(() => balancer.view().total.requestsIn === 16, 2000)).toBe(true);
    const dropped = balancer.view().total.dropped.backend_full ?? 0;
    expect(dropped).toBeGreaterThanOrEqual(1); // ...but it still owes them: the new ones do not all fit
    expect(bes[0]!.received + dropped).toBe(16);
    expect(await client.waitFor(16 - dropped, 5000)).toBe(16 - dropped); // every forwarded one answered (on time or late)
    expect(balancer.backends()[0]!.state).toBe("active");
  });

  test("a late probe answer (after a newer probe was sent) is liveness, not probe_wrong_answer", async () => {
    const { balancer, bes, silence } = await setup(engine, {}, [{ scale: 1 }, { scale: 1 }]);
    expect(await silence(1, 6)).toBe(true);
    // Alive but slow: each probe is answered 550 ms later, after the next probe (every 300 ms timeout) left.
    bes[1]!.mode = "fifo";
    bes[1]!.delayMs = 550;
    expect(await until(() => balancer.backends()[1]!.state === "active", 4000)).toBe(true);
    expect(balancer.backends()[1]!.dropped.probe_wrong_answer ?? 0).toBe(0);
  });
});

describe("lb.front_engine", () => {
  test("bun: a Bun.udpSocket front balances and relays like the node:dgram one", async () => {
    const { balancer, bes, client, port } = await setup("bun", { front_engine: "bun", max_in_flight_per_backend: 0 }, [{ scale: 1 }, { scale: 1 }]);
    for (let i = 0; i < 200; i++) client.send(i, port);
    expect(await client.waitFor(200)).toBe(200);
    expect(bes.map((b) => b.received)).toEqual([100, 100]);
    const want = new Set(Array.from({ length: 200 }, (_, i) => work(i, 1)));
    expect(client.answers.every((a) => want.has(a))).toBe(true);
    expect(balancer.view().total).toMatchObject({ requestsIn: 200, answered: 200, timedOut: 0 });
  });

  test("an unknown front engine is a config error that names the key", () => {
    expect(() => LbSchema.parse({ front_engine: "uv" })).toThrow(/front_engine/);
  });
});

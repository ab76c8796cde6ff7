// The held queue (src/lb/held.ts): with a demand listener (the scaler), a
// request that finds no backend is held while a VM wakes, then forwarded; its
// bounds drop and count (no_backend_queue_full, no_backend_timeout), never
// silently. Real loopback UDP, fake backends, the default (batch) engine and node.
import { describe, expect, test } from "bun:test";
import { work } from "../../src/protocol.ts";
import { startFakeBackend } from "./backends.ts";
import { sleep, until } from "./client.ts";
import { balancerRig } from "./rig.ts";

const { setup, defer } = balancerRig({ max_in_flight_per_backend: 0 });

describe.each(["batch", "node"] as const)("held queue (%s engine)", (engine) => {
  test("requests with no backend are held, the demand is told at once, and they are answered once a backend joins", async () => {
    const { balancer, client, port } = await setup(engine, { hold_queue: 16, hold_timeout_ms: 3000 }, []);
    const told: number[] = [];
    balancer.onDemand((at) => told.push(at));
    for (let i = 1; i <= 5; i++) client.send(i, port);
    expect(await until(() => balancer.view().holding === 5, 1000)).toBe(true);
    // Once for the stretch, not once per request.
    expect(told).toHaveLength(1);
    await sleep(150);
    const be = await startFakeBackend({ scale: 1 });
    defer(() => be.close());
    balancer.addBackend("late", be);
    expect(await client.waitFor(5)).toBe(5);
    expect(new Set(client.answers)).toEqual(new Set([1, 2, 3, 4, 5].map((n) => work(n, 1))));
    const t = balancer.view().total;
    expect(t).toMatchObject({ requestsIn: 5, held: 5, forwarded: 5, answered: 5 });
    expect(t.dropped).toEqual({});
    expect(balancer.view().holding).toBe(0);
  });

  test("a full queue drops and counts no_backend_queue_full; the held ones are still answered", async () => {
    const { balancer, client, port } = await setup(engine, { hold_queue: 3, hold_timeout_ms: 3000 }, []);
    balancer.onDemand(() => {});
    for (let i = 1; i <= 8; i++) client.send(i, port);
    expect(await until(() => balancer.view().total.requestsIn === 8, 1000)).toBe(true);
    const t = balancer.view().total;
    expect(t.held).toBe(3);
    expect(t.dropped.no_backend_queue_full).toBe(5);
    const be = await startFakeBackend({ scale: 1 });
    defer(() => be.close());
    balancer.addBackend("late", be);
    expect(await client.waitFor(3)).toBe(3);
    expect(balancer.view().total.answered).toBe(3);
  });

  test("a wake longer than hold_timeout_ms drops and counts no_backend_timeout; every request is accounted for", async () => {
    const { balancer, client, port } = await setup(engine, { hold_queue: 100, hold_timeout_ms: 200 }, []);
    balancer.onDemand(() => {});
    for (let i = 1; i <= 4; i++) client.send(i, port);
    expect(await until(() => balancer.view().holding === 4, 1000)).toBe(true);
    expect(await until(() => balancer.view().total.dropped.no_backend_timeout === 4, 1500)).toBe(true);
    expect(balancer.view().holding).toBe(0);
    // The backend arrives too late: nothing is left to forward, nothing answered.
    const be = await startFakeBackend({ scale: 1 });
    defer(() => be.close());
    balancer.addBackend("late", be);
    await sleep(100);
    const t = balancer.view().total;
    expect(t).toMatchObject({ requestsIn: 4, held: 4, forwarded: 0 });
    expect(be.received).toBe(0);
    // After the timeouts the next request with no backend is a new stretch: the demand is told again.
    const { balancer: b2, client: c2, port: p2 } = await setup(engine, { hold_queue: 100, hold_timeout_ms: 150 }, []);
    let told = 0;
    b2.onDemand(() => told++);
    c2.send(1, p2);
    expect(await until(() => b2.view().total.dropped.no_backend_timeout === 1, 1000)).toBe(true);
    c2.send(2, p2);
    expect(await until(() => told === 2, 1000)).toBe(true);
  });

  test("without a demand listener (the static `virtscale lb`), or after it is removed, no backend is no_backend at once", async () => {
    const { balancer, client, port } = await setup(engine, { hold_queue: 16 }, []);
    client.send(1, port);
    expect(await until(() => balancer.view().total.dropped.no_backend === 1, 1000)).toBe(true);
    balancer.onDemand(() => {});
    client.send(2, port);
    expect(await until(() => balancer.view().holding === 1, 1000)).toBe(true);
    balancer.onDemand(null);
    client.send(3, port);
    expect(await until(() => balancer.view().total.dropped.no_backend === 2, 1000)).toBe(true);
    expect(balancer.view().total.held).toBe(1);
  });

  test("hold_queue 0: never held, even with a listener", async () => {
    const { balancer, client, port } = await setup(engine, { hold_queue: 0 }, []);
    let told = 0;
    balancer.onDemand(() => told++);
    client.send(1, port);
    expect(await until(() => balancer.view().total.dropped.no_backend === 1, 1000)).toBe(true);
    expect(told).toBe(0);
  });

  test("closing with requests held counts them as no_backend_timeout", async () => {
    const { balancer, client, port } = await setup(engine, { hold_queue: 16, hold_timeout_ms: 5000 }, []);
    balancer.onDemand(() => {});
    client.send(1, port);
    client.send(2, port);
    expect(await until(() => balancer.view().holding === 2, 1000)).toBe(true);
    await balancer.close();
    expect(balancer.view().total.dropped.no_backend_timeout).toBe(2);
  });
});

// The balancer's health probes by the service check: a backend that went
// silent comes back in rotation only on a probe answer the check accepts.
// The backend is the guest server answering the assignment's 2**n mod 1021
// (real UDP on loopback), stopped and started again on the same port.
import { afterEach, describe, expect, test } from "bun:test";
import { LbSchema } from "../../src/config.ts";
import { startServer, type GuestServer } from "../../src/guest/serve.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { serviceCheck, type ServiceCheckName } from "../../src/protocol/service.ts";
import { testClient, until } from "./client.ts";

let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

async function powServer(port = 0): Promise<GuestServer> {
  const s = await startServer({ port, host: "127.0.0.1", scale: 1, function: "pow2mod1021" });
  cleanup.push(() => s.close());
  return s;
}

/** A balancer with one pow2mod1021 backend, silenced (server closed) until it is out of rotation, then started again. */
async function silencedAndBack(check: ServiceCheckName) {
  const first = await powServer();
  const port = first.address.port;
  const balancer = new Balancer({
    listen: { host: "127.0.0.1", port: 0 },
    config: LbSchema.parse({ timeout_ms: 200, unhealthy_after: 2, probe_interval_ms: 50 }),
    engine: "node",
    workScale: 1,
    check: serviceCheck(check, 1),
  });
  const front = await balancer.start();
  cleanup.push(() => balancer.close());
  balancer.addBackend("pow", { host: "127.0.0.1", port });
  const client = await testClient();
  cleanup.push(() => client.close());
  // Served while it runs (the balancer relays whatever the backend answers).
  client.send(10, front.port);
  expect(await client.waitFor(1)).toBe(1);
  expect(client.answers[0]).toBe(3n);
  await first.close();
  for (let i = 0; i < 4; i++) client.send(20 + i, front.port);
  expect(await until(() => balancer.backends()[0]!.state === "unhealthy", 2000)).toBe(true);
  await powServer(port);
  return balancer;
}

describe("health probes by service.check", () => {
  test("pow2mod1021: the assignment's server answers the probes rightly and is back in rotation", async () => {
    const balancer = await silencedAndBack("pow2mod1021");
    expect(await until(() => balancer.backends()[0]!.state === "active", 3000)).toBe(true);
    expect(balancer.backends()[0]!.dropped.probe_wrong_answer ?? 0).toBe(0);
  });

  test("virtscale: the same answers are wrong probe answers; it stays out", async () => {
    const balancer = await silencedAndBack("virtscale");
    expect(await until(() => (balancer.backends()[0]!.dropped.probe_wrong_answer ?? 0) >= 2, 3000)).toBe(true);
    expect(balancer.backends()[0]!.state).toBe("unhealthy");
  });

  test("any: any 8-byte probe answer brings it back", async () => {
    const balancer = await silencedAndBack("any");
    expect(await until(() => balancer.backends()[0]!.state === "active", 3000)).toBe(true);
  });
});

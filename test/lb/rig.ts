// A balancer on loopback in front of fake backends, with one test client, all
// closed after each test (afterEach is registered by balancerRig at the top
// level of the test file that calls it).
import { afterEach } from "bun:test";
import { LbSchema } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import type { UdpEngine } from "../../src/net/udp.ts";
import type { Store } from "../../src/store.ts";
import { startFakeBackend, type FakeBackend } from "./backends.ts";
import { testClient, until } from "./client.ts";

type Closer = () => Promise<unknown> | unknown;

/** `base`: lb config every setup of this file starts from (the tests' own keys override it). */
export function balancerRig(base: Record<string, unknown>) {
  const closers: Closer[] = [];
  afterEach(async () => {
    while (closers.length) await closers.pop()!();
  });
  /** Close this after the current test (last deferred, first closed). */
  const defer = (f: Closer) => void closers.push(f);

  async function setup(engine: UdpEngine, lb: Record<string, unknown> = {}, backends: Parameters<typeof startFakeBackend>[0][] = [{}, {}], store?: Store) {
    const bes: FakeBackend[] = [];
    for (const o of backends) {
      const b = await startFakeBackend(o);
      bes.push(b);
      defer(() => b.close());
    }
    const balancer = new Balancer({
      listen: { host: "127.0.0.1", port: 0 },
      config: LbSchema.parse({ timeout_ms: 300, unhealthy_after: 2, probe_interval_ms: 100, ...base, ...lb }),
      engine,
      store,
      workScale: 1,
    });
    const addr = await balancer.start();
    defer(() => balancer.close());
    bes.forEach((b, i) => balancer.addBackend(`b${i}`, b));
    const client = await testClient();
    defer(() => client.close());
    /** Silence backend `i` and send `requests` through the balancer: true once it is out of rotation (within 1.5 s). */
    const silence = async (i: number, requests: number): Promise<boolean> => {
      bes[i]!.mode = "silent";
      for (let n = 0; n < requests; n++) client.send(n, addr.port);
      return until(() => balancer.backends()[i]!.state === "unhealthy", 1500);
    };
    return { balancer, bes, client, port: addr.port, silence };
  }

  return { setup, defer };
}

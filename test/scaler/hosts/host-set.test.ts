// HostSet over fake hosts (no libvirt): placement across hosts, every call on
// the VM's own host, a lost host's state and its VMs "unknown" to the monitor
// (never "gone"), a host that did not answer in time left out of the sample.
// The same on real libvirt hosts: test/testbed/hosts.qemu.test.ts.
import { describe, expect, test } from "bun:test";
import type { DomainStats } from "../../../ffi/index.ts";
import { HostSet, type HostVms } from "../../../src/scaler/hosts/host-set.ts";
import { Monitor } from "../../../src/scaler/monitor.ts";
import type { ConnectionEventLike, LifecycleEventLike, LifecycleSource } from "../../../src/scaler/ports.ts";

const RUNNING = 1;

class FakeHost {
  domains = new Map<string, number>();
  calls: string[] = [];
  stall = false;
  fail = false;
  conn = new Set<(ev: ConnectionEventLike) => void>();
  life = new Set<(ev: LifecycleEventLike) => void>();
  constructor(readonly uri: string) {}
  vms(): HostVms {
    const self = this;
    const call = (what: string) => async (name: string) => void self.calls.push(`${what} ${name}`);
    return {
      conn: null as never,
      group: "g",
      async create(o: { name?: string } = {}) {
        self.domains.set(o.name!, RUNNING);
        self.calls.push(`create ${o.name}`);
        return { name: o.name!, group: "g", role: "serving" };
      },
      waitServing: async () => 1,
      managedSave: call("managedSave"),
      start: call("start"),
      shutdown: call("shutdown"),
      async destroy(name: string) {
        self.calls.push(`destroy ${name}`);
        self.domains.delete(name);
      },
      listOwnedAsync: async () => [...self.domains].map(([name]) => ({ name, group: "g", role: "serving", state: "running" })),
      addressOf: () => ({ host: "10.0.0.1", port: 1 }),
      close: async () => {},
    } as HostVms & { group: string };
  }
  events(): LifecycleSource {
    return {
      onLifecycle: (cb) => (this.life.add(cb), () => this.life.delete(cb)),
      onConnection: (cb) => (this.conn.add(cb), () => this.conn.delete(cb)),
      watchProcess: () => () => {},
      close: async () => {},
    };
  }
  stats() {
    return {
      cpuStats: async (): Promise<DomainStats[]> => {
        if (this.fail) throw new Error("broken pipe");
        if (this.stall) await new Promise((r) => setTimeout(r, 1000));
        return [...this.domains].map(([name, state]) => ({ name, uuid: name, state: { state }, cpu: { time: 1n }, vcpu: { current: 1 } }) as DomainStats);
      },
      nodeGetInfo: async () => ({ cpus: 2, memoryKiB: 4 << 20 }),
      close: () => {},
    };
  }
  lose(): void {
    for (const cb of this.conn) cb({ state: "lost", reason: "eof" });
  }
  back(): void {
    for (const cb of this.conn) cb({ state: "open" });
  }
}

async function setOf(n: number, callTimeoutMs = 200) {
  const fakes = Array.from({ length: n }, (_, i) => new FakeHost(`test+fake://h${i + 1}/`));
  const byUri = new Map(fakes.map((f) => [f.uri, f]));
  const set = new HostSet({
    hosts: fakes.map((f) => ({ uri: f.uri })),
    makeVms: (uri) => byUri.get(uri)!.vms(),
    openEvents: async (uri) => byUri.get(uri)!.events(),
    openStats: async (uri) => byUri.get(uri)!.stats(),
    vm: { vcpus: 1, memory_mib: 256 },
    overcommit: 1,
    callTimeoutMs,
    retryMs: 30,
    group: "g",
  });
  await set.open();
  return { set, fakes };
}

describe("HostSet", () => {
  test("new VMs spread over the hosts; each call goes to the VM's host", async () => {
    const { set, fakes } = await setOf(2);
    const a = await set.create({ name: "g-0000" });
    const b = await set.create({ name: "g-0001" });
    expect([a.host, b.host]).toEqual([fakes[0]!.uri, fakes[1]!.uri]);
    await set.shutdown("g-0001");
    await set.destroy("g-0000");
    expect(fakes[0]!.calls).toEqual(["create g-0000", "destroy g-0000"]);
    expect(fakes[1]!.calls).toEqual(["create g-0001", "shutdown g-0001"]);
    expect(set.hostOf("g-0000")).toBeUndefined();
    expect(() => set.start("nowhere-0000")).toThrow("on none of the group's hosts");
    await set.close();
  });

  test("a lost host: its state, no new VM on it, its VMs unknown to the monitor (not gone), and back", async () => {
    const { set, fakes } = await setOf(2);
    const seen: string[] = [];
    set.onHost((ev) => seen.push(`${ev.uri} ${ev.from}->${ev.state}`));
    await set.create({ name: "g-0000" });
    await set.create({ name: "g-0001" });
    fakes[1]!.lose();
    expect(set.views().map((h) => h.state)).toEqual(["up", "lost"]);
    expect(seen).toEqual([`${fakes[1]!.uri} up->lost`]);
    expect((await set.create({ name: "g-0002" })).host).toBe(fakes[0]!.uri);

    const monitor = new Monitor({ connect: () => set.statsSource(), members: () => ["g-0000", "g-0001", "g-0002"].map((name) => ({ name, role: "serving" as const })), historyMs: 10_000 });
    const s = await monitor.sample();
    expect(s.ok).toBe(true);
    expect(s.readings.get("g-0000")?.state).toBe("running");
    expect(s.readings.get("g-0001")?.state).toBe("unknown");
    // The host reconnects on its own (reachable, then its event connection again).
    await new Promise((r) => setTimeout(r, 100));
    expect(set.views().map((h) => h.state)).toEqual(["up", "up"]);
    expect(seen).toEqual([`${fakes[1]!.uri} up->lost`, `${fakes[1]!.uri} lost->up`]);
    expect((await monitor.sample()).readings.get("g-0001")?.state).toBe("running");
    await set.close();
  });

  test("a host that does not answer the stats call in time is left out, the others are read", async () => {
    const { set, fakes } = await setOf(2, 100);
    await set.create({ name: "g-0000" });
    await set.create({ name: "g-0001" });
    fakes[1]!.stall = true;
    const src = set.statsSource();
    const t0 = performance.now();
    const stats = await src.cpuStats(0);
    expect(performance.now() - t0).toBeLessThan(900);
    expect(stats.map((s) => s.name)).toEqual(["g-0000"]);
    expect(src.unanswered()).toEqual(["g-0001"]);
    // One slow answer is not silence; two in a row (its packets dropped, no close yet) is: lost for placement
    // and the group until it answers again.
    expect(set.views()[1]!.state).toBe("up");
    await src.cpuStats(0);
    expect(set.views()[1]).toMatchObject({ state: "lost", reason: "no answer to 2 stats calls in a row (none within 100 ms)" });
    expect((await set.create({ name: "g-0002" })).host).toBe(fakes[0]!.uri);
    fakes[1]!.stall = false;
    await new Promise((r) => setTimeout(r, 1000)); // the stalled call ends
    await src.cpuStats(0);
    expect(set.views()[1]!.state).toBe("up");
    fakes[0]!.fail = true;
    fakes[1]!.fail = true;
    await expect(src.cpuStats(0)).rejects.toThrow("no host answered the stats call");
    await set.close();
  });

  test("capacity per host from its cores, summed for the group; a host listed twice is refused", async () => {
    const { set } = await setOf(2);
    await set.statsSource().cpuStats(0);
    await new Promise((r) => setTimeout(r, 10));
    expect(set.views().map((h) => h.cap)).toEqual([2, 2]);
    expect(await set.statsSource().nodeGetInfo!()).toEqual({ cpus: 4, memoryKiB: 8 << 20 });
    await set.close();
    expect(() => new HostSet({ hosts: [{ uri: "x" }, { uri: "x" }], makeVms: () => null as never, openEvents: null as never, openStats: null as never, vm: { vcpus: 1, memory_mib: 1 }, overcommit: 1 })).toThrow("listed twice");
  });
});

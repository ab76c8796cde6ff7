// Network mode for real, on one testbed host (scripts/testbed.sh: its own
// libvirtd on TCP in a network namespace, a routed libvirt network with DHCP):
// a group of 2 TCG guests on qemu+tcp://10.231.1.2/system joins the balancer
// at the addresses libvirt's DHCP leased them, answers correctly through it,
// and `virtscale load --target <leased address>` gets answers too; at the end
// nothing of the run is left on that host. Economical: one host, 2 VMs, a few
// seconds of light load. The host is brought up in beforeAll and always down in afterAll.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseDomainXml } from "../../src/vm/xml.ts";
import { domainsOn, qemuRig, rand6, sleep, type QemuRig } from "../scaler/qemu-rig.ts";
import { leases, testbedDown, testbedUnavailable, testbedUp, type TestbedHost } from "./testbed.ts";

const skip = testbedUnavailable();
if (skip) console.warn(`network.qemu.test.ts skipped: ${skip}`);

describe.skipIf(skip !== null)(`network mode on a testbed host${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let h: TestbedHost;
  let rig: QemuRig | undefined;
  beforeAll(() => {
    h = testbedUp(1)[0]!;
  }, 180_000);
  afterAll(async () => {
    try {
      await rig?.close();
    } finally {
      if (h) testbedDown([h]);
    }
  }, 240_000);

  test(
    "a group of 2 on qemu+tcp: leased addresses in the balancer, correct answers through it and straight to a lease, nothing left at the end",
    async () => {
      const prefix = `vst-tb-${rand6()}`;
      rig = await qemuRig(
        { ready_timeout_s: 150, min: 2, max: 2, paused: true },
        { lb: { timeout_ms: 3000, drain_timeout_s: 5 }, vm: { network: "network", network_name: h.network } },
        { uri: h.uri, prefix },
      );
      const { run, store, vms, config, load } = rig;
      const g = run.group;
      const dump = () => ({ members: g.members().map((m) => [m.name, m.role, m.address]), errors: store.events().filter((e) => e.type === "error") });
      const t0 = performance.now();
      while (g.serving().length < 2) {
        if (performance.now() - t0 > 180_000) throw new Error(`2 VMs did not serve: ${JSON.stringify(dump())}`);
        await sleep(250);
      }
      const launches = g.summary.launches;
      console.log(`testbed: decision -> serving on ${h.uri}: ${launches.map((l) => `${l.name} ${l.decisionToServingMs} ms`).join(", ")}`);
      expect(store.events().filter((e) => e.type === "error")).toEqual([]);
      expect(launches.filter((l) => l.error)).toEqual([]);

      // Each member is in the balancer at the address libvirt's DHCP leased its MAC, on the guest server's port.
      const leased = leases(h);
      for (const m of g.serving()) {
        const d = vms.conn.lookupByName(m.name);
        const mac = parseDomainXml(d.xmlDesc()).mac!;
        d.free();
        expect(m.address).toEqual({ host: leased.get(mac)!, port: config.server_port });
        expect(m.address!.host.startsWith(h.guestPrefix)).toBe(true);
      }
      expect(new Set(run.balancer.backends().map((b) => b.address))).toEqual(new Set(g.serving().map((m) => `${m.address!.host}:${m.address!.port}`)));

      // Through the balancer: every answer checked (wrong = 0), both guests answer.
      load.setRate("20/s");
      await sleep(6000);
      load.setRate("off");
      await sleep(3500);
      const v = load.view();
      console.log(`testbed: through the balancer: sent ${v.sent}, answered ${v.answered}, wrong ${v.wrong}, timed out ${v.timedOut}, p50 ${v.p50Ms} ms, p99 ${v.p99Ms} ms`);
      expect(v.wrong).toBe(0);
      expect(v.sendFailed).toBe(0);
      expect(v.answered).toBeGreaterThanOrEqual(Math.floor(0.95 * v.sent));
      for (const b of run.balancer.backends()) expect(b.answered).toBeGreaterThan(0);

      // `virtscale load --target <leased address>`: the CLI's own sockets reach the guest (not bound to loopback).
      const target = g.serving()[0]!.address!;
      const cli = spawnSync(process.execPath, [join(import.meta.dir, "../../src/main.ts"), "load", "--target", `${target.host}:${target.port}`, "--rate", "20/s", "--duration", "3", "--json"], { encoding: "utf8", timeout: 60_000 });
      const summary = cli.stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l))
        .find((e) => e.type === "summary");
      expect(summary?.load).toBeDefined();
      const l = summary.load;
      console.log(`testbed: virtscale load --target ${target.host}:${target.port}: sent ${l.sent}, answered ${l.answered}, timed out ${l.timedOut}, in flight at the end ${l.inFlight}, sendFailed ${l.sendFailed}, p50 ${l.p50Ms} ms`);
      // Every send leaves (the bug: all sendFailed); the answers are correct. A few may still be in flight
      // when its 3 s end, or late on this shared 2-core machine: most, not all, are required.
      expect(l.sendFailed).toBe(0);
      expect(l.wrong).toBe(0);
      expect(l.answered).toBeGreaterThanOrEqual(Math.floor(0.75 * l.sent));

      // The run ends: every VM of it leaves that host.
      const names = g.members().map((m) => m.name);
      const result = await run.stop({ removeVms: true });
      expect(result.group.left).toEqual([]);
      expect(new Set(result.group.removed)).toEqual(new Set(names));
      expect(domainsOn(h.uri, prefix)).toEqual([]);
    },
    300_000,
  );
});

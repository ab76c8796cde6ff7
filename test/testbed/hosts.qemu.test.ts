// One group over two libvirt hosts (testbed hosts 2 and 3: each its own
// libvirtd on TCP in a network namespace, a routed network with DHCP), the
// way `up -c URI2 -c URI3` runs it (src/scaler/hosts/ HostSet): a group of 2
// is placed one VM per host, both answer through the balancer at their
// leased addresses; then host 3 crashes (every process in its namespace
// killed; before that, its libvirtd alone restarts: the VM there answers its
// probe and serves on, nothing is replaced): its VM is out of rotation at once (its event connection's close,
// then a probe it does not answer) and replaced on host 2; the answered share
// during the event is reported, no answer is wrong. When host 3 is back (a
// fresh libvirtd) the group sees it up again. Nothing is left on either host.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { domainsOn, sleep, until } from "../scaler/qemu-rig.ts";
import { hostsRig, type HostsRig } from "./hosts-rig.ts";
import { testbedCrash, testbedDown, testbedRestartLibvirtd, testbedUnavailable, testbedUp, type TestbedHost } from "./testbed.ts";

const skip = testbedUnavailable();
if (skip) console.warn(`hosts.qemu.test.ts skipped: ${skip}`);

describe.skipIf(skip !== null)(`one group over two testbed hosts${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let hosts: TestbedHost[] = [];
  let rig: HostsRig | undefined;
  beforeAll(() => {
    hosts = testbedUp(2, 3);
  }, 240_000);
  afterAll(async () => {
    try {
      await rig?.close();
    } finally {
      testbedDown(hosts);
    }
  }, 300_000);

  test(
    "placed one per host, answers through the balancer; host 3 crashes: out of rotation at once, replaced on host 2, 0 wrong",
    async () => {
      const [h2, h3] = hosts as [TestbedHost, TestbedHost];
      rig = await hostsRig([{ uri: h2.uri }, { uri: h3.uri }], { scaler: { min: 2, max: 2 } });
      const { run, store, set, load } = rig;
      expect(set.views().map((h) => h.state)).toEqual(["up", "up"]);
      const g = run.group;
      const dump = () => ({ members: g.members().map((m) => [m.name, m.role, m.address, set.hostOf(m.name)]), hosts: set.views(), errors: store.events().filter((e) => e.type === "error").slice(-5) });

      // Placement: one VM on each host, each in the balancer at an address of its host's network.
      await until("2 VMs serving", () => g.serving().length === 2, 200_000, dump);
      const bootMs = g.summary.launches.map((l) => l.decisionToServingMs!);
      const onHost = (h: TestbedHost) => g.serving().filter((m) => set.hostOf(m.name) === h.uri);
      expect(onHost(h2).length).toBe(1);
      expect(onHost(h3).length).toBe(1);
      for (const h of [h2, h3]) expect(onHost(h)[0]!.address!.host.startsWith(h.guestPrefix)).toBe(true);
      console.log(`hosts: placed ${g.serving().map((m) => `${m.name} on ${set.hostOf(m.name)} at ${m.address!.host}`).join(", ")}; decision -> serving ${bootMs.join(", ")} ms`);
      // The views say where each VM is: the store's VM rows and the scaler's host list.
      expect([...store.state.vms.values()].filter((v) => v.role === "serving").map((v) => v.host).sort()).toEqual([h2.uri, h3.uri]);
      expect(g.view().hosts?.map((h) => [h.uri, h.state, h.vms])).toEqual([
        [h2.uri, "up", 1],
        [h3.uri, "up", 1],
      ]);

      load.setRate("20/s");
      await sleep(4000);
      const before = load.view();
      expect(before.wrong).toBe(0);
      expect(before.answered).toBeGreaterThan(0);
      for (const b of run.balancer.backends()) expect(b.answered).toBeGreaterThan(0);

      // Host 3's libvirtd alone restarts: its connection is lost, but its VM answers the probe and serves on.
      const kept = onHost(h3)[0]!.name;
      const launchesBefore = g.summary.launches.length;
      testbedRestartLibvirtd(h3);
      await until("host 3 up again after its libvirtd restart", () => set.views().find((h) => h.uri === h3.uri)?.state === "up", 30_000, dump);
      await sleep(1500);
      expect(store.events().some((e) => e.type === "log" && e.message.includes(`${kept}: its host ${h3.uri} is lost`) && e.message.includes("but it answers"))).toBe(true);
      expect(g.serving().map((m) => m.name)).toContain(kept);
      expect(run.balancer.backends().find((b) => b.id === kept)?.state).toBe("active");
      expect(g.summary.launches.length).toBe(launchesBefore);
      console.log(`hosts: libvirtd of host 3 restarted: ${kept} answered its probe and served on; no launch`);

      // Host 3 crashes.
      const lostVm = onHost(h3)[0]!.name;
      const atCrash = load.view();
      const tCrash = performance.now();
      const crashWall = Date.now();
      testbedCrash(h3);
      const crashMs = performance.now() - tCrash;
      await until(`${lostVm} out of rotation`, () => !run.balancer.backends().some((b) => b.id === lostVm && b.state === "active"), 15_000, dump);
      // When it left the balancer, by the group's own event (the poll above is 250 ms coarse).
      const outEv = store.events().find((e) => e.type === "vm" && e.name === lostVm && (e.detail ?? "").startsWith("out of the balancer") && e.ts >= crashWall);
      expect(outEv).toBeDefined();
      const outMs = outEv!.ts - crashWall;
      expect(set.views().find((h) => h.uri === h3.uri)?.state).toBe("lost");
      const outLine = store.events().find((e) => e.type === "log" && e.message.includes(lostVm) && e.message.includes("is lost"));
      expect(outLine).toBeDefined();
      // Replaced on host 2, from a cold boot there (no pool in this group).
      await until("a replacement serving on host 2", () => onHost(h2).length === 2, 200_000, dump);
      const replaceMs = performance.now() - tCrash;
      // The replacement is a cold boot there (no pool in this group): within a first boot's time + 1 s.
      load.setRate("off");
      await sleep(2500);
      const after = load.view();
      // Requests sent from the crash on, and those of them (or in flight at the crash) that timed out: the answered share.
      const during = { sent: after.sent - atCrash.sent, lost: after.timedOut - atCrash.timedOut + (after.inFlight ?? 0) };
      const replacement = g.summary.launches.at(-1)!;
      console.log(
        `hosts: crash of host 3 (testbed.sh crash, ${crashMs.toFixed(0)} ms): ${lostVm} out of rotation ${outMs.toFixed(0)} ms after the crash began; replacement ${replacement.name} serving on host 2 ${replaceMs.toFixed(0)} ms after (its decision -> serving ${replacement.decisionToServingMs} ms; first boots ${bootMs.join(", ")} ms); during the event ${during.sent - during.lost} of ${during.sent} answered in time (${((100 * (during.sent - during.lost)) / Math.max(1, during.sent)).toFixed(1)} %), wrong ${after.wrong}, timed out ${after.timedOut}`,
      );
      expect(after.wrong).toBe(0);
      expect(after.sendFailed).toBe(0);
      // The loss is acted on from the connection's close and the probe, not the 5 s unhealthy grace.
      expect(outMs).toBeLessThan(5000);
      expect(onHost(h2).map((m) => m.name)).toContain(replacement.name);

      // Host 3 comes back (a fresh libvirtd): the group sees it up again.
      testbedUp(3, 3);
      await until("host 3 up again", () => set.views().find((h) => h.uri === h3.uri)?.state === "up", 30_000, dump);

      // The run ends: nothing of it is left on either host.
      const result = await run.stop({ removeVms: true });
      expect(result.group.left).toEqual([]);
      expect(await rig.close()).toEqual([]);
      for (const h of hosts) expect(domainsOn(h.uri, rig.prefix)).toEqual([]);
    },
    600_000,
  );
});

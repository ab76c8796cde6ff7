// Faults on real QEMU guests (TCG) under steady load through the balancer, one
// group of 2 (plus a warm pool of 1) for all three, in order:
//  (a) libvirtd killed (SIGTERM by pid), down ~5 s, started again with
//      scripts/start-libvirtd.sh: no answer lost or wrong, the same members
//      afterwards, the group sampling again (the control loop survived);
//  (b) virDomainDestroy of a serving VM (the binding, on a worker);
//  (c) kill -9 of a serving VM's QEMU process (its pid file):
//      each out of rotation before more than one request is lost, and a
//      replacement (from the warm pool) serves.
// Behaviour is asserted, not speed; the measured times are printed.
// Every domain is vst-scaler-<rand6>-NNNN and removed in afterAll, also on
// failure, and libvirtd is started again there if a failure left it down.
import { afterAll, describe, expect, test } from "bun:test";
import { closeRig, qemuRig, qemuUnavailable, type QemuRig } from "./qemu-rig.ts";
import { ensureLibvirtd, Faults, faultTable, libvirtdPid } from "./faults.ts";

const skip = qemuUnavailable() ?? (process.getuid?.() !== 0 ? "needs root (restarts libvirtd)" : libvirtdPid() === null ? "libvirtd's pid not found" : null);
if (skip) console.warn(`chaos.qemu.test.ts skipped: ${skip}`);

describe.skipIf(skip !== null)(`faults under load on real QEMU guests${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let rig: QemuRig | undefined;
  let faults: Faults | undefined;
  afterAll(async () => {
    await ensureLibvirtd();
    if (faults?.figures.length) console.log(`${faultTable(faults.figures)}\n${JSON.stringify(faults.figures)}`);
    faults?.close();
    await closeRig(rig);
  }, 240_000);

  test(
    "libvirtd restart loses nothing; destroy and kill -9 leave rotation before a second request is lost; replacements serve",
    async () => {
      rig = await qemuRig({ min: 2, max: 2, paused: true, source: "warm", warm_pool: 1 });
      faults = new Faults(rig);
      expect(rig.run.group.watchingEvents).toBe(true);
      await faults.steady(2);
      rig.load.setRate("10/s"); // ~5 requests/s per VM
      await new Promise((r) => setTimeout(r, 3000));

      // (a) the control plane loses libvirt; the data plane must not notice.
      const a = await faults.restartLibvirtd(5000);
      console.log(JSON.stringify(a));
      expect(a.sent).toBeGreaterThan(50);
      expect(a.lost).toBe(0);
      expect(a.late).toBe(0);
      expect(a.wrong).toBe(0);
      expect(a.membersAfter).toEqual(a.membersBefore);
      expect(a.groupAlive).toBe(true);
      expect(rig.run.group.summary.replaced).toBe(0);

      // (b) and (c): a serving VM dies.
      for (const how of ["destroy", "kill -9"] as const) {
        await faults.steady(2);
        const f = await faults.killServing(how);
        console.log(JSON.stringify(f));
        expect(f.lost + f.wrong).toBeLessThanOrEqual(1);
        expect(f.membersAfter).toHaveLength(2);
        expect(f.membersAfter).not.toContain(f.victim);
        expect(f.replacement).toBeDefined();
        expect(f.groupAlive).toBe(true);
      }
      expect(rig.run.group.summary.replaced).toBe(2);
    },
    900_000,
  );
});

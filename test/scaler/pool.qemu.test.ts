// The hot pool tier and scale to zero on real QEMU guests (TCG), in one
// economical run: min 0 with a hot tier of 1. The hot VM boots, answers and
// is paused (no CPU); a request to the empty group is held by the balancer,
// which wakes the hot VM (resume + one answer) and then forwards it; after
// the idle timeout the group goes back to zero, its VM paused into the hot
// pool again; a second request wakes it again. Nothing is lost on the way.
// Own prefix (vst-scaler-<rand6>) and ports; every domain removed in afterAll.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { LbCountersExt } from "../../src/lb/stats.ts";
import { FrontClient } from "./front-client.ts";
import { closeRig, domainState, qemuRig, qemuUnavailable, sleep, until, type QemuRig } from "./qemu-rig.ts";

const skip = qemuUnavailable();
if (skip) console.warn(`pool.qemu.test.ts skipped: ${skip}`);

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

describe.skipIf(skip !== null)(`hot pool and scale to zero on real QEMU${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let rig: QemuRig | undefined;
  let client: FrontClient | undefined;
  afterAll(async () => {
    client?.close();
    await closeRig(rig);
  }, 180_000);

  test(
    "hot VM paused (~0 CPU); a request to an empty group wakes it and is answered; idle -> zero -> woken again; nothing lost",
    async () => {
      rig = await qemuRig({ min: 0, max: 1, pool: { hot: 1 }, idle_timeout_s: 3 }, { lb: { timeout_ms: 3000, drain_timeout_s: 5, hold_timeout_ms: 20_000 } });
      const { run, vms, config } = rig;
      const g = run.group;
      const dump = () => ({ members: g.members().map((m) => [m.name, m.role, m.filling ?? false, m.busy]), scaler: rig!.store.state.scaler, lb: run.balancer.view().total });
      const hotReady = () => g.members().filter((m) => m.role === "hot" && !m.filling && !m.busy);

      // 1. Nothing serves (min 0); the hot tier fills: a boot, one answer, a pause.
      await until("the hot pool VM", () => hotReady().length === 1, 150_000, dump);
      expect(g.serving()).toEqual([]);
      const hot = hotReady()[0]!.name;
      expect(domainState(hot)).toBe("paused");
      const pid = vms.pidOf(hot)!;
      const c0 = cpuSeconds(pid);
      await sleep(3000);
      const pausedCpuPct = ((cpuSeconds(pid) - c0) / 3) * 100;
      const rssMiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

      // 2. A request to the empty group: held, the hot VM wakes, the answer comes back.
      client = await FrontClient.open(run.front, config.vm.work_scale);
      const first = client.send();
      const burst = [first];
      for (let i = 0; i < 9; i++) {
        await sleep(5);
        burst.push(client.send());
      }
      const firstMs = await client.answer(first, 15_000);
      expect(firstMs).not.toBeNull();
      for (const a of burst) expect(await client.answer(a, 10_000)).not.toBeNull();
      expect(g.serving().map((m) => m.name)).toEqual([hot]);
      expect(g.summary.launches.find((l) => l.name === hot)?.how).toBe("hot");

      // 3. Idle for idle_timeout_s: back to zero, the VM paused into the hot pool again.
      await until("the group back at zero", () => g.desiredSize === 0 && g.serving().length === 0 && g.members().some((m) => m.name === hot && m.role === "hot" && !m.busy), 30_000, dump);
      expect(domainState(hot)).toBe("paused");

      // 4. And woken again by the next request.
      const second = client.send();
      const secondMs = await client.answer(second, 15_000);
      expect(secondMs).not.toBeNull();
      const t = run.balancer.view().total as LbCountersExt;
      // At least the first request of each wake was held (the rest of the burst may find the VM already back).
      expect(t.held).toBeGreaterThanOrEqual(2);
      expect(t.dropped.no_backend_queue_full ?? 0).toBe(0);
      expect(t.dropped.no_backend_timeout ?? 0).toBe(0);
      expect(client.wrong).toBe(0);
      expect(client.answered).toBe(client.asked.length);
      console.log(
        `pool.qemu: hot VM RSS ${rssMiB.toFixed(0)} MiB, paused CPU ${pausedCpuPct.toFixed(2)} % of a core; scale from zero (hot): first answer ${firstMs!.toFixed(0)} ms, again ${secondMs!.toFixed(0)} ms; ${client.asked.length} sent, ${client.answered} answered, held ${t.held}; load ${readFileSync("/proc/loadavg", "utf8").trim()}`,
      );
    },
    300_000,
  );
});

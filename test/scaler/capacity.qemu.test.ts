// Host-aware capacity, low-weight refills and the concurrency policy on real
// QEMU guests (TCG), one group (1..3 VMs, warm pool 1) under load from the
// built-in generator, in order:
//  1. the warm pool's refill is defined at low CPU weight (<cputune><shares>,
//     the serving VMs' 1/16) and waits for the first serving VM; its
//     managed-save image then carries the serving weight (the restore runs at it);
//  2. a load step to 120 % of one VM: the concurrency policy scales out (its
//     reason says why), the VM from the pool joins at the serving weight;
//  3. the pool's refill then boots beside the two serving VMs, at low weight
//     (its live cgroup cpu.shares), never while a VM starts, and the serving
//     VMs' answers keep coming in time meanwhile;
//  4. load past two VMs' worth on a host whose capacity is 2 vCPUs
//     (scaler.reserve_cores leaves 2 of this host's cores): the third VM is
//     refused and the decision, the view and the log say "at host capacity".
// Behaviour is asserted, not speed. Domains are vst-scaler-<rand6>-NNNN, removed
// at the end, also on failure.
import { afterAll, describe, expect, test } from "bun:test";
import { Connection, virDomainManagedSaveGetXMLDesc } from "../../ffi/index.ts";
import { resolveRequestCost } from "../../src/load/calibrate.ts";
import { vmCapacityPerS } from "../../src/load/cost.ts";
import { defaultImageDir, findImage } from "../../src/guest/image.ts";
import { parseDomainXml } from "../../src/vm/xml.ts";
import type { LoadPhaseView, VirtscaleEvent } from "../../src/events.ts";
import { closeRig, qemuRig, qemuUnavailable, sleep, until, QEMU_URI, type QemuRig } from "./qemu-rig.ts";

const skip = qemuUnavailable();
if (skip) console.warn(`capacity.qemu.test.ts skipped: ${skip}`);

describe.skipIf(skip !== null)(`host capacity and low-weight refills on real QEMU guests${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let rig: QemuRig | undefined;
  afterAll(() => closeRig(rig), 180_000);

  test(
    "refills run at low weight and never starve serving VMs; the concurrency policy scales out; the cap refuses a third VM and says so",
    async () => {
      const cores = (() => {
        using c = Connection.open(QEMU_URI, { readOnly: true });
        return c.nodeInfo().cpus;
      })();
      rig = await qemuRig(
        { min: 1, max: 3, source: "warm", warm_pool: 1, policy: "concurrency", reserve_cores: Math.max(0, cores - 2) },
        // The default request mix and timeout, as up and the demo run them.
        { req_num_low: 2000, req_num_high: 20000, lb: { timeout_ms: 2000, drain_timeout_s: 10 } },
      );
      const { run, store, load, vms } = rig;
      const g = run.group;
      const events = () => store.events() as VirtscaleEvent[];
      const dump = () => ({ members: g.members().map((m) => [m.name, m.role, m.filling ?? false]), scaler: store.state.scaler, load: load.view().phases?.at(-1) });
      const liveShares = async (name: string) => vms.cpuShares(name);
      /** The weight in a domain's definition, and in its managed-save image (what a start restores). */
      const definedShares = (name: string) => {
        using c = Connection.open(QEMU_URI, { readOnly: true });
        using d = c.lookupByName(name);
        return { defined: parseDomainXml(d.xmlDesc()).cpuShares, saved: parseDomainXml(virDomainManagedSaveGetXMLDesc(d)).cpuShares };
      };

      // 1. The first VM serves; the pool's refill waited for it, and is defined at low weight.
      await until("the first VM", () => g.serving().length === 1, 180_000, dump);
      const first = g.serving()[0]!.name;
      const normal = await liveShares(first);
      expect(normal).toBeGreaterThan(0);
      const low = Math.max(2, Math.round(normal / 16));
      await until("the warm pool filled", () => g.actuator.warmReady().length === 1, 240_000, dump);
      const pooled = g.actuator.warmReady()[0]!.name;
      // Booted and saved at low weight; the image resumes at the serving weight (a scale-out restores it).
      expect(definedShares(pooled)).toEqual({ defined: low, saved: normal });
      const servedAt = events().find((e) => e.type === "vm" && e.name === first && e.to === "serving")!.ts;
      const poolMadeAt = events().find((e) => e.type === "vm" && e.name === pooled && e.to === "warm" && /created/.test(e.detail ?? ""))!.ts;
      expect(poolMadeAt).toBeGreaterThanOrEqual(servedAt);
      expect(store.state.scaler?.refill).toMatchObject({ mode: "low weight", shares: { low, normal } });
      expect(store.state.scaler?.capacity).toMatchObject({ cores, vcpus: 2, maxVms: 2 });

      // 2. A load step to 120 % of one VM: the concurrency policy scales out, the pool VM joins at the serving weight.
      const image = findImage(rig.config.vm.image_dir ?? defaultImageDir());
      const cost = await resolveRequestCost({ store, uri: QEMU_URI, config: rig.config, image, loadInFlight: () => load.view().inFlight });
      const cap = vmCapacityPerS(cost, { nLow: rig.config.req_num_low, nHigh: rig.config.req_num_high, scale: rig.config.vm.work_scale });
      load.setRate(`${Math.round(cap * 0.3)}/s`, "low");
      await sleep(8000);
      load.setRate(`${Math.round(cap * 1.2)}/s`, "step");
      await until("a second VM serving", () => g.serving().length === 2, 120_000, dump);
      const out = events().find((e) => e.type === "scale" && e.action === "out") as { reason: string } | undefined;
      // Panic asks for what its window's in-flight needs; the host's capacity (2 vCPUs) takes it only to 2, and says so.
      expect(out?.reason).toMatch(/in flight per VM over \d+ s.*: 1 → 2( \(host capacity: 1 of 2 cores\))?$/);
      expect(await liveShares(pooled)).toBe(normal);
      const joinedAt = events().find((e) => e.type === "vm" && e.name === pooled && e.to === "serving")!.ts;

      // 3. The refill boots beside the two serving VMs at low weight, after the join, and their answers keep coming in time.
      await until("the refill to start", () => g.members().some((m) => m.filling), 60_000, dump);
      const refill = g.members().find((m) => m.filling)!.name;
      expect(events().find((e) => e.type === "vm" && e.name === refill && e.to === "warm")!.ts).toBeGreaterThanOrEqual(joinedAt);
      load.setRate(`${Math.round(cap * 1.2)}/s`, "refill");
      await until("the refill VM running", () => store.state.vms.get(refill)?.state === "running", 60_000, dump);
      expect(await liveShares(refill)).toBe(low);
      for (const m of g.serving()) expect(await liveShares(m.name)).toBe(normal);
      await until("the refill saved into the pool", () => g.actuator.warmReady().some((m) => m.name === refill), 240_000, dump);
      load.setRate(`${Math.round(cap * 1.2)}/s`, "after");
      await sleep(rig.config.lb.timeout_ms + 500);
      const during = load.view().phases!.find((p: LoadPhaseView) => p.phase === "refill")!;
      console.log(`during the refill (${during.durationS} s at ${during.perSecond}/s): sent ${during.sent}, in time ${during.answered} (${during.inTimePct} %), timed out ${during.timedOut}, p99 ${during.p99Ms} ms`);
      expect(during.sent).toBeGreaterThan(0);
      expect(during.wrong).toBe(0);
      expect(during.inTimePct!).toBeGreaterThanOrEqual(90);

      // 4. Load past two VMs' worth: the policy wants a third, the host's capacity (2 vCPUs) refuses it and says so.
      load.setRate(`${Math.round(cap * 2.6)}/s`, "past-capacity");
      await until("the cap to hold a scale-out", () => /at host capacity: 2 of 2 cores$/.test(store.state.scaler?.lastDecision?.reason ?? ""), 60_000, dump);
      await sleep(3000);
      expect(g.serving().length).toBe(2);
      expect(g.members().filter((m) => m.role === "serving" || m.role === "starting").length).toBe(2);
      expect(store.state.scaler?.capacity).toMatchObject({ atCap: true, text: "2 of 2 cores" });
      expect(events().filter((e) => e.type === "scale" && e.action === "out")).toHaveLength(1);
      expect(g.scaleBy(1)).toBe(2);
      expect(events().some((e) => e.type === "log" && e.message === "scale +1: at host capacity: 2 of 2 cores")).toBe(true);
      load.setRate("off");
    },
    900_000,
  );
});

// Refilling a pool tier by one VM: part of the actuator (pool.ts plans which
// tier, this makes the VM). A boot runs at low CPU weight beside the serving
// VMs; the pause or save that ends it runs as an operation in the store's
// registry, so the domain pausing or stopping is ours, never taken for a death.
import { usableAddress } from "../vm/address.ts";
import { errorMessage } from "../errors.ts";
import type { PoolTier } from "./pool.ts";
import { StoppedError, type Member } from "./member.ts";
import type { MemberTable } from "./member-table.ts";
import { fail } from "./retire.ts";
import { weighSaved } from "./weights.ts";

/**
 * Refill a pool tier by one VM (pool.ts nextFill). From a boot: create,
 * wait until it serves, then managed save (warm) or pause (hot). From warm
 * (hot only): a ready warm VM is started, answers, and is paused: a
 * promotion in ~1 s instead of a boot. Resolves with the failure's message,
 * or undefined.
 */
export async function fill(t: MemberTable, tier: PoolTier, from: "boot" | "warm"): Promise<string | undefined> {
  const promoted = from === "warm" && tier === "hot" ? t.warmReady()[0] : undefined;
  let m: Member;
  if (promoted) {
    m = t.all.get(promoted.name)!;
    m.filling = true;
    m.busy = true;
    t.setRole(m, "hot", "promoting from the warm pool to the hot pool");
  } else {
    m = t.add(t.nextName(), tier === "hot" ? "template" : "warm", tier, { createdByRun: true });
    m.filling = true;
    m.busy = true;
  }
  const name = m.name;
  const timeoutMs = t.o.config.scaler.ready_timeout_s * 1000;
  try {
    if (promoted) await t.o.vms.start(name);
    else {
      const low = t.o.weights?.()?.low;
      const vm = await t.o.vms.create({ name, role: tier, ...(low !== undefined ? { cpuShares: low } : {}) });
      m.address = usableAddress(vm.address) ?? undefined;
    }
    m.booted = true;
    m.bootedAt = t.now();
    await t.untilStopped(t.o.vms.waitServing(name, timeoutMs));
    if (tier === "hot") {
      await t.o.store.operations.run(name, "pause", "scaler", () => t.o.vms.suspend!(name));
      m.paused = true;
      if (promoted) t.markRole(name, "hot");
    } else {
      await t.o.store.operations.run(name, "pause", "scaler", () => t.o.vms.managedSave(name));
      await weighSaved(t, name);
      m.booted = false;
    }
    m.filling = false;
    const how = tier === "hot" ? (promoted ? "started from its save, answered and paused into the hot pool" : "booted, answered and paused into the hot pool") : "booted and managed-saved into the warm pool";
    t.o.store.emit({ type: "vm", ts: t.now(), name, from: tier, to: tier, detail: how });
  } catch (e) {
    if (!(e instanceof StoppedError)) {
      const why = errorMessage(e) ?? String(e);
      if (!t.o.quietFailure?.(name, why)) t.o.store.error(`${tier} pool ${name}`, e);
      await fail(t, m, `${tier} pool fill failed: ${why}`);
      return why;
    }
  } finally {
    m.busy = false;
    // Ready now: the dashboard's pool figures say so at once, not at the next step.
    t.o.changed?.();
  }
  return undefined;
}

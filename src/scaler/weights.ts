// A VM's CPU weight as it moves between the pool and the group (capacity.ts
// decides the two weights): pool VMs run low so that a refill never slows the
// serving VMs, members run normal. Part of the actuator (launch, retire and
// pool fill set weights the same way); a failure is logged, never fatal.
import type { MemberTable } from "./member-table.ts";

/** A VM's CPU weight (cgroup cpu shares, live): pool VMs low, members normal. */
export async function weigh(t: MemberTable, name: string, to: "low" | "normal"): Promise<void> {
  const w = t.o.weights?.();
  if (!w || !t.o.vms.setCpuShares) return;
  try {
    await t.o.vms.setCpuShares(name, w[to]);
  } catch (e) {
    t.o.store.error(`${name}: set CPU weight ${to} (${w[to]} shares)`, e);
  }
}

/**
 * A pool VM is booted and saved at low weight, but a scale-out restores it:
 * its managed-save image gets the serving weight, so that the restore (RAM
 * loaded back, on the scale-out's critical path) does not run at low weight.
 */
export async function weighSaved(t: MemberTable, name: string): Promise<void> {
  const w = t.o.weights?.();
  if (!w || !t.o.vms.setSavedCpuShares) return;
  try {
    await t.o.vms.setSavedCpuShares(name, w.normal);
  } catch (e) {
    t.o.store.error(`${name}: set the saved image's CPU weight (${w.normal} shares)`, e);
  }
}

// A VM leaving the group, or the balancer: part of the actuator. retire()
// drains it, then puts it back into a pool tier (paused into hot,
// managed-saved into warm) or removes it (shut down, destroyed + undefined;
// a predefined domain stays defined); a VM still starting has its launch
// cancelled first. The death paths: fail() (out at once, no drain: it answers
// nothing), takeOut()/putBack() (its QEMU ended; libvirt's verdict pending),
// release() (halted by a snapshot: the domain is left as it is).
import { HostLostError } from "./hosts/host.ts";
import { BusyError } from "../store.ts";
import { errorMessage } from "../errors.ts";
import type { PoolTier } from "./pool.ts";
import { CancelledError, type Member } from "./member.ts";
import type { MemberTable } from "./member-table.ts";
import { weigh, weighSaved } from "./weights.ts";

/**
 * Take a VM out: drain, then back to the warm pool, shut down, or destroy +
 * undefine. It runs as an operation in the store's registry ("pause" for a
 * save into the pool, else "shutdown"), taken before the first await, so the
 * group's death handling (a stopped or saved domain, a lifecycle event)
 * and the API leave the VM alone meanwhile. Under another operation (a
 * snapshot from the dashboard or the API), it is not retired now.
 */
export async function retire(t: MemberTable, m: Member, opts: { toPool?: boolean; tier?: PoolTier | null; reason?: string } = {}): Promise<void> {
  // Only a VM that served goes into a pool (a launch still under way is cancelled and removed); hot needs pause/resume.
  const launch = t.launching.get(m.name);
  let tier: PoolTier | null = opts.tier ?? (opts.toPool ? "warm" : null);
  if (launch || m.kind === "predefined" || !m.booted || m.role !== "serving" || (tier === "hot" && !t.canPause)) tier = null;
  const toPool = tier !== null;
  let op;
  try {
    op = t.o.store.operations.begin(m.name, toPool ? "pause" : "shutdown", "scaler");
  } catch (e) {
    if (!(e instanceof BusyError)) throw e;
    t.o.store.log(`${m.name}: not retired now (${opts.reason ?? "retire"}): ${e.message}`, "warn");
    return;
  }
  m.busy = true;
  t.setRole(m, "draining", opts.reason);
  const work = (async () => {
    try {
      if (launch) {
        // Still starting: its launch ends first (cancelled, quietly), then the VM is removed.
        launch.abort.abort(new CancelledError(m.name, opts.reason ?? "retired"));
        await launch.done;
      }
      if (m.inBalancer) {
        await t.o.balancer.removeBackend(m.name);
        m.inBalancer = false;
      }
      if (tier === "hot") {
        await weigh(t, m.name, "low");
        await t.o.vms.suspend!(m.name);
        m.paused = true;
        t.markRole(m.name, "hot");
        t.setRole(m, "hot", "drained and paused into the hot pool");
        return;
      }
      if (tier === "warm") {
        await weigh(t, m.name, "low");
        await t.o.vms.managedSave(m.name);
        await weighSaved(t, m.name);
        m.kind = "warm";
        m.booted = false;
        t.setRole(m, "warm", "drained and managed-saved back into the warm pool");
        return;
      }
      await stopVm(t, m);
      t.all.delete(m.name);
    } catch (e) {
      t.o.store.error(`retire ${m.name}`, e);
      await fail(t, m, `retire failed: ${errorMessage(e) ?? e}`);
    } finally {
      m.busy = false;
      t.o.store.operations.end(op);
      t.o.changed?.();
    }
  })();
  if (!toPool) return work;
  // A launch that finds the pool empty meanwhile waits for this one instead of booting cold.
  t.entering.set(m.name, work);
  try {
    await work;
  } finally {
    t.entering.delete(m.name);
  }
}

/** A VM died or stopped answering: out of the balancer at once, its domain cleaned up, the member dropped. */
export async function fail(t: MemberTable, m: Member, detail: string): Promise<void> {
  m.busy = true;
  t.setRole(m, "failed", detail);
  if (m.inBalancer) {
    m.inBalancer = false;
    // Do not wait for the drain: a dead VM answers nothing.
    t.o.balancer.removeBackend(m.name).catch((e) => t.o.store.error(`balancer remove ${m.name}`, e));
  }
  try {
    // A predefined domain that ran before this run is the user's: out of the group, not stopped (exit.ts lists it as left).
    if (m.kind !== "predefined" || m.startedByRun) await stopVm(t, m, 0);
  } catch (e) {
    // Its host is lost (a group over several hosts): not an error here; it is removed once the host is back (hosts/host-loss.ts).
    if (e instanceof HostLostError) t.o.store.log(`${m.name}: clean-up deferred: ${e.message}`);
    else t.o.store.error(`clean up ${m.name}`, e);
  }
  t.all.delete(m.name);
}

/**
 * Its QEMU process ended: out of the balancer at once (nothing can answer),
 * no libvirt call (libvirt holds the domain while it cleans up, ~1.2 s here,
 * and a call would wait that long on this thread). The member stays until
 * libvirt says what happened (its STOPPED event, or the next sample): then
 * fail() (died), release() (halted by a snapshot) or putBack() (running again).
 */
export function takeOut(t: MemberTable, name: string, detail: string): void {
  const member = t.all.get(name);
  if (!member || member.outSince !== undefined) return;
  member.outSince = t.now();
  t.o.store.emit({ type: "vm", ts: t.now(), name: member.name, from: member.role, to: member.role, detail: `out of the balancer: ${detail}` });
  if (member.inBalancer) {
    member.inBalancer = false;
    t.o.balancer.removeBackend(member.name).catch((e) => t.o.store.error(`balancer remove ${member.name}`, e));
  }
  t.o.changed?.();
}

/** A member taken out (takeOut) that runs again (restored by the operation that stopped it): back into the balancer. */
export function putBack(t: MemberTable, name: string, detail: string): void {
  const member = t.all.get(name);
  if (!member || member.outSince === undefined) return;
  member.outSince = undefined;
  if (member.address && !member.inBalancer) {
    t.o.balancer.addBackend(member.name, member.address);
    member.inBalancer = true;
  }
  t.o.store.emit({ type: "vm", ts: t.now(), name: member.name, from: member.role, to: member.role, detail: `back in the balancer: ${detail}` });
  t.o.changed?.();
}

/**
 * The VM leaves the group as it is: out of the balancer at once, the member
 * dropped, the domain untouched (a snapshot with halt stopped it on purpose:
 * it stays defined, for the user to restore).
 */
export function release(t: MemberTable, name: string, detail: string): void {
  const member = t.all.get(name);
  if (!member) return;
  t.setRole(member, "stopped", detail);
  if (member.inBalancer) {
    member.inBalancer = false;
    // No drain: a stopped VM answers nothing.
    t.o.balancer.removeBackend(member.name).catch((e) => t.o.store.error(`balancer remove ${member.name}`, e));
  }
  t.all.delete(member.name);
  t.o.changed?.();
}

async function stopVm(t: MemberTable, m: Member, timeoutMs = t.o.shutdownTimeoutMs ?? 5000): Promise<void> {
  if (m.kind === "predefined") {
    // Not ours to undefine: stop it (forced after the timeout) and leave it defined.
    if (m.booted || m.role !== "warm") await t.o.vms.shutdown(m.name, { timeoutMs });
    return;
  }
  if (timeoutMs > 0 && m.booted && !m.paused) {
    try {
      await t.o.vms.shutdown(m.name, { timeoutMs });
    } catch {
      /* destroy below ends it anyway */
    }
  }
  await t.o.vms.destroy(m.name);
}

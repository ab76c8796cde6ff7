// The end of a run (Group.stop): what the group leaves on the host. With
// removeVms, every member is drained and destroyed + undefined (adopted ones
// too: the group owns them now; predefined ones this run started are shut
// down; one that ran before the run is left running, as found), then every
// other VM of the group libvirt still has (made through the API, found
// stopped, a member whose removal failed) is removed. A VM under an
// operation of this process is waited for first (bounded); one halted by a
// snapshot, or under another process's live mark, stays. With --keep, all
// stay. Every VM left gets its reason in the summary.
import { describeOperation } from "../store.ts";
import { errorMessage } from "../errors.ts";
import { markStale } from "../vm/operations.ts";
import type { GroupContext } from "./group-context.ts";
import { leave, markRemoved } from "./group-summary.ts";
import type { Member } from "./member.ts";
import type { VmOps } from "./ports.ts";

/** At the end of a run, how long a VM under an operation of this process (a snapshot, say) is waited for before it is left. */
const END_OPERATION_WAIT_MS = 60_000;

/** Remove (or, with --keep, list) what the group leaves; the members are the group's at the time stop() settled. */
export async function endRun(ctx: GroupContext, members: readonly Readonly<Member>[], opts: { removeVms: boolean }): Promise<void> {
  const predefined = new Set(members.filter((m) => m.kind === "predefined").map((m) => m.name));
  // Predefined domains running outside the group (started by someone else meanwhile, or the user's one that
  // stopped answering): read before the members go (the list is the last sample's), left as they are.
  const outside = ctx.o.config.scaler.source === "predefined" ? ctx.actuator.predefinedRunning().filter((n) => !predefined.has(n)) : [];
  // Source predefined: every PREFIX-NNNN domain is the user's (metadata or not), never undefined by the sweep below.
  const spared = (name: string) => predefined.has(name) || ctx.actuator.isPredefinedName(name);
  if (opts.removeVms) {
    await Promise.allSettled(members.map((m) => removeMember(ctx, m)));
    await removeLeftovers(ctx, spared);
  } else {
    for (const m of members) leave(ctx.summary, m.name, "kept (--keep): the next run of the group adopts it");
    await keepLeftovers(ctx, spared);
  }
  for (const name of outside) leave(ctx.summary, name, "a predefined domain running outside the group (not started by this run): left as found");
  // A group over several hosts: what is still defined on a host that is lost could not be removed; said, not hidden.
  for (const s of ctx.o.hosts?.stranded() ?? [])
    if (!ctx.summary.removed.includes(s.name))
      leave(ctx.summary, s.name, `on ${s.uri}, lost since ${new Date(s.since).toISOString()} (${s.reason ?? "no answer"}): not removed; a later run of the group that reaches that host removes it at its end, or virsh -c ${s.uri} undefine ${s.name}`);
}

/** A predefined member this run did not start (it ran before the run): not stopped at the end, the summary says why. */
const LEFT_AS_FOUND = "was running before this run (predefined, not started by it): left as found";

/**
 * Why a VM must stay as the run ends, or null: an operation of this process
 * on it is waited for first (bounded), then libvirt is asked: halted by a
 * snapshot (the user restores it), or under another process's live mark.
 */
async function keepReason(ctx: GroupContext, name: string): Promise<string | null> {
  const ops = ctx.o.store.operations;
  const t0 = Date.now();
  while (ops.get(name) && Date.now() - t0 < END_OPERATION_WAIT_MS) await new Promise((r) => setTimeout(r, 100));
  const op = ops.get(name);
  if (op) return `still under ${describeOperation(op, ctx.now())} after ${END_OPERATION_WAIT_MS / 1000} s`;
  const seen = ops.inspect(name);
  if (seen?.halted && seen.state !== "running") return `halted by a snapshot (${seen.halted.path}): restore it with virtscale restore`;
  if (seen?.mark && !markStale(seen.mark, Date.now())) return `under ${describeOperation(seen.mark, Date.now())}`;
  return null;
}

async function removeMember(ctx: GroupContext, m: Readonly<Member>): Promise<void> {
  const keep = (await keepReason(ctx, m.name)) ?? (m.kind === "predefined" && !m.startedByRun ? LEFT_AS_FOUND : null);
  if (keep) {
    leave(ctx.summary, m.name, keep);
    ctx.actuator.release(m, keep);
    return;
  }
  await ctx.actuator.retire(m, { reason: "run ends" });
  markRemoved(ctx.summary, m.name);
}

/**
 * After the members: every other VM of the group libvirt still has (made
 * through the API, stopped ones the group did not adopt, a member whose
 * removal failed) is removed, or left with the reason.
 */
async function removeLeftovers(ctx: GroupContext, spared: (name: string) => boolean): Promise<void> {
  const { o, summary, groupName: group } = ctx;
  let owned: Awaited<ReturnType<VmOps["listOwnedAsync"]>>;
  try {
    owned = await o.vms.listOwnedAsync();
  } catch (e) {
    o.store.error(`run ends: cannot list the VMs of group ${group} to remove what is left`, e);
    return;
  }
  const work = owned
    .filter((vm) => vm.group === group && !spared(vm.name))
    .map(async (vm) => {
      const keep = await keepReason(ctx, vm.name);
      if (keep) return leave(summary, vm.name, keep);
      const what = vm.role === "api" ? "made through the API" : `${vm.state ?? "in an unknown state"}, not in the group`;
      try {
        await o.vms.destroy(vm.name);
        markRemoved(summary, vm.name);
        o.store.log(`${vm.name}: removed as the run ends (${what})`);
      } catch (e) {
        summary.removed = summary.removed.filter((n) => n !== vm.name);
        leave(summary, vm.name, `${what}; removing it failed: ${errorMessage(e)}`);
        o.store.error(`run ends: remove ${vm.name}`, e);
      }
    });
  await Promise.allSettled(work);
}

/** --keep: the VMs of the group that are not members are listed too, with what they are. */
async function keepLeftovers(ctx: GroupContext, spared: (name: string) => boolean): Promise<void> {
  const { o, summary, groupName } = ctx;
  try {
    for (const vm of await o.vms.listOwnedAsync()) {
      if (vm.group !== groupName || spared(vm.name) || summary.left.includes(vm.name)) continue;
      leave(summary, vm.name, `kept (--keep): ${vm.role === "api" ? "made through the API" : `${vm.state ?? "in an unknown state"}, not in the group`}`);
    }
  } catch (e) {
    o.store.error(`run ends: cannot list the VMs of group ${groupName}`, e);
  }
}

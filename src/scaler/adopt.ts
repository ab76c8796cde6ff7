// Reconciling the group with what libvirt has: VMs of ours the group does not
// track are taken in. At start, the running VMs and the pool VMs of our group
// (VmManager.listOwned, our <metadata>), so a restarted virtscale starts
// nothing twice and touches nothing it does not own, and with source
// predefined every PREFIX-NNNN domain that runs already (metadata or not);
// then a periodic sweep for running ones it lost track of (a destroy that
// failed while libvirt was down); a VM restored from a snapshot (scaler.restored_join, or the API's
// `join`); a VM made through the API that asks to join. Members the user
// brought back this way are the last to go at scale-in.
import type { AddressFollower } from "./addresses.ts";
import { countActive } from "./classify.ts";
import type { DesiredSize } from "./desired.ts";
import type { GroupContext } from "./group-context.ts";
import { rejoined } from "./group-summary.ts";
import type { PoolSizes } from "./pool.ts";

type OwnedVm = { name: string; group?: string; role?: string; state?: string; address?: { host: string; port: number } | null };

export interface AdoptionDeps {
  sizes: PoolSizes;
  addresses: AddressFollower;
  /** The desired size: a VM that joins grows it by one. */
  size: DesiredSize;
  /** scaler.max (the API may change it). */
  max: () => number;
}

export class Adoption {
  /** Members that left the group halted by a snapshot, and the ones restored since: those are the last to go at scale-in (the user brought them back). */
  private readonly halted = new Set<string>();
  private readonly restored = new Set<string>();
  /** Per-restore join choices of the API, by save image path. */
  private readonly restoreJoin = new Map<string, boolean>();

  constructor(
    private readonly ctx: GroupContext,
    private readonly d: AdoptionDeps,
  ) {}

  /** A member left the group halted by a snapshot (deaths.ts): restored and adopted again later, it is one the user brought back. */
  leftHalted(name: string): void {
    this.halted.add(name);
  }

  /** Whether the user brought this VM back (restored from a snapshot): a scale-in takes it last. */
  isRestored(name: string): boolean {
    return this.restored.has(name);
  }

  /** At start: every VM of ours the group can take; `size` gets how many run (the desired size starts there). */
  async atStart(size: (running: number) => void): Promise<void> {
    const { ctx } = this;
    const group = ctx.groupName;
    for (const vm of await ctx.o.vms.listOwnedAsync()) this.adoptOne(vm, group, true);
    // Source predefined: the domains PREFIX-NNNN that run already (the user's, with or without our metadata) are members, not started again.
    if (ctx.o.config.scaler.source === "predefined") {
      for (const name of ctx.actuator.predefinedRunning()) {
        ctx.track(ctx.actuator.adoptRunning(name, null, "predefined"));
        ctx.o.claim?.(name);
        ctx.summary.adopted.push(name);
        ctx.o.store.log(`${name}: a predefined domain that runs already: a member as it is (shut down at scale-in, left running at the end)`);
      }
    }
    size([...ctx.actuator.members.values()].filter((m) => m.role === "starting").length);
    if (ctx.summary.adopted.length) ctx.o.store.log(`adopted ${ctx.summary.adopted.length} VM(s) of group ${group}: ${ctx.summary.adopted.join(", ")}`);
  }

  /**
   * Running VMs of our group that the group does not track (a destroy that failed
   * while libvirt was down, a VM restored from a snapshot): adopted, so nothing
   * of ours runs unaccounted; reconcile then retires what is over the desired size.
   */
  sweep(): void {
    const { ctx } = this;
    const group = ctx.groupName;
    // Through the worker, and inside the task: a failure (libvirt gone meanwhile) is logged as this task's, never thrown out of the step.
    ctx.track(
      (async () => {
        const owned = await ctx.o.vms.listOwnedAsync();
        if (ctx.stopped()) return;
        for (const vm of owned) if (vm.state === "running" && this.adoptOne(vm, group, false)) ctx.o.store.log(`adopted ${vm.name}: a running VM of group ${group} the group did not track`, "warn");
        // The same listing carries each guest's address on a libvirt network: a lease that changed moves its backend.
        for (const vm of owned) if (vm.state === "running" && vm.address) await this.d.addresses.follow(vm.name, vm.address);
      })(),
    );
  }

  /** Take one owned VM into the group: a running one joins once it answers; a saved one goes to the warm pool. */
  private adoptOne(vm: OwnedVm, group: string, initial: boolean): boolean {
    const { o, actuator, summary } = this.ctx;
    if (vm.group !== undefined && vm.group !== group) return false;
    // Only the roles the group itself gives: a VM made through the API (role "api") is the API's, not the scaler's.
    if (vm.role !== undefined && vm.role !== "serving" && vm.role !== "warm" && vm.role !== "hot") return false;
    if (actuator.members.has(vm.name)) return false;
    // Source predefined: a PREFIX-NNNN domain is predefined whatever its metadata says (shut down, never undefined).
    if (vm.state === "running") this.ctx.track(actuator.adoptRunning(vm.name, vm.address, actuator.isPredefinedName(vm.name) ? "predefined" : "adopted"));
    // A paused pool VM of ours (a hot tier of an earlier run): the hot pool again, ready to resume.
    else if (initial && vm.state === "paused" && vm.role === "hot" && actuator.canPause) actuator.adoptHot(vm.name, vm.address);
    else if (initial && (o.config.scaler.source === "warm" || this.d.sizes.warm > 0) && (vm.state === "shutoff" || vm.state === "saved")) actuator.adoptWarm(vm.name, vm.address);
    else return false;
    o.claim?.(vm.name);
    summary.adopted.push(vm.name);
    if (!initial && this.halted.delete(vm.name)) {
      this.restored.add(vm.name);
      o.store.log(`${vm.name}: restored after its snapshot and adopted again; at scale-in the others go first`);
      rejoined(summary, vm.name);
    }
    return true;
  }

  /**
   * The API's choice for one restore (POST /create with resume true and a
   * `join` field), by the save image's path: it wins over scaler.restored_join
   * when that restore's done event arrives.
   */
  setRestoreJoin(imagePath: string, join: boolean): void {
    this.restoreJoin.set(imagePath, join);
  }

  /** Snapshot restores that end (the dashboard, the CLI, the API) go to onRestored; returns the unsubscribe. */
  watchRestores(): () => void {
    return this.ctx.o.store.subscribe((ev) => {
      if (ev.type === "snapshot" && ev.action === "restore" && ev.status === "done") this.ctx.guard("restored VM", () => this.onRestored(ev.name, ev.path));
    });
  }

  /**
   * A VM was restored from a snapshot (the dashboard, the CLI's command line,
   * the API): with scaler.restored_join (or the request's `join`), it joins
   * the group as a serving member within max (the group grows by one, and it
   * is the last to go at scale-in); else, or at max, it stays a one-off VM
   * (role "api" in its metadata, so no sweep or restart adopts it).
   */
  private onRestored(name: string, path?: string): void {
    const { ctx } = this;
    if (ctx.stopped()) return;
    const asked = path !== undefined ? this.restoreJoin.get(path) : undefined;
    if (path !== undefined) this.restoreJoin.delete(path);
    const join = asked ?? ctx.o.config.scaler.restored_join;
    if (ctx.actuator.members.has(name)) return;
    // Only a VM of this group (a snapshot of another group's VM restored here is that group's business).
    let group: string | undefined;
    try {
      group = ctx.o.vms.get?.(name).group;
    } catch {
      return; // not virtscale's, or gone already
    }
    if (group !== undefined && group !== ctx.groupName) return;
    const alone = (why: string) => {
      try {
        ctx.o.vms.setRole?.(name, "api");
      } catch (e) {
        ctx.o.store.error(`${name}: cannot mark it a one-off VM (role api)`, e);
      }
      ctx.o.store.log(`${name}: restored from a snapshot; stays a one-off VM (${why})`);
    };
    if (!join) return alone(asked === false ? "the request said join: false" : "scaler.restored_join is false");
    const refused = this.join(name, "restored from a snapshot");
    if (refused) alone(refused);
    else {
      this.restored.add(name);
      this.halted.delete(name);
    }
  }

  /**
   * A running VM of ours made outside the scaler (restored from a snapshot,
   * or created through the API with join) joins the group as a serving
   * member: the group grows by one within max (no launch for it), its
   * metadata role becomes "serving" (a restart adopts it), and it enters the
   * balancer once it answers. Returns why it cannot (null: it joins).
   */
  join(name: string, what: string): string | null {
    const { ctx } = this;
    if (ctx.stopped()) return "the run is ending";
    if (ctx.actuator.members.has(name)) return null;
    const s = countActive(ctx.actuator.members.values(), ctx.actuator.waitingLaunches);
    const max = this.d.max();
    if (s.serving + s.starting >= max) return `the group is at max ${max}`;
    try {
      ctx.o.vms.setRole?.(name, "serving");
    } catch (e) {
      ctx.o.store.error(`${name}: cannot mark it a group member (role serving)`, e);
    }
    ctx.o.claim?.(name);
    if (!ctx.summary.adopted.includes(name)) ctx.summary.adopted.push(name);
    rejoined(ctx.summary, name);
    // Capacity the user added: the group grows by one (no launch), and the VM joins once it answers.
    const desired = this.d.size.grow(max);
    ctx.o.store.log(`${name}: ${what}; joins the group as a member (desired ${desired})`);
    ctx.track(ctx.actuator.adoptRunning(name));
    ctx.publish();
    return null;
  }
}

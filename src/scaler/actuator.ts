// The actuator: what it takes to add a VM to the group and to take one out,
// and the one writer of a Member. The group reads members through `members`
// (read-only) and asks for every change here, so one place keeps a member's
// fields consistent with its role. This class is the actuator's face; each
// way in or out has its own file, all writing through one MemberTable:
//   launch.ts     a scale-out: hot, warm, predefined or cold (template, clone)
//   join.ts       into the balancer once it answers; a lease that moves
//   retire.ts     drain, then back into a pool tier or removed; fail, take out
//   pool-fill.ts  refill a pool tier by one VM (boot, or promote warm to hot)
//   weights.ts    CPU weights as a VM moves between the pool and the group
// Below: adopting a VM of ours found in libvirt, and what the balancer says.
import type { Config } from "../config.ts";
import { usableAddress } from "../vm/address.ts";
import { errorMessage } from "../errors.ts";
import type { BackendHealth } from "./ports.ts";
import { poolCounts, type PoolCounts, type PoolTier } from "./pool.ts";
import type { Address, LaunchRecord, Member } from "./member.ts";
import { MemberTable, type ActuatorOptions } from "./member-table.ts";
import { launch } from "./launch.ts";
import { join, readdress } from "./join.ts";
import { fail, putBack, release, retire, takeOut } from "./retire.ts";
import { fill } from "./pool-fill.ts";

export type { Member, MemberKind, LaunchRecord } from "./member.ts";
export { StoppedError, CancelledError } from "./member.ts";
export type { ActuatorOptions } from "./member-table.ts";

export class Actuator {
  private readonly t: MemberTable;
  readonly launches: LaunchRecord[];

  constructor(o: ActuatorOptions) {
    this.t = new MemberTable(o);
    this.launches = this.t.launches;
  }

  get source(): Config["scaler"]["source"] {
    return this.t.source;
  }

  /** The group's VMs by name, read-only: changes go through the methods below. */
  get members(): ReadonlyMap<string, Readonly<Member>> {
    return this.t.all;
  }

  /** Launches that have no member yet (waiting for a VM entering the pool): the group counts them as starting. */
  get waitingLaunches(): number {
    return this.t.waitingLaunches;
  }

  /** From now on, waits for serving end at once (StoppedError) so that stop() does not wait for boots. */
  halt(): void {
    this.t.halt();
  }

  /** PREFIX-NNNN with the lowest number no member and no libvirt domain uses. */
  nextName(): string {
    return this.t.nextName();
  }

  /** Predefined domains not in the group and shut off, in number order. */
  predefinedCandidates(): string[] {
    return this.t.predefinedCandidates();
  }

  /** PREFIX-NNNN under source predefined: the user's domain, never undefined (member-table.ts). */
  isPredefinedName(name: string): boolean {
    return this.t.isPredefinedName(name);
  }

  /** Predefined domains not in the group that run, in number order (member-table.ts). */
  predefinedRunning(): string[] {
    return this.t.predefinedRunning();
  }

  /** Warm pool members ready to resume (booted and saved, no operation on them). */
  warmReady(): Readonly<Member>[] {
    return this.t.warmReady();
  }

  /** Members per pool tier (pool.ts). */
  poolCounts(): PoolCounts {
    return poolCounts(this.t.all.values());
  }

  /** Whether the VM layer can pause and resume VMs (the hot tier). */
  get canPause(): boolean {
    return this.t.canPause;
  }

  warmCount(): number {
    return this.t.pool().length;
  }

  /** Whether this group keeps a pool (the group says so), for the "pool empty" warning. */
  setPoolWanted(on: boolean): void {
    this.t.poolWanted = on;
  }

  /** Add one VM to the group; resolves when it serves (or failed, recorded). */
  launch(decisionAt: number): Promise<LaunchRecord> {
    return launch(this.t, decisionAt);
  }

  /** A serving member's guest got another address (a new DHCP lease): the balancer follows it. Returns whether it moved. */
  readdress(name: string, to: Address): Promise<boolean> {
    return readdress(this.t, name, to);
  }

  /** Take a VM out: drain, then into a pool tier, shut down, or destroy + undefine (retire.ts). */
  retire(m: Member, opts: { toPool?: boolean; tier?: PoolTier | null; reason?: string } = {}): Promise<void> {
    return retire(this.t, m, opts);
  }

  /** A VM died or stopped answering: out of the balancer at once, its domain cleaned up, the member dropped. */
  fail(m: Member, detail: string): Promise<void> {
    return fail(this.t, m, detail);
  }

  /** Its QEMU process ended: out of the balancer at once, no libvirt call; libvirt's verdict follows (retire.ts). */
  takeOut(m: Readonly<Member>, detail: string): void {
    takeOut(this.t, m.name, detail);
  }

  /** A member taken out (takeOut) that runs again (restored by the operation that stopped it): back into the balancer. */
  putBack(m: Readonly<Member>, detail: string): void {
    putBack(this.t, m.name, detail);
  }

  /** The VM leaves the group as it is (halted by a snapshot): out of the balancer, the member dropped, the domain untouched. */
  release(m: Readonly<Member>, detail: string): void {
    release(this.t, m.name, detail);
  }

  /** Refill the warm pool by one VM: create, wait until it serves (booted), managed save. */
  fillWarm(): Promise<string | undefined> {
    return this.fill("warm", "boot");
  }

  /** Refill a pool tier by one VM (pool-fill.ts); resolves with the failure's message, or undefined. */
  fill(tier: PoolTier, from: "boot" | "warm"): Promise<string | undefined> {
    return fill(this.t, tier, from);
  }

  /**
   * A running VM of ours the group does not track (at start, or found later),
   * or a predefined domain that runs as the group starts (kind "predefined"):
   * it joins the balancer once it answers, else it is failed. Added at once
   * (before the first await), so the caller sees it in `members` right away.
   */
  async adoptRunning(name: string, address?: Address | null, kind: "adopted" | "predefined" = "adopted"): Promise<void> {
    const t = this.t;
    // A predefined domain running before the run (startedByRun false): shut down at scale-in, never undefined, left as found at the end.
    const m = t.add(name, kind, "starting");
    m.booted = true;
    m.address = usableAddress(address) ?? undefined;
    const rec: LaunchRecord = { name, how: "adopted", decisionAt: t.now() };
    t.launches.push(rec);
    m.busy = true;
    try {
      await join(t, m);
      rec.servingAt = t.now();
    } catch (e) {
      rec.error = errorMessage(e);
      if (!t.stopping) await fail(t, m, `adopted VM does not answer: ${rec.error}`);
    } finally {
      m.busy = false;
    }
  }

  /** A saved or shut-off VM of ours found at start: it joins the warm pool. */
  adoptWarm(name: string, address?: Address | null): void {
    const m = this.t.add(name, "warm", "warm");
    m.address = usableAddress(address) ?? undefined;
  }

  /** A paused VM of ours marked "hot" found at start: it joins the hot pool (booted, ready to resume). */
  adoptHot(name: string, address?: Address | null): void {
    const m = this.t.add(name, "adopted", "hot");
    m.booted = true;
    m.paused = true;
    m.address = usableAddress(address) ?? undefined;
  }

  /**
   * Record what the balancer reports of a member: its answers (on time or late)
   * and since when it is unhealthy. An overloaded VM is slow and marked
   * unhealthy by the balancer, but it still answers; a broken one does not.
   */
  observe(m: Member, b: BackendHealth | undefined, now: number): void {
    const answers = b ? b.answered + b.late : 0;
    if (m.answers === undefined || answers > m.answers) m.lastAnswerAt = now;
    m.answers = answers;
    if (b?.state === "unhealthy") m.unhealthySince ??= now;
    else m.unhealthySince = undefined;
  }
}

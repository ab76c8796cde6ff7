// The actuator: what it takes to add a VM to the group and to take one out.
//
// In: a VM joins the balancer only once it answers the protocol
// (VmManager.waitServing). Where it comes from depends on scaler.source:
//   template    VmManager.create (define + boot from the guest image): a cold boot
//   warm        a managed-saved VM of the warm pool, started (= resumed, already
//               booted); the pool is refilled in the background
//               (create -> wait serving -> managedSave); empty pool -> cold boot
//   predefined  the next shut-off domain named PREFIX-NNNN (the assignment's way),
//               started in order; its address from its metadata, else the config
// Out: drained first (Balancer.removeBackend resolves when in-flight requests
// are answered), then shut down (destroyed after a timeout); VMs of ours are
// undefined, predefined ones stay defined; with a pool tier below its size a
// leaving VM goes back into it instead (paused into hot, managed-saved into warm).
// Pool tiers (pool.ts): a scale-out takes a hot VM (paused: resume + one
// answer), else a warm one, else boots cold; fill() refills a tier.
// A launch can be cancelled: retire() of a VM still starting fires its
// AbortSignal, the launch ends as "cancelled" (no error, no retry delay) and
// the retire removes the VM.
//
// The actuator alone writes a Member (role, flags, what the balancer last said
// of it); the group reads them through `members` and asks for changes here, so
// one place keeps a member's fields consistent with its role.
import type { Config } from "../config.ts";
import { BusyError, type Store } from "../store.ts";
import type { VmRole } from "../events.ts";
import { formatName, namePattern } from "../vm/ports.ts";
import { waitServing as probeAddress } from "../vm/ready.ts";
import { usableAddress } from "../vm/address.ts";
import { serviceCheckOf } from "../protocol/service.ts";
import type { BackendHealth, BalancerOps, VmOps } from "./ports.ts";
import { errorMessage } from "../errors.ts";
import { pickForLaunch, poolCounts, type PoolCounts, type PoolTier } from "./pool.ts";

export type MemberKind = "template" | "warm" | "predefined" | "adopted";
type Address = { host: string; port: number };

export interface Member {
  name: string;
  role: VmRole;
  kind: MemberKind;
  /** This run defined the domain (it is removed when the run ends). */
  createdByRun: boolean;
  /** This run started a domain it did not define (predefined): shut down when the run ends. */
  startedByRun: boolean;
  address?: Address;
  /** libvirt has started it (from then on a dead state means it died). */
  booted: boolean;
  /** In the balancer. */
  inBalancer: boolean;
  /** An operation runs on it (launch, retire, fill): the reconciler leaves it alone. */
  busy: boolean;
  /** Paused (the hot pool): no graceful shutdown (a paused guest cannot see the power button), it is destroyed. */
  paused?: boolean;
  /** Pool member still being prepared (booting before its managed save or pause, or promoted from warm to hot). */
  filling?: boolean;
  unhealthySince?: number;
  /** Taken out of the balancer because its QEMU process ended (takeOut), until libvirt's verdict: fail, release, or putBack. */
  outSince?: number;
  /** Answers (on time + late) the balancer has counted from it, and when that last grew. */
  answers?: number;
  lastAnswerAt?: number;
  roleSince: number;
}

/** One scale-out, for the summary and the bench. */
export interface LaunchRecord {
  name: string;
  /** clone: a cold boot of a linked clone of the user's template domain (scaler.template). */
  how: "cold" | "clone" | "hot" | "warm" | "predefined" | "adopted";
  decisionAt: number;
  /** Retired while starting (a scale-in took it): not an error, nothing to retry. */
  cancelled?: boolean;
  startedAt?: number;
  servingAt?: number;
  /** Decision to first correct protocol answer (ms). */
  decisionToServingMs?: number;
  error?: string;
}

export class StoppedError extends Error {
  constructor() {
    super("group stopping");
    this.name = "StoppedError";
  }
}

/** A launch whose VM was retired before it served (the scale-in took it): ends the launch quietly. */
export class CancelledError extends Error {
  constructor(name: string, why: string) {
    super(`launch of ${name} cancelled: ${why}`);
    this.name = "CancelledError";
  }
}

export interface ActuatorOptions {
  vms: VmOps;
  balancer: BalancerOps;
  config: Config;
  store: Store;
  now?: () => number;
  /** Names of every domain libvirt knows (so new names never collide). */
  knownDomains: () => Map<string, string>;
  /** Shutdown grace before destroy when a VM leaves (ms). */
  shutdownTimeoutMs?: number;
  /** Called after every role change (the group republishes its view). */
  changed?: () => void;
  /** Serving check for an address VmManager does not know (predefined domains without our metadata). */
  probe?: (addr: { host: string; port: number }, timeoutMs: number) => Promise<number>;
  /** A launch or pool fill failure the caller already says (a crash loop's repeat, backoff.ts): true leaves out the actuator's own error line. */
  quietFailure?: (name: string, message: string) => boolean;
  /** CPU weights (capacity.ts): pool refills are made at `low`, a VM joining from the pool is raised to `normal`, one retiring into it lowered first; null: no weights here. */
  weights?: () => { low: number; normal: number } | null;
}

export class Actuator {
  private readonly all = new Map<string, Member>();
  readonly launches: LaunchRecord[] = [];
  private stopping = false;
  private stopWaiters = new Set<(e: Error) => void>();
  private readonly now: () => number;
  private readonly prefix: string;
  private readonly digits: number;
  /** Numbers are not reused within a run (a failed VM's name stays burnt until the next run). */
  private nextIndex = 0;
  /** Launches in flight by member name: retire() cancels one and waits for it to end. */
  private readonly launching = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Retires into a pool tier under way: a launch that finds no ready pool VM waits for one of these instead of booting cold. */
  private readonly entering = new Map<string, Promise<void>>();
  /** Launches that have no member yet (waiting for a VM entering the pool): the group counts them as starting. */
  waitingLaunches = 0;

  constructor(private readonly o: ActuatorOptions) {
    this.now = o.now ?? (() => Date.now());
    this.prefix = o.config.auto_scaler_domain_prefix;
    this.digits = o.config.auto_scaler_vm_num_digits;
  }

  get source(): Config["scaler"]["source"] {
    return this.o.config.scaler.source;
  }

  /** The group's VMs by name, read-only: changes go through the methods below. */
  get members(): ReadonlyMap<string, Readonly<Member>> {
    return this.all;
  }

  /** From now on, waits for serving end at once (StoppedError) so that stop() does not wait for boots. */
  halt(): void {
    this.stopping = true;
    for (const w of this.stopWaiters) w(new StoppedError());
    this.stopWaiters.clear();
  }

  private setRole(m: Member, role: VmRole, detail?: string): void {
    if (m.role === role) return;
    const from = m.role;
    m.role = role;
    m.roleSince = this.now();
    this.o.store.emit({ type: "vm", ts: this.now(), name: m.name, from, to: role, detail });
    this.o.store.patchVm(m.name, { role });
    this.o.changed?.();
  }

  /** PREFIX-NNNN with the lowest number no member and no libvirt domain uses. */
  nextName(): string {
    const known = this.o.knownDomains();
    for (let i = this.nextIndex; i < 10 ** this.digits; i++) {
      const name = formatName(this.prefix, this.digits, i);
      if (!known.has(name) && !this.all.has(name)) {
        this.nextIndex = i + 1;
        return name;
      }
    }
    throw new Error(`no free name left for prefix ${this.prefix} with ${this.digits} digits`);
  }

  /** Predefined domains not in the group and shut off, in number order. */
  predefinedCandidates(): string[] {
    const re = namePattern(this.prefix, this.digits);
    return [...this.o.knownDomains()]
      .filter(([name, state]) => re.test(name) && !this.all.has(name) && state === "shutoff")
      .map(([name]) => name)
      .sort();
  }

  /** Warm pool members ready to resume (booted and saved, no operation on them). */
  warmReady(): Readonly<Member>[] {
    return this.pool().filter((m) => !m.filling && !m.busy);
  }

  /** Members per pool tier (pool.ts). */
  poolCounts(): PoolCounts {
    return poolCounts(this.all.values());
  }

  /** Whether the VM layer can pause and resume VMs (the hot tier). */
  get canPause(): boolean {
    return typeof this.o.vms.suspend === "function" && typeof this.o.vms.resume === "function";
  }

  warmCount(): number {
    return this.pool().length;
  }

  private pool(): Member[] {
    return [...this.all.values()].filter((m) => m.role === "warm");
  }

  /** Add one VM to the group; resolves when it serves (or failed, recorded). */
  async launch(decisionAt: number): Promise<LaunchRecord> {
    const rec: LaunchRecord = { name: "", how: "cold", decisionAt };
    this.launches.push(rec);
    let m: Member | undefined;
    const abort = new AbortController();
    let settled!: () => void;
    const done = new Promise<void>((r) => (settled = r));
    /** The member this launch adds or takes, registered so that retire() can cancel it. */
    const own = (x: Member): Member => {
      this.launching.set(x.name, { abort, done });
      return x;
    };
    try {
      let ready = this.source !== "predefined" ? pickForLaunch(this.all.values()) : undefined;
      if (!ready && this.entering.size > 0) ready = await this.enteredPool();
      if (ready?.role === "hot") {
        m = own(ready);
        m.busy = true;
        rec.how = "hot";
        rec.name = m.name;
        this.setRole(m, "starting", "resuming from the hot pool (paused)");
        await this.o.vms.resume!(m.name);
        await this.weigh(m.name, "normal");
        m.paused = false;
      } else if (ready) {
        m = own(ready);
        m.busy = true;
        rec.how = "warm";
        rec.name = m.name;
        this.setRole(m, "starting", "resuming from the warm pool");
        await this.o.vms.start(m.name);
        await this.weigh(m.name, "normal");
      } else if (this.source === "predefined") {
        const name = this.predefinedCandidates()[0];
        if (!name) throw new Error(`no shut-off predefined domain ${this.prefix}-${"N".repeat(this.digits)} left to start`);
        rec.how = "predefined";
        rec.name = name;
        m = own(this.add(name, "predefined", "starting", { startedByRun: true }));
        await this.o.vms.start(name);
      } else {
        const name = this.nextName();
        rec.name = name;
        if (this.poolWanted) this.o.store.log(`pool empty: cold boot of ${name}`, "warn");
        m = own(this.add(name, "template", "starting", { createdByRun: true }));
        const vm = await this.o.vms.create({ name, role: "serving" });
        // Network mode: no address until the guest's DHCP lease (0.0.0.0:0 until then): join() waits for it.
        m.address = usableAddress(vm.address) ?? undefined;
        if (vm.clone) {
          // A linked clone of the user's template: which overlays it runs on, and how they were made (its retire removes them with it).
          rec.how = "clone";
          this.o.store.log(`${name}: linked clone of template ${vm.clone.template}: ${vm.clone.overlays.map((o) => `${o.path} (${o.via})`).join(", ") || "no writable disk"}`);
        }
      }
      if (abort.signal.aborted) throw abort.signal.reason;
      m.booted = true;
      rec.startedAt = this.now();
      await this.join(m, abort.signal);
      rec.servingAt = this.now();
      rec.decisionToServingMs = rec.servingAt - decisionAt;
      return rec;
    } catch (e) {
      // Cancelled by retire(): the VM is the retire's now (it removes it); not an error, no retry delay.
      if (abort.signal.aborted) {
        rec.cancelled = true;
        return rec;
      }
      rec.error = errorMessage(e);
      if (m && !(e instanceof StoppedError)) {
        if (!this.o.quietFailure?.(m.name, rec.error)) this.o.store.error(`launch ${m.name}`, e);
        // Always removed: a failed launch leaves nothing running on the host.
        await this.fail(m, `launch failed: ${rec.error}`);
      }
      return rec;
    } finally {
      if (m && this.launching.get(m.name)?.abort === abort) this.launching.delete(m.name);
      if (m && !abort.signal.aborted) m.busy = false;
      settled();
    }
  }

  /** Whether this group keeps a pool (the group says so: setPoolWanted), for the "pool empty" warning. */
  private poolWanted = false;
  setPoolWanted(on: boolean): void {
    this.poolWanted = on;
  }

  /** A launch with no ready pool VM waits for the retires into the pool under way (a drain, then a pause or save), then takes one if it is ready. */
  private async enteredPool(): Promise<Member | undefined> {
    this.waitingLaunches++;
    this.o.changed?.();
    try {
      while (this.entering.size > 0) {
        await Promise.race(this.entering.values());
        const ready = pickForLaunch(this.all.values());
        if (ready) return ready;
      }
      return undefined;
    } finally {
      this.waitingLaunches--;
    }
  }

  /** Wait until the VM answers the protocol, then put it in the balancer (unless `signal` fired meanwhile). */
  private async join(m: Member, signal?: AbortSignal): Promise<void> {
    const t0 = this.now();
    const timeoutMs = this.o.config.scaler.ready_timeout_s * 1000;
    const known = usableAddress(m.address) ?? (await this.addressNow(m.name));
    // On a libvirt network, a guest without its lease yet has no address: waitServing waits for it.
    if (known || this.o.config.vm.network === "network") {
      if (known) m.address = known;
      await this.untilStopped(untilAborted(this.o.vms.waitServing(m.name, timeoutMs, { signal }), signal));
      // The address it answered on (a network guest's lease, read after it served): what the balancer sends to.
      const served = usableAddress(m.address) && !this.onNetwork(m.address!) ? m.address : await this.addressNow(m.name);
      if (served) m.address = served;
      if (!usableAddress(m.address)) throw new Error(`${m.name}: it answered, but libvirt reports no address for it any more (lease, ARP, agent)`);
    } else {
      // Not ours (a predefined domain without virtscale metadata): probe the address the config gives it.
      const addr = this.configAddress(m.name);
      if (!addr) throw new Error(`${m.name}: no service address (no virtscale metadata and no address in the config)`);
      m.address = addr;
      const probe = this.o.probe ?? ((a, t) => probeAddress(a, { scale: this.o.config.vm.work_scale, check: serviceCheckOf(this.o.config), timeoutMs: t }));
      await this.untilStopped(untilAborted(probe(addr, timeoutMs), signal));
    }
    if (signal?.aborted) throw signal.reason;
    // server_up_time (the assignment's grace, unset by default): not in the balancer before this long after its start, however early it answers.
    const graceMs = (this.o.config.server_up_time ?? 0) * 1000 - (this.now() - t0);
    if (graceMs > 0) {
      await this.untilStopped(untilAborted(new Promise<void>((r) => setTimeout(r, graceMs)), signal));
      if (signal?.aborted) throw signal.reason;
    }
    const addr = m.address!;
    this.o.balancer.addBackend(m.name, addr);
    m.inBalancer = true;
    this.setRole(m, "serving", `answers on ${addr.host}:${addr.port} after ${((this.now() - t0) / 1000).toFixed(1)} s; joined the balancer`);
  }

  /** The VM's address as libvirt reports it now (off the caller's thread where the VM layer can), or null (no lease yet). */
  private async addressNow(name: string): Promise<Address | null> {
    const vms = this.o.vms;
    return usableAddress(vms.addressOfAsync ? await vms.addressOfAsync(name) : vms.addressOf(name));
  }

  /** Not a loopback forward: a guest's address on a libvirt network, which can change with its lease. */
  private onNetwork(a: Address): boolean {
    return !a.host.startsWith("127.") && a.host !== "::1";
  }

  /**
   * A serving member's guest got another address (a new DHCP lease): the
   * balancer sends to the new one from now on. The old backend drains first
   * (what is in flight to the old address is answered or times out), then
   * the member enters again at the new address. Returns whether it moved.
   */
  async readdress(name: string, to: Address): Promise<boolean> {
    const m = this.all.get(name);
    const next = usableAddress(to);
    if (!m || !next || m.busy || !m.address || (m.address.host === next.host && m.address.port === next.port)) return false;
    const from = m.address;
    m.address = next;
    const detail = `address changed: ${from.host}:${from.port} -> ${next.host}:${next.port} (libvirt's lease)`;
    this.o.store.emit({ type: "vm", ts: this.now(), name, from: m.role, to: m.role, detail });
    if (m.inBalancer) {
      m.inBalancer = false;
      await this.o.balancer.removeBackend(name);
      // Still serving, and not moved again meanwhile: back in at the new address.
      if (this.all.get(name) === m && m.role === "serving" && m.address === next && m.outSince === undefined) {
        this.o.balancer.addBackend(name, next);
        m.inBalancer = true;
      }
    }
    this.o.changed?.();
    return true;
  }

  /** Predefined domains without virtscale metadata: the config's loopback forward PORT_BASE + N. */
  private configAddress(name: string): Address | null {
    const m = new RegExp(`-(\\d{${this.digits}})$`).exec(name);
    if (m && this.o.config.vm.network === "user") return { host: "127.0.0.1", port: this.o.config.vm.port_base + Number(m[1]) };
    return null;
  }

  /**
   * Take a VM out: drain, then back to the warm pool, shut down, or destroy +
   * undefine. It runs as an operation in the store's registry ("pause" for a
   * save into the pool, else "shutdown"), taken before the first await, so the
   * group's death handling (a stopped or saved domain, a lifecycle event)
   * and the API leave the VM alone meanwhile. Under another operation (a
   * snapshot from the dashboard or the API), it is not retired now.
   */
  async retire(m: Member, opts: { toPool?: boolean; tier?: PoolTier | null; reason?: string } = {}): Promise<void> {
    // Only a VM that served goes into a pool (a launch still under way is cancelled and removed); hot needs pause/resume.
    const launch = this.launching.get(m.name);
    let tier: PoolTier | null = opts.tier ?? (opts.toPool ? "warm" : null);
    if (launch || m.kind === "predefined" || !m.booted || m.role !== "serving" || (tier === "hot" && !this.canPause)) tier = null;
    const toPool = tier !== null;
    let op;
    try {
      op = this.o.store.operations.begin(m.name, toPool ? "pause" : "shutdown", "scaler");
    } catch (e) {
      if (!(e instanceof BusyError)) throw e;
      this.o.store.log(`${m.name}: not retired now (${opts.reason ?? "retire"}): ${e.message}`, "warn");
      return;
    }
    m.busy = true;
    this.setRole(m, "draining", opts.reason);
    const work = (async () => {
      try {
        if (launch) {
          // Still starting: its launch ends first (cancelled, quietly), then the VM is removed.
          launch.abort.abort(new CancelledError(m.name, opts.reason ?? "retired"));
          await launch.done;
        }
        if (m.inBalancer) {
          await this.o.balancer.removeBackend(m.name);
          m.inBalancer = false;
        }
        if (tier === "hot") {
          await this.weigh(m.name, "low");
          await this.o.vms.suspend!(m.name);
          m.paused = true;
          this.markRole(m.name, "hot");
          this.setRole(m, "hot", "drained and paused into the hot pool");
          return;
        }
        if (tier === "warm") {
          await this.weigh(m.name, "low");
          await this.o.vms.managedSave(m.name);
          await this.weighSaved(m.name);
          m.kind = "warm";
          m.booted = false;
          this.setRole(m, "warm", "drained and managed-saved back into the warm pool");
          return;
        }
        await this.stopVm(m);
        this.all.delete(m.name);
      } catch (e) {
        this.o.store.error(`retire ${m.name}`, e);
        await this.fail(m, `retire failed: ${errorMessage(e) ?? e}`);
      } finally {
        m.busy = false;
        this.o.store.operations.end(op);
        this.o.changed?.();
      }
    })();
    if (!toPool) return work;
    // A launch that finds the pool empty meanwhile waits for this one instead of booting cold.
    this.entering.set(m.name, work);
    try {
      await work;
    } finally {
      this.entering.delete(m.name);
    }
  }

  /** The role in the VM's ownership metadata (what a restart adopts it as); a failure costs that, not the pool VM. */
  private markRole(name: string, role: string): void {
    try {
      this.o.vms.setRole?.(name, role);
    } catch (e) {
      this.o.store.error(`${name}: cannot mark it '${role}' in its metadata (a restart would not adopt it as such)`, e);
    }
  }

  /** A VM died or stopped answering: out of the balancer at once, its domain cleaned up, the member dropped. */
  async fail(m: Member, detail: string): Promise<void> {
    m.busy = true;
    this.setRole(m, "failed", detail);
    if (m.inBalancer) {
      m.inBalancer = false;
      // Do not wait for the drain: a dead VM answers nothing.
      this.o.balancer.removeBackend(m.name).catch((e) => this.o.store.error(`balancer remove ${m.name}`, e));
    }
    try {
      await this.stopVm(m, 0);
    } catch (e) {
      this.o.store.error(`clean up ${m.name}`, e);
    }
    this.all.delete(m.name);
  }

  /**
   * Its QEMU process ended: out of the balancer at once (nothing can answer),
   * no libvirt call (libvirt holds the domain while it cleans up, ~1.2 s here,
   * and a call would wait that long on this thread). The member stays until
   * libvirt says what happened (its STOPPED event, or the next sample): then
   * fail() (died), release() (halted by a snapshot) or putBack() (running again).
   */
  takeOut(m: Readonly<Member>, detail: string): void {
    const member = this.all.get(m.name);
    if (!member || member.outSince !== undefined) return;
    member.outSince = this.now();
    this.o.store.emit({ type: "vm", ts: this.now(), name: member.name, from: member.role, to: member.role, detail: `out of the balancer: ${detail}` });
    if (member.inBalancer) {
      member.inBalancer = false;
      this.o.balancer.removeBackend(member.name).catch((e) => this.o.store.error(`balancer remove ${member.name}`, e));
    }
    this.o.changed?.();
  }

  /** A member taken out (takeOut) that runs again (restored by the operation that stopped it): back into the balancer. */
  putBack(m: Readonly<Member>, detail: string): void {
    const member = this.all.get(m.name);
    if (!member || member.outSince === undefined) return;
    member.outSince = undefined;
    if (member.address && !member.inBalancer) {
      this.o.balancer.addBackend(member.name, member.address);
      member.inBalancer = true;
    }
    this.o.store.emit({ type: "vm", ts: this.now(), name: member.name, from: member.role, to: member.role, detail: `back in the balancer: ${detail}` });
    this.o.changed?.();
  }

  /**
   * The VM leaves the group as it is: out of the balancer at once, the member
   * dropped, the domain untouched (a snapshot with halt stopped it on purpose:
   * it stays defined, for the user to restore).
   */
  release(m: Readonly<Member>, detail: string): void {
    const member = this.all.get(m.name);
    if (!member) return;
    this.setRole(member, "stopped", detail);
    if (member.inBalancer) {
      member.inBalancer = false;
      // No drain: a stopped VM answers nothing.
      this.o.balancer.removeBackend(member.name).catch((e) => this.o.store.error(`balancer remove ${member.name}`, e));
    }
    this.all.delete(member.name);
    this.o.changed?.();
  }

  private async stopVm(m: Member, timeoutMs = this.o.shutdownTimeoutMs ?? 5000): Promise<void> {
    if (m.kind === "predefined") {
      // Not ours to undefine: stop it (forced after the timeout) and leave it defined.
      if (m.booted || m.role !== "warm") await this.o.vms.shutdown(m.name, { timeoutMs });
      return;
    }
    if (timeoutMs > 0 && m.booted && !m.paused) {
      try {
        await this.o.vms.shutdown(m.name, { timeoutMs });
      } catch {
        /* destroy below ends it anyway */
      }
    }
    await this.o.vms.destroy(m.name);
  }

  /**
   * A VM's CPU weight (cgroup cpu shares, live): pool VMs low, members normal.
   * A failure is logged, never fatal: the VM works either way.
   */
  private async weigh(name: string, to: "low" | "normal"): Promise<void> {
    const w = this.o.weights?.();
    if (!w || !this.o.vms.setCpuShares) return;
    try {
      await this.o.vms.setCpuShares(name, w[to]);
    } catch (e) {
      this.o.store.error(`${name}: set CPU weight ${to} (${w[to]} shares)`, e);
    }
  }

  /**
   * A pool VM is booted and saved at low weight, but a scale-out restores it:
   * its managed-save image gets the serving weight, so that the restore (RAM
   * loaded back, on the scale-out's critical path) does not run at low weight.
   */
  private async weighSaved(name: string): Promise<void> {
    const w = this.o.weights?.();
    if (!w || !this.o.vms.setSavedCpuShares) return;
    try {
      await this.o.vms.setSavedCpuShares(name, w.normal);
    } catch (e) {
      this.o.store.error(`${name}: set the saved image's CPU weight (${w.normal} shares)`, e);
    }
  }

  /** Refill the warm pool by one VM: create, wait until it serves (booted), managed save. */
  fillWarm(): Promise<string | undefined> {
    return this.fill("warm", "boot");
  }

  /**
   * Refill a pool tier by one VM (pool.ts nextFill). From a boot: create,
   * wait until it serves, then managed save (warm) or pause (hot). From warm
   * (hot only): a ready warm VM is started, answers, and is paused: a
   * promotion in ~1 s instead of a boot. The pause or save runs as an
   * operation: the domain stopping or pausing is ours, not a death.
   */
  async fill(tier: PoolTier, from: "boot" | "warm"): Promise<string | undefined> {
    const promoted = from === "warm" && tier === "hot" ? this.warmReady()[0] : undefined;
    let m: Member;
    if (promoted) {
      m = this.all.get(promoted.name)!;
      m.filling = true;
      m.busy = true;
      this.setRole(m, "hot", "promoting from the warm pool to the hot pool");
    } else {
      m = this.add(this.nextName(), tier === "hot" ? "template" : "warm", tier, { createdByRun: true });
      m.filling = true;
      m.busy = true;
    }
    const name = m.name;
    const timeoutMs = this.o.config.scaler.ready_timeout_s * 1000;
    try {
      if (promoted) await this.o.vms.start(name);
      else {
        const low = this.o.weights?.()?.low;
        const vm = await this.o.vms.create({ name, role: tier, ...(low !== undefined ? { cpuShares: low } : {}) });
        m.address = usableAddress(vm.address) ?? undefined;
      }
      m.booted = true;
      await this.untilStopped(this.o.vms.waitServing(name, timeoutMs));
      if (tier === "hot") {
        await this.o.store.operations.run(name, "pause", "scaler", () => this.o.vms.suspend!(name));
        m.paused = true;
        if (promoted) this.markRole(name, "hot");
      } else {
        await this.o.store.operations.run(name, "pause", "scaler", () => this.o.vms.managedSave(name));
        await this.weighSaved(name);
        m.booted = false;
      }
      m.filling = false;
      const how = tier === "hot" ? (promoted ? "started from its save, answered and paused into the hot pool" : "booted, answered and paused into the hot pool") : "booted and managed-saved into the warm pool";
      this.o.store.emit({ type: "vm", ts: this.now(), name, from: tier, to: tier, detail: how });
    } catch (e) {
      if (!(e instanceof StoppedError)) {
        const why = errorMessage(e) ?? String(e);
        if (!this.o.quietFailure?.(name, why)) this.o.store.error(`${tier} pool ${name}`, e);
        await this.fail(m, `${tier} pool fill failed: ${why}`);
        return why;
      }
    } finally {
      m.busy = false;
      // Ready now: the dashboard's pool figures say so at once, not at the next step.
      this.o.changed?.();
    }
    return undefined;
  }

  /**
   * A running VM of ours the group does not track (at start, or found later):
   * it joins the balancer once it answers, else it is failed. Added at once
   * (before the first await), so the caller sees it in `members` right away.
   */
  async adoptRunning(name: string, address?: Address | null): Promise<void> {
    const m = this.add(name, "adopted", "starting");
    m.booted = true;
    m.address = usableAddress(address) ?? undefined;
    const rec: LaunchRecord = { name, how: "adopted", decisionAt: this.now() };
    this.launches.push(rec);
    m.busy = true;
    try {
      await this.join(m);
      rec.servingAt = this.now();
    } catch (e) {
      rec.error = errorMessage(e);
      if (!this.stopping) await this.fail(m, `adopted VM does not answer: ${rec.error}`);
    } finally {
      m.busy = false;
    }
  }

  /** A saved or shut-off VM of ours found at start: it joins the warm pool. */
  adoptWarm(name: string, address?: Address | null): void {
    const m = this.add(name, "warm", "warm");
    m.address = usableAddress(address) ?? undefined;
  }

  /** A paused VM of ours marked "hot" found at start: it joins the hot pool (booted, ready to resume). */
  adoptHot(name: string, address?: Address | null): void {
    const m = this.add(name, "adopted", "hot");
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

  private add(name: string, kind: MemberKind, role: VmRole, flags: { createdByRun?: boolean; startedByRun?: boolean } = {}): Member {
    const m: Member = {
      name,
      role,
      kind,
      createdByRun: flags.createdByRun ?? false,
      startedByRun: flags.startedByRun ?? false,
      booted: false,
      inBalancer: false,
      busy: false,
      roleSince: this.now(),
    };
    this.all.set(name, m);
    this.o.changed?.();
    this.o.store.emit({ type: "vm", ts: this.now(), name, to: role, detail: `${kind}${flags.createdByRun ? ", created by this run" : ""}` });
    return m;
  }

  private untilStopped<T>(p: Promise<T>): Promise<T> {
    if (this.stopping) return abandon(p, new StoppedError());
    return new Promise<T>((resolve, reject) => {
      const w = (e: Error) => reject(e);
      this.stopWaiters.add(w);
      p.then(resolve, reject).finally(() => this.stopWaiters.delete(w));
    });
  }
}

/**
 * A rejection with `reason` instead of p, p's own end ignored. p still runs
 * (a wait that the run's end or a cancel overtook) and must not reject
 * unhandled: Bun ends the process on that, in the middle of the run's cleanup
 * (seen: a run stopped while its VMs booted exited 1 and left both on the host).
 */
function abandon<T>(p: Promise<unknown>, reason: unknown): Promise<T> {
  p.catch(() => {});
  return Promise.reject(reason);
}

/** p, or the signal's reason as soon as it fires (a VmOps whose wait does not take the signal still ends at once). */
function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return abandon(p, signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

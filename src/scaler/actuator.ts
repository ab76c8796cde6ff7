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
// undefined, predefined ones stay defined; with a warm pool below its size a
// leaving VM is managed-saved back into the pool instead.
//
// The actuator alone writes a Member (role, flags, what the balancer last said
// of it); the group reads them through `members` and asks for changes here, so
// one place keeps a member's fields consistent with its role.
import type { Config } from "../config.ts";
import { BusyError, type Store } from "../store.ts";
import type { VmRole } from "../events.ts";
import { formatName, namePattern } from "../vm/ports.ts";
import { waitServing as probeAddress } from "../vm/ready.ts";
import type { BackendHealth, BalancerOps, VmOps } from "./ports.ts";
import { errorMessage } from "../errors.ts";

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
  /** Warm pool member still being prepared (booting before its managed save). */
  filling?: boolean;
  unhealthySince?: number;
  /** Answers (on time + late) the balancer has counted from it, and when that last grew. */
  answers?: number;
  lastAnswerAt?: number;
  roleSince: number;
}

/** One scale-out, for the summary and the bench. */
export interface LaunchRecord {
  name: string;
  how: "cold" | "warm" | "predefined" | "adopted";
  decisionAt: number;
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
    try {
      const ready = this.source === "warm" ? this.pool().find((w) => !w.filling && !w.busy) : undefined;
      if (ready) {
        m = ready;
        m.busy = true;
        rec.how = "warm";
        rec.name = m.name;
        this.setRole(m, "starting", "resuming from the warm pool");
        await this.o.vms.start(m.name);
      } else if (this.source === "predefined") {
        const name = this.predefinedCandidates()[0];
        if (!name) throw new Error(`no shut-off predefined domain ${this.prefix}-${"N".repeat(this.digits)} left to start`);
        rec.how = "predefined";
        rec.name = name;
        m = this.add(name, "predefined", "starting", { startedByRun: true });
        await this.o.vms.start(name);
      } else {
        const name = this.nextName();
        rec.name = name;
        if (this.source === "warm") this.o.store.log(`warm pool empty: cold boot of ${name}`, "warn");
        m = this.add(name, "template", "starting", { createdByRun: true });
        const vm = await this.o.vms.create({ name, role: "serving" });
        if (vm.address) m.address = vm.address;
      }
      m.booted = true;
      rec.startedAt = this.now();
      await this.join(m);
      rec.servingAt = this.now();
      rec.decisionToServingMs = rec.servingAt - decisionAt;
      return rec;
    } catch (e) {
      rec.error = errorMessage(e);
      if (m && !(e instanceof StoppedError)) {
        this.o.store.error(`launch ${m.name}`, e);
        await this.fail(m, `launch failed: ${rec.error}`);
      }
      return rec;
    } finally {
      if (m) m.busy = false;
    }
  }

  /** Wait until the VM answers the protocol, then put it in the balancer. */
  private async join(m: Member): Promise<void> {
    const t0 = this.now();
    const timeoutMs = this.o.config.scaler.ready_timeout_s * 1000;
    const known = m.address ?? this.o.vms.addressOf(m.name);
    if (known) {
      m.address = known;
      await this.untilStopped(this.o.vms.waitServing(m.name, timeoutMs));
    } else {
      // Not ours (a predefined domain without virtscale metadata): probe the address the config gives it.
      const addr = this.configAddress(m.name);
      if (!addr) throw new Error(`${m.name}: no service address (no virtscale metadata and no address in the config)`);
      m.address = addr;
      const probe = this.o.probe ?? ((a, t) => probeAddress(a, { scale: this.o.config.vm.work_scale, timeoutMs: t }));
      await this.untilStopped(probe(addr, timeoutMs));
    }
    const addr = m.address;
    this.o.balancer.addBackend(m.name, addr);
    m.inBalancer = true;
    this.setRole(m, "serving", `answers on ${addr.host}:${addr.port} after ${((this.now() - t0) / 1000).toFixed(1)} s; joined the balancer`);
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
  async retire(m: Member, opts: { toPool?: boolean; reason?: string } = {}): Promise<void> {
    const toPool = Boolean(opts.toPool && m.kind !== "predefined" && m.booted);
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
    try {
      if (m.inBalancer) {
        await this.o.balancer.removeBackend(m.name);
        m.inBalancer = false;
      }
      if (toPool) {
        await this.o.vms.managedSave(m.name);
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
    if (timeoutMs > 0 && m.booted) {
      try {
        await this.o.vms.shutdown(m.name, { timeoutMs });
      } catch {
        /* destroy below ends it anyway */
      }
    }
    await this.o.vms.destroy(m.name);
  }

  /** Refill the warm pool by one VM: create, wait until it serves (booted), managed save. */
  async fillWarm(): Promise<void> {
    const name = this.nextName();
    const m = this.add(name, "warm", "warm", { createdByRun: true });
    m.filling = true;
    m.busy = true;
    try {
      const vm = await this.o.vms.create({ name, role: "warm" });
      if (vm.address) m.address = vm.address;
      m.booted = true;
      await this.untilStopped(this.o.vms.waitServing(name, this.o.config.scaler.ready_timeout_s * 1000));
      // An operation while the domain stops into its save image: the save is ours, not a death.
      await this.o.store.operations.run(name, "pause", "scaler", () => this.o.vms.managedSave(name));
      m.booted = false;
      m.filling = false;
      this.o.store.emit({ type: "vm", ts: this.now(), name, from: "warm", to: "warm", detail: "booted and managed-saved into the warm pool" });
    } catch (e) {
      if (!(e instanceof StoppedError)) {
        this.o.store.error(`warm pool ${name}`, e);
        await this.fail(m, `warm pool fill failed: ${errorMessage(e) ?? e}`);
      }
    } finally {
      m.busy = false;
    }
  }

  /**
   * A running VM of ours the group does not track (at start, or found later):
   * it joins the balancer once it answers, else it is failed. Added at once
   * (before the first await), so the caller sees it in `members` right away.
   */
  async adoptRunning(name: string, address?: Address | null): Promise<void> {
    const m = this.add(name, "adopted", "starting");
    m.booted = true;
    if (address) m.address = address;
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
    if (address) m.address = address;
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
    if (this.stopping) return Promise.reject(new StoppedError());
    return new Promise<T>((resolve, reject) => {
      const w = (e: Error) => reject(e);
      this.stopWaiters.add(w);
      p.then(resolve, reject).finally(() => this.stopWaiters.delete(w));
    });
  }
}

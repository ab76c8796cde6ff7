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
import type { Config } from "../config.ts";
import type { Store } from "../store.ts";
import type { VmRole } from "../events.ts";
import { formatName, namePattern } from "../vm/ports.ts";
import { waitServing as probeAddress } from "../vm/ready.ts";
import type { BalancerOps, VmOps } from "./ports.ts";
import { errorMessage } from "../errors.ts";

export type MemberKind = "template" | "warm" | "predefined" | "adopted";

export interface Member {
  name: string;
  role: VmRole;
  kind: MemberKind;
  /** This run defined the domain (it is removed when the run ends). */
  createdByRun: boolean;
  /** This run started a domain it did not define (predefined): shut down when the run ends. */
  startedByRun: boolean;
  address?: { host: string; port: number };
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
  readonly members = new Map<string, Member>();
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

  /** From now on, waits for serving end at once (StoppedError) so that stop() does not wait for boots. */
  halt(): void {
    this.stopping = true;
    for (const w of this.stopWaiters) w(new StoppedError());
    this.stopWaiters.clear();
  }

  setRole(m: Member, role: VmRole, detail?: string): void {
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
      if (!known.has(name) && !this.members.has(name)) {
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
      .filter(([name, state]) => re.test(name) && !this.members.has(name) && state === "shutoff")
      .map(([name]) => name)
      .sort();
  }

  warmReady(): Member[] {
    return [...this.members.values()].filter((m) => m.role === "warm" && !m.filling && !m.busy);
  }

  warmCount(): number {
    return [...this.members.values()].filter((m) => m.role === "warm").length;
  }

  /** Add one VM to the group; resolves when it serves (or failed, recorded). */
  async launch(decisionAt: number): Promise<LaunchRecord> {
    const rec: LaunchRecord = { name: "", how: "cold", decisionAt };
    this.launches.push(rec);
    let m: Member | undefined;
    try {
      if (this.source === "warm" && this.warmReady().length > 0) {
        m = this.warmReady()[0]!;
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
  async join(m: Member): Promise<void> {
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
  private configAddress(name: string): { host: string; port: number } | null {
    const m = new RegExp(`-(\\d{${this.digits}})$`).exec(name);
    if (m && this.o.config.vm.network === "user") return { host: "127.0.0.1", port: this.o.config.vm.port_base + Number(m[1]) };
    return null;
  }

  /** Take a VM out: drain, then back to the warm pool, shut down, or destroy + undefine. */
  async retire(m: Member, opts: { toPool?: boolean; reason?: string } = {}): Promise<void> {
    m.busy = true;
    this.setRole(m, "draining", opts.reason);
    try {
      if (m.inBalancer) {
        await this.o.balancer.removeBackend(m.name);
        m.inBalancer = false;
      }
      if (opts.toPool && m.kind !== "predefined" && m.booted) {
        await this.o.vms.managedSave(m.name);
        m.kind = "warm";
        m.booted = false;
        this.setRole(m, "warm", "drained and managed-saved back into the warm pool");
        return;
      }
      await this.stopVm(m);
      this.members.delete(m.name);
    } catch (e) {
      this.o.store.error(`retire ${m.name}`, e);
      await this.fail(m, `retire failed: ${errorMessage(e) ?? e}`);
    } finally {
      m.busy = false;
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
    this.members.delete(m.name);
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
      await this.o.vms.managedSave(name);
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

  add(name: string, kind: MemberKind, role: VmRole, flags: { createdByRun?: boolean; startedByRun?: boolean } = {}): Member {
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
    this.members.set(name, m);
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

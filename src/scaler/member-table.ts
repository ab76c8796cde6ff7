// The actuator's state, shared by its paths (launch.ts, join.ts, retire.ts,
// pool-fill.ts): the one mutable map of members and the writes every path
// makes the same way (a member added, a role changed with its event, the role
// in the VM's metadata), the names of new VMs, and the signals that end waits
// early (the run stopping, a launch cancelled). Only the Actuator holds one;
// the group sees its members read-only.
import type { Config } from "../config.ts";
import type { Store } from "../store.ts";
import type { VmRole } from "../events.ts";
import { formatName, namePattern } from "../vm/ports.ts";
import type { BalancerOps, VmOps } from "./ports.ts";
import { StoppedError, type LaunchRecord, type Member, type MemberKind } from "./member.ts";

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

const SHUT_OFF: ReadonlySet<string> = new Set(["shutoff"]);
const RUNNING: ReadonlySet<string> = new Set(["running", "paused", "blocked"]);

export class MemberTable {
  readonly all = new Map<string, Member>();
  readonly launches: LaunchRecord[] = [];
  stopping = false;
  private stopWaiters = new Set<(e: Error) => void>();
  readonly now: () => number;
  readonly prefix: string;
  readonly digits: number;
  readonly #pattern: RegExp;
  /** Numbers are not reused within a run (a failed VM's name stays burnt until the next run). */
  private nextIndex = 0;
  /** Launches in flight by member name: retire() cancels one and waits for it to end. */
  readonly launching = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** Retires into a pool tier under way: a launch that finds no ready pool VM waits for one of these instead of booting cold. */
  readonly entering = new Map<string, Promise<void>>();
  /** Launches that have no member yet (waiting for a VM entering the pool): the group counts them as starting. */
  waitingLaunches = 0;
  /** Whether this group keeps a pool (the group says so: Actuator.setPoolWanted), for the "pool empty" warning. */
  poolWanted = false;

  constructor(readonly o: ActuatorOptions) {
    this.now = o.now ?? (() => Date.now());
    this.prefix = o.config.auto_scaler_domain_prefix;
    this.digits = o.config.auto_scaler_vm_num_digits;
    this.#pattern = namePattern(this.prefix, this.digits);
  }

  get source(): Config["scaler"]["source"] {
    return this.o.config.scaler.source;
  }

  /** Whether the VM layer can pause and resume VMs (the hot tier). */
  get canPause(): boolean {
    return typeof this.o.vms.suspend === "function" && typeof this.o.vms.resume === "function";
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
      if (!known.has(name) && !this.all.has(name)) {
        this.nextIndex = i + 1;
        return name;
      }
    }
    throw new Error(`no free name left for prefix ${this.prefix} with ${this.digits} digits`);
  }

  /** PREFIX-NNNN under source predefined: the user's domain (metadata or not), shut down at most, never undefined. */
  isPredefinedName(name: string): boolean {
    return this.source === "predefined" && this.#pattern.test(name);
  }

  /** Predefined domains not in the group and shut off, in number order. */
  predefinedCandidates(): string[] {
    return this.#predefinedIn(SHUT_OFF);
  }

  /**
   * Predefined domains not in the group that run (or are paused), in number
   * order, as the last sample saw them: at start, ones the user started
   * before the run (adopted, left as found at the end); at the end, ones
   * started outside the run meanwhile (listed as left).
   */
  predefinedRunning(): string[] {
    return this.#predefinedIn(RUNNING);
  }

  #predefinedIn(states: ReadonlySet<string>): string[] {
    return [...this.o.knownDomains()]
      .filter(([name, state]) => this.#pattern.test(name) && !this.all.has(name) && states.has(state))
      .map(([name]) => name)
      .sort();
  }

  /** The warm pool's members (ready or still filling). */
  pool(): Member[] {
    return [...this.all.values()].filter((m) => m.role === "warm");
  }

  /** Warm pool members ready to resume (booted and saved, no operation on them). */
  warmReady(): Member[] {
    return this.pool().filter((m) => !m.filling && !m.busy);
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
    this.all.set(name, m);
    this.o.changed?.();
    this.o.store.emit({ type: "vm", ts: this.now(), name, to: role, detail: `${kind}${flags.createdByRun ? ", created by this run" : ""}` });
    return m;
  }

  /** The role in the VM's ownership metadata (what a restart adopts it as); a failure costs that, not the pool VM. */
  markRole(name: string, role: string): void {
    try {
      this.o.vms.setRole?.(name, role);
    } catch (e) {
      this.o.store.error(`${name}: cannot mark it '${role}' in its metadata (a restart would not adopt it as such)`, e);
    }
  }

  untilStopped<T>(p: Promise<T>): Promise<T> {
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
export function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return abandon(p, signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

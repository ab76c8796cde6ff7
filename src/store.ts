// One store owns the run's state. Producers (monitor, balancer, scaler, VM
// actions) write to it; the dashboard, --json and the API only read it and
// send named commands through it. Views never talk to producers directly.
import type { LbView, LoadView, ScalerView, VirtscaleEvent, VmView } from "./events.ts";

/** A named command: what a key in the dashboard, a stdin line in --json mode and the API invoke. */
export interface Command {
  name: string;
  /** One line shown in the help overlay and --help. */
  help: string;
  /** Arguments as words (stdin: `snapshot web-0001 halt`); the dashboard passes the selection. */
  run(args: string[]): Promise<unknown> | unknown;
}

export interface StoreState {
  /** Latest view of every VM, by name. */
  vms: ReadonlyMap<string, VmView>;
  /** CPU % history per VM (oldest first, null = missing sample), bounded to historyLength. */
  cpuHistory: ReadonlyMap<string, ReadonlyArray<number | null>>;
  lb?: LbView;
  scaler?: ScalerView;
  load?: LoadView;
  /** Operations in progress (snapshot, restore...), by VM name, as the label the dashboard shows (from `operations`). */
  busy: ReadonlyMap<string, string>;
}

// ---- operations on VMs ----
// One registry of what runs on which VM (snapshot, restore, pause, shutdown,
// the API's create and delete), who started it and since when; one at a time
// per VM (a second is a BusyError: the API's 409). The scaler reads it, so a
// VM that an operation pauses or stops is busy, never dead. An operation that
// another process runs (the CLI) is not in here: it is a mark in the domain's
// metadata, which the VM layer reads through `probe` (src/vm/operations.ts).

export type OperationKind = "snapshot" | "restore" | "pause" | "shutdown" | "create" | "delete";
export type OperationSource = "dashboard" | "api" | "cli" | "scaler";

export interface Operation {
  vm: string;
  kind: OperationKind;
  by: OperationSource;
  /** When it began (ms, the store's clock; a mark's own clock for another process's). */
  since: number;
  /** What the dashboard shows while it runs. */
  label: string;
  /** snapshot: the VM keeps running (resume) or is left stopped (halt). */
  mode?: "resume" | "halt";
  /** Another process's operation, read from the domain's mark: its pid and host. */
  pid?: number;
  host?: string;
}

/** "snapshot in progress (halt), started by the API 1.2 s ago" */
export function describeOperation(op: Operation, now: number): string {
  const who = op.pid !== undefined ? `${op.by} pid ${op.pid} on ${op.host ?? "?"}` : op.by === "api" ? "the API" : `the ${op.by}`;
  return `${op.kind} in progress${op.mode ? ` (${op.mode})` : ""}, started by ${who} ${(Math.max(0, now - op.since) / 1000).toFixed(1)} s ago`;
}

export class BusyError extends Error {
  constructor(
    readonly op: Operation,
    now: number,
  ) {
    super(`VM '${op.vm}' is busy: ${describeOperation(op, now)}`);
    this.name = "BusyError";
  }
}

/** What the VM layer reads from libvirt about a domain, for a decision the sample alone cannot make. */
export interface DomainInspection {
  /** libvirt state name now (the sample may be older than an operation's end). */
  state: string;
  /** An operation another process marked on the domain; null when none. */
  mark: Operation | null;
  /** Left stopped on purpose by a snapshot with halt (restore it from `path`); null otherwise. */
  halted: { path: string; since: number } | null;
}
export type OperationProbe = (vm: string) => DomainInspection | null;

/** How long the end of an operation is remembered (activeWithin), at least. */
const ENDED_KEPT_MS = 10 * 60_000;

export class Operations {
  #ops = new Map<string, Operation>();
  #labels = new Map<string, string>();
  #endedAt = new Map<string, number>();
  #busySince: number | null = null;
  /** Reads a domain from outside this process (set by the VM layer, src/vm/commands.ts); absent: nothing but this registry. */
  probe?: OperationProbe;

  constructor(
    private readonly now: () => number,
    private readonly changed: () => void,
  ) {}

  get(vm: string): Operation | undefined {
    return this.#ops.get(vm);
  }
  list(): Operation[] {
    return [...this.#ops.values()];
  }
  get size(): number {
    return this.#ops.size;
  }
  /** The labels by VM name (the store's state.busy). */
  get labels(): ReadonlyMap<string, string> {
    return this.#labels;
  }
  /** When the registry last went from idle to busy; null while idle (the API's cached listing is only as old as this). */
  get busySince(): number | null {
    return this.#busySince;
  }

  /** Register an operation on `vm`; BusyError when one already runs there. End it with end(). */
  begin(vm: string, kind: OperationKind, by: OperationSource, opts: { label?: string; mode?: "resume" | "halt" } = {}): Operation {
    const held = this.#ops.get(vm);
    if (held) throw new BusyError(held, this.now());
    const op: Operation = { vm, kind, by, since: this.now(), label: opts.label ?? `${by}: ${kind} ${vm}`, ...(opts.mode ? { mode: opts.mode } : {}) };
    if (this.#ops.size === 0) this.#busySince = op.since;
    this.#ops.set(vm, op);
    this.#labels.set(vm, op.label);
    this.changed();
    return op;
  }
  end(op: Operation): void {
    if (this.#ops.get(op.vm) !== op) return;
    this.#ops.delete(op.vm);
    this.#labels.delete(op.vm);
    const now = this.now();
    this.#endedAt.set(op.vm, now);
    for (const [vm, at] of this.#endedAt) if (now - at > ENDED_KEPT_MS) this.#endedAt.delete(vm);
    if (this.#ops.size === 0) this.#busySince = null;
    this.changed();
  }
  /** Run fn as an operation on `vm`; it ends however fn ends (its failure rejects, for the caller to report). */
  async run<T>(vm: string, kind: OperationKind, by: OperationSource, fn: (op: Operation) => Promise<T>, opts?: { label?: string; mode?: "resume" | "halt" }): Promise<T> {
    const op = this.begin(vm, kind, by, opts);
    try {
      return await fn(op);
    } finally {
      this.end(op);
    }
  }
  /** Whether an operation runs on `vm`, or ended less than `ms` ago (a sample taken during it may be read just after). */
  activeWithin(vm: string, ms: number): boolean {
    if (this.#ops.has(vm)) return true;
    const ended = this.#endedAt.get(vm);
    return ended !== undefined && this.now() - ended < ms;
  }
  /** The domain as libvirt sees it now (state, another process's mark), through `probe`; null without one or when it fails. */
  inspect(vm: string): DomainInspection | null {
    const seen = this.inspectOrUnknown(vm);
    return seen === "unknown" ? null : seen;
  }
  /**
   * The same, but "unknown" when libvirt could not be asked (the call failed:
   * a save job of another process holds the domain, libvirtd is away), apart
   * from null (no probe, or the domain is not defined): a death verdict must
   * not be reached on a question libvirt did not answer.
   */
  inspectOrUnknown(vm: string): DomainInspection | null | "unknown" {
    if (!this.probe) return null;
    try {
      return this.probe(vm);
    } catch {
      return "unknown";
    }
  }
}

type Listener = (ev: VirtscaleEvent) => void;

export class Store {
  readonly historyLength: number;
  readonly eventLimit: number;
  private vms = new Map<string, VmView>();
  private history = new Map<string, (number | null)[]>();
  private lb?: LbView;
  private scaler?: ScalerView;
  private load?: LoadView;
  /** The one registry of operations on VMs (the dashboard, the API and the scaler read and write it). */
  readonly operations: Operations;
  private recent: VirtscaleEvent[] = [];
  private listeners = new Set<Listener>();
  private changeListeners = new Set<() => void>();
  private commands = new Map<string, Command>();
  private version = 0;
  /** Producers that are pulled when a tick is built (the balancer's live counters, say). */
  private lbSource?: () => LbView;
  private loadSource?: () => LoadView | undefined;

  constructor(opts: { historyLength?: number; eventLimit?: number; now?: () => number } = {}) {
    this.historyLength = opts.historyLength ?? 300;
    this.eventLimit = opts.eventLimit ?? 500;
    if (opts.now) this.now = opts.now;
    this.operations = new Operations(() => this.now(), () => this.changed());
  }

  now: () => number = () => Date.now();

  // ---- reading ----
  get state(): StoreState {
    return {
      vms: this.vms,
      cpuHistory: this.history,
      lb: this.lbSource ? this.lbSource() : this.lb,
      scaler: this.scaler,
      load: this.loadSource ? this.loadSource() : this.load,
      busy: this.operations.labels,
    };
  }
  /** Bumped on every change; a view re-renders when it moved (frame-rate capped by the view). */
  get changes(): number {
    return this.version;
  }
  /** The last events (the event log), oldest first. */
  events(): readonly VirtscaleEvent[] {
    return this.recent;
  }
  /** Every event as it happens (NDJSON writer, SSE). Returns an unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  /** Any change at all (the dashboard polls `changes` instead when it prefers). */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  // ---- writing ----
  emit(ev: VirtscaleEvent): void {
    if (ev.type !== "tick") {
      this.recent.push(ev);
      if (this.recent.length > this.eventLimit) this.recent.splice(0, this.recent.length - this.eventLimit);
    }
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch {
        /* a broken reader must not break producers */
      }
    }
    this.changed();
  }
  log(message: string, level: "info" | "warn" = "info"): void {
    this.emit({ type: "log", ts: this.now(), level, message });
  }
  error(source: string, err: unknown): void {
    const e = err as { message?: string; code?: number; domain?: number };
    this.emit({ type: "error", ts: this.now(), source, message: e?.message ?? String(err), code: e?.code, domain: e?.domain });
  }

  /** Replace the VM set (from a monitor sample) and append each VM's CPU to its history. */
  setVms(list: VmView[]): void {
    const seen = new Set<string>();
    for (const vm of list) {
      seen.add(vm.name);
      const prev = this.vms.get(vm.name);
      if (prev && prev.state !== vm.state) this.emit({ type: "vm", ts: this.now(), name: vm.name, from: prev.state, to: vm.state });
      this.vms.set(vm.name, vm);
      let h = this.history.get(vm.name);
      if (!h) this.history.set(vm.name, (h = []));
      h.push(vm.cpuPct);
      if (h.length > this.historyLength) h.splice(0, h.length - this.historyLength);
    }
    for (const name of [...this.vms.keys()]) {
      if (!seen.has(name)) {
        this.vms.delete(name);
        this.history.delete(name);
        this.emit({ type: "vm", ts: this.now(), name, to: "gone" });
      }
    }
    this.changed();
  }
  /** Change one VM's fields (role changes from the actuator, say) without a new sample. */
  patchVm(name: string, patch: Partial<VmView>): void {
    const prev = this.vms.get(name);
    if (!prev) return;
    this.vms.set(name, { ...prev, ...patch });
    this.changed();
  }
  setScaler(s: ScalerView): void {
    this.scaler = s;
    this.changed();
  }
  setLb(v: LbView): void {
    this.lb = v;
    this.changed();
  }
  setLoad(v: LoadView | undefined): void {
    this.load = v;
    this.changed();
  }
  setLbSource(fn: (() => LbView) | undefined): void {
    this.lbSource = fn;
  }
  setLoadSource(fn: (() => LoadView | undefined) | undefined): void {
    this.loadSource = fn;
  }

  /** The whole current picture as a tick event (what tick() emits; an SSE client's first event). */
  tickEvent(): Extract<VirtscaleEvent, { type: "tick" }> {
    const s = this.state;
    return { type: "tick", ts: this.now(), vms: [...s.vms.values()], lb: s.lb, scaler: s.scaler, load: s.load };
  }
  /** Emit a tick: the whole current picture, for --json and SSE readers. */
  tick(): void {
    this.emit(this.tickEvent());
  }

  // ---- commands ----
  register(cmd: Command): void {
    this.commands.set(cmd.name, cmd);
  }
  listCommands(): Command[] {
    return [...this.commands.values()];
  }
  hasCommand(name: string): boolean {
    return this.commands.has(name);
  }
  /** Run a named command; unknown names and failures become error events and rejections. */
  async run(name: string, args: string[] = []): Promise<unknown> {
    const cmd = this.commands.get(name);
    if (!cmd) {
      const err = new Error(`unknown command '${name}' (known: ${[...this.commands.keys()].join(", ")})`);
      this.error("command", err);
      throw err;
    }
    try {
      return await cmd.run(args);
    } catch (e) {
      this.error(`command ${name}`, e);
      throw e;
    }
  }

  private changed(): void {
    this.version++;
    for (const l of this.changeListeners) {
      try {
        l();
      } catch {
        /* ignore */
      }
    }
  }
}

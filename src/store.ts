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
  /** Actions in progress (snapshot, boot...), by id, with a label the dashboard shows. */
  busy: ReadonlyMap<string, string>;
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
  private busy = new Map<string, string>();
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
      busy: this.busy,
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

  /** Run fn while showing `label` as busy; its failure rejects, for the caller to report. */
  async whileBusy<T>(id: string, label: string, fn: () => Promise<T>): Promise<T> {
    this.busy.set(id, label);
    this.changed();
    try {
      return await fn();
    } finally {
      this.busy.delete(id);
      this.changed();
    }
  }
  /** Run fn while showing `label` as busy; failures become error events, never unhandled. */
  track<T>(id: string, label: string, fn: () => Promise<T>): Promise<T | undefined> {
    return this.whileBusy(id, label, async () => {
      try {
        return await fn();
      } catch (e) {
        this.error(id, e);
        return undefined;
      }
    });
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

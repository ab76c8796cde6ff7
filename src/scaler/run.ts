// Run a whole group: balancer + monitor + policy + actuator (+ load generator,
// + API) on one store: `virtscale up` runs it (and `virtscale demo` through
// up), the real-QEMU tests and bench/scaler.ts start the same thing, so what
// they measure is what up runs. startGroup() returns the running parts,
// runGroup() runs until a stop signal, a duration or `quit`, then stops
// scaling, drains and removes what this run created, and returns a summary.
import type { Config } from "../config.ts";
import type { LbCounters, LoadView } from "../events.ts";
import type { Store } from "../store.ts";
import { Group, type GroupOptions, type GroupSummary } from "./group.ts";
import type { ConnectFn } from "./monitor.ts";
import type { BalancerOps, LifecycleSource, VmOps } from "./ports.ts";

/** The load generator as the group drives it (src/load's LoadGenerator). */
export interface LoadLike {
  start(): Promise<void> | void;
  setRate(rate: string): void;
  view(): LoadView;
  stop(): Promise<LoadView>;
}

/** A load schedule: the rate to run at `elapsedS` seconds into the run (undefined: leave it). */
export type LoadSchedule = (elapsedS: number) => string | undefined;

export interface BalancerLike extends BalancerOps {
  start(): Promise<{ host: string; port: number }>;
  view(): { total: LbCounters };
  close(): Promise<void>;
}

export interface StartGroupOptions {
  config: Config;
  store: Store;
  /** The VM manager (VmManager from src/vm/manager.ts). */
  vms: VmOps;
  /** Opens the monitor's libvirt connection: ffi AsyncConnection.open(uri, { readOnly: true }), so samples never run on the balancer's thread. */
  connect: ConnectFn;
  /** libvirt's lifecycle events (ffi DomainEvents.open(uri)): a VM that dies leaves the balancer when libvirt says so, not at the next sample. */
  events?: () => Promise<LifecycleSource>;
  /** The balancer, constructed but not started (it is started here). */
  balancer: BalancerLike;
  /** Load: an initial rate ("low", "high", "200/s"), a schedule, or a ready LoadGenerator (not started). */
  load?: string | LoadSchedule | LoadLike;
  /** Makes the load generator for a rate string or a schedule (the caller binds the target and config). */
  makeLoad?: (target: { host: string; port: number }, rate: string) => LoadLike;
  /** Registers the load generator's store commands (src/load's registerLoadCommands). */
  registerLoad?: (store: Store, gen: LoadLike) => void;
  group?: string;
  /** Emit a store tick every period (for --json / SSE). Default true. */
  tick?: boolean;
  /** Marks a VM the group adopts as this process's (GroupLease.claim, src/scaler/lease.ts). */
  claim?: (name: string) => void;
  /** A group over several hosts (src/scaler/hosts/ HostSet, also given as vms, connect and events). */
  hosts?: GroupOptions["hosts"];
  /** Runs as the run ends, before the group stops: no new VM from then on (OwnedVms.endNew), so the exit sweep sees them all. */
  beforeStop?: () => Promise<void>;
}

export interface RunningGroup {
  store: Store;
  group: Group;
  balancer: BalancerLike;
  front: { host: string; port: number };
  load?: LoadLike;
  startedAt: number;
  /** Stop load and scaling, drain, remove what this run created (unless removeVms is false). */
  stop(opts?: { removeVms?: boolean }): Promise<RunSummary>;
}

export interface RunSummary {
  front: string;
  startedAt: string;
  durationS: number;
  group: GroupSummary;
  lb: LbCounters;
  load?: LoadView;
  /** Median decision-to-serving time of the scale-outs, by how the VM came (cold boot, warm pool, predefined). */
  medianDecisionToServingMs: Record<string, number | null>;
}

export async function startGroup(o: StartGroupOptions): Promise<RunningGroup> {
  const { store, config } = o;
  const front = await o.balancer.start();
  const group = new Group({ config, store, balancer: o.balancer, vms: o.vms, connect: o.connect, events: o.events, group: o.group, tick: o.tick ?? true, claim: o.claim, hosts: o.hosts });
  try {
    await group.start();
  } catch (e) {
    await o.balancer.close();
    throw e;
  }
  const startedAt = Date.now();
  let load: LoadLike | undefined;
  let schedTimer: ReturnType<typeof setInterval> | undefined;
  if (o.load !== undefined) {
    if (typeof o.load === "object") load = o.load;
    else {
      if (!o.makeLoad) throw new Error("startGroup: load given without makeLoad");
      const schedule = typeof o.load === "function" ? o.load : undefined;
      load = o.makeLoad(front, schedule ? (schedule(0) ?? "off") : (o.load as string));
      if (schedule) {
        let last = schedule(0);
        schedTimer = setInterval(() => {
          const rate = schedule((Date.now() - startedAt) / 1000);
          if (rate !== undefined && rate !== last) {
            last = rate;
            load!.setRate(rate);
            store.log(`load schedule: rate ${rate}`);
          }
        }, 250);
      }
    }
    o.registerLoad?.(store, load);
    await load.start();
  }
  let stopping: Promise<RunSummary> | undefined;
  const stop = (opts: { removeVms?: boolean } = {}): Promise<RunSummary> =>
    (stopping ??= (async () => {
      if (schedTimer) clearInterval(schedTimer);
      const loadView = load ? await load.stop() : undefined;
      await o.beforeStop?.().catch((e) => store.error("run ends", e));
      const summary = await group.stop({ removeVms: opts.removeVms ?? true });
      const lb = o.balancer.view().total;
      await o.balancer.close();
      const result: RunSummary = {
        front: `${front.host}:${front.port}`,
        startedAt: new Date(startedAt).toISOString(),
        durationS: (Date.now() - startedAt) / 1000,
        group: summary,
        lb,
        load: loadView,
        medianDecisionToServingMs: medians(summary),
      };
      store.emit({ type: "summary", ts: Date.now(), ...result });
      return result;
    })());
  return { store, group, balancer: o.balancer, front, load, startedAt, stop };
}

export interface RunGroupOptions extends StartGroupOptions {
  /** Stop after this many seconds (default: only on signal / quit). */
  durationS?: number;
  signal?: AbortSignal;
  /** Default true: remove every VM this run created when done. */
  removeVms?: boolean;
  /** Called once everything runs (attach a view, print the front address...). */
  onStarted?: (run: RunningGroup) => void | Promise<void>;
}

/** Start, run until the duration passes, `signal` aborts or the store's `quit` command runs; stop; return the summary. */
export async function runGroup(o: RunGroupOptions): Promise<RunSummary> {
  const run = await startGroup(o);
  let quit!: () => void;
  const done = new Promise<void>((r) => (quit = r));
  if (!o.store.hasCommand("quit")) o.store.register({ name: "quit", help: "stop: drain and remove the VMs this run created, then exit", run: () => quit() });
  const timer = o.durationS !== undefined ? setTimeout(quit, o.durationS * 1000) : undefined;
  if (o.signal) {
    if (o.signal.aborted) quit();
    else o.signal.addEventListener("abort", () => quit(), { once: true });
  }
  try {
    await o.onStarted?.(run);
    await done;
  } finally {
    if (timer) clearTimeout(timer);
  }
  return run.stop({ removeVms: o.removeVms ?? true });
}

function medians(s: GroupSummary): Record<string, number | null> {
  const by: Record<string, number[]> = {};
  for (const l of s.launches) if (l.decisionToServingMs !== undefined) (by[l.how] ??= []).push(l.decisionToServingMs);
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(by)) out[k] = median(v);
  return out;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

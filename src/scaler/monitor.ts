// The monitor: once per period, ONE virConnectGetAllDomainStats call gives the
// state, CPU time, vCPUs and balloon of every domain (typed DomainStats, see
// ffi/cpu.ts); the group's VMs are picked out of it. CPU % of a VM = delta
// cpu.time / (delta wall time × vCPUs) × 100, computed here only (CpuMeter;
// `virtscale vms` and tui/dev.tsx use it too). A sample that cannot be computed
// (first sample, VM gone or not running, CPU time going backwards after a
// restart, libvirt error) is null, never 0 %: the policy must not read
// "no data" as "idle".
//
// The call runs on a worker thread (ffi AsyncConnection.cpuStats), never on
// the balancer's thread: a sample waits for libvirt, the balancer does not.
// A call still unanswered after callTimeoutMs makes the sample missing, and no
// second call is queued behind it.
//
// When libvirt fails (libvirtd restarted, connection dropped) the monitor marks
// every VM's sample missing and state "unknown"; the worker reopens its
// connection by itself (a libvirt error: the same source is asked again next
// period), any other failure (the worker gone) closes the source and
// reconnects with exponential backoff. The balancer keeps serving meanwhile
// and the group does not replace VMs whose state it cannot see.
import { ConnectGetAllDomainStatsFlags, LibvirtError, domainStateName, type DomainStats } from "../../ffi/index.ts";
import type { Store } from "../store.ts";
import type { VmRole, VmView } from "../events.ts";
import type { Sample } from "./policy.ts";
import { HostCpuMeter, type HostReading } from "./capacity.ts";
import type { LbFigures } from "./concurrency.ts";
import { errorMessage } from "../errors.ts";

/**
 * Where samples come from: ffi's AsyncConnection (the worker: what `up` uses),
 * or a Connection (same call on the caller's thread), or a test's wrapper
 * that injects failures. cpuStats is ffi/cpu.ts's: every domain's stats, the
 * `complete` ones filled in by virDomainGetInfo where the bulk call lacks fields.
 */
export interface StatsConnection {
  cpuStats(flags: number, complete?: readonly string[]): DomainStats[] | Promise<DomainStats[]>;
  close(): void | Promise<void>;
  /** The host calls (ffi/node.ts, AsyncConnection: on its worker); a source without them leaves the host's capacity unknown. */
  nodeGetInfo?(): { cpus: number; memoryKiB: number } | Promise<{ cpus: number; memoryKiB: number }>;
  nodeGetCPUStats?(): Record<string, bigint> | Promise<Record<string, bigint>>;
  nodeGetFreeMemory?(): number | Promise<number>;
  /** A source over several hosts (src/scaler/hosts/): the VMs of hosts that did not answer the last call; they read "unknown", not "gone". */
  unanswered?(): readonly string[];
}
export type ConnectFn = () => StatsConnection | Promise<StatsConnection>;

/** A VM the group wants watched, with what the group knows of it. */
export interface WatchedVm {
  name: string;
  role: VmRole;
  address?: string;
  /** Its libvirt host's URI, in a group over several hosts. */
  host?: string;
}

/** One VM in one sample, as read from libvirt. */
export interface VmReading {
  name: string;
  uuid?: string;
  /** libvirt state name; "unknown" when libvirt could not be asked; "gone" when the domain does not exist. */
  state: string;
  vcpus: number;
  memoryKiB: number;
  cpuPct: number | null;
}

export interface MonitorSample {
  ts: number;
  /** False when this sample could not be read from libvirt at all. */
  ok: boolean;
  readings: Map<string, VmReading>;
}

export interface MonitorOptions {
  connect: ConnectFn;
  members: () => WatchedVm[];
  /** How much history to keep for the policy (ms). */
  historyMs: number;
  store?: Store;
  /** Wall clock for sample timestamps (ms). */
  now?: () => number;
  /** Monotonic clock for CPU deltas (ms). */
  mono?: () => number;
  backoff?: { initialMs: number; maxMs: number };
  /** A stats call unanswered this long makes the sample missing (default 5000 ms). */
  callTimeoutMs?: number;
  /** The balancer's figures per VM over the period (concurrency.ts InFlightSampler.take): recorded with each sample for the concurrency policy. */
  lb?: () => ReadonlyMap<string, LbFigures>;
}

/** A domain's cumulative CPU time at a monotonic instant (ms), with the vCPUs it had then. */
export interface CpuMark {
  atMs: number;
  cpuNs: bigint;
  vcpus: number;
}

/**
 * CPU % (0..100 of the domain's vCPUs) between two marks: delta CPU time /
 * (delta wall × vCPUs). null when it cannot be computed: a mark missing, no
 * vCPUs, no time passed, or CPU time went backwards (the domain restarted).
 */
export function cpuPercent(prev: CpuMark | undefined, cur: CpuMark | undefined): number | null {
  if (!prev || !cur || cur.vcpus <= 0 || cur.atMs <= prev.atMs || cur.cpuNs < prev.cpuNs) return null;
  const dCpuMs = Number(cur.cpuNs - prev.cpuNs) / 1e6;
  return (dCpuMs / ((cur.atMs - prev.atMs) * cur.vcpus)) * 100;
}

/** Readings with CPU % across samples: keeps each domain's last CPU mark. */
export class CpuMeter {
  private marks = new Map<string, CpuMark>();
  /** Each domain's cumulative CPU time (cpu.time, s) at the last read, running or not: /metrics' per-VM counter. */
  cpuSeconds: ReadonlyMap<string, number> = new Map();

  /**
   * The readings of these domains' stats, taken at atMs (monotonic ms). A
   * domain not running, or absent from this call, starts its delta over.
   */
  read(stats: readonly DomainStats[], atMs: number, key: (s: DomainStats) => string = (s) => s.name): (VmReading & { uuid: string })[] {
    const marks = new Map<string, CpuMark>();
    const seconds = new Map<string, number>();
    const out = stats.map((s) => {
      const state = domainStateName(s.state?.state ?? 0);
      const vcpus = s.vcpu?.current ?? 0;
      const memoryKiB = s.balloon?.current ?? s.balloon?.maximum ?? 0;
      const cpuNs = s.cpu?.time;
      if (cpuNs !== undefined) seconds.set(key(s), Number(cpuNs) / 1e9);
      let cpuPct: number | null = null;
      if (state === "running" && cpuNs !== undefined && vcpus > 0) {
        const mark = { atMs, cpuNs, vcpus };
        cpuPct = cpuPercent(this.marks.get(key(s)), mark);
        marks.set(key(s), mark);
      }
      return { name: s.name, uuid: s.uuid, state, vcpus, memoryKiB, cpuPct };
    });
    this.marks = marks;
    this.cpuSeconds = seconds;
    return out;
  }

  /** Forget every mark (libvirt could not be asked: deltas restart after reconnecting). */
  clear(): void {
    this.marks.clear();
    this.cpuSeconds = new Map();
  }
}

/** The stats call took longer than callTimeoutMs (libvirtd hung, or a host far away). */
class StatsCallTimeout extends Error {
  constructor(ms: number) {
    super(`libvirt did not answer the stats call within ${ms} ms`);
    this.name = "StatsCallTimeout";
  }
}

export class Monitor {
  private conn: StatsConnection | null = null;
  /** The stats call still running past its timeout: the next sample does not queue another behind it. */
  private pending: Promise<unknown> | null = null;
  private cpu = new CpuMeter();
  private samples: Sample[] = [];
  private retryAt = 0;
  private backoffMs: number;
  private readonly now: () => number;
  private readonly mono: () => number;
  /** Failures since the last good sample (0 = connected and fine). */
  failures = 0;
  lastError: string | null = null;
  reconnects = 0;
  /** Every domain libvirt reported in the last good sample (name -> state name): for naming new VMs and the predefined source. */
  allDomains = new Map<string, string>();

  constructor(private readonly opts: MonitorOptions) {
    this.now = opts.now ?? (() => Date.now());
    this.mono = opts.mono ?? (() => performance.now());
    this.backoffMs = opts.backoff?.initialMs ?? 250;
  }

  get connected(): boolean {
    return this.conn !== null && this.failures === 0;
  }

  /** Each watched VM's cumulative CPU time in seconds (libvirt's cpu.time) at the last good sample. */
  cpuSeconds(): ReadonlyMap<string, number> {
    return this.cpu.cpuSeconds;
  }

  /** The policy's history (oldest first), bounded to historyMs. */
  history(): readonly Sample[] {
    return this.samples;
  }

  /** Take one sample now: one bulk stats call on the worker (plus virDomainGetInfo there, only on drivers without bulk CPU stats). */
  async sample(): Promise<MonitorSample> {
    const ts = this.now();
    const members = this.opts.members();
    const readings = new Map<string, VmReading>();
    let ok = false;
    this.reconnectedNow = false;
    const conn = await this.ensureConnection();
    if (conn && this.pending) this.fail(new Error(`libvirt has not answered the previous stats call after ${((this.mono() - this.pendingSince) / 1000).toFixed(1)} s`), false);
    else if (conn) {
      try {
        // NOWAIT: skip what would wait for a domain job (a VM being started or saved) instead of blocking the sampler.
        const all = await this.withTimeout(conn.cpuStats(ConnectGetAllDomainStatsFlags.NOWAIT, members.map((m) => m.name)));
        const mono = this.mono();
        const byName = new Map(all.map((s) => [s.name, s]));
        this.allDomains = new Map(all.map((s) => [s.name, domainStateName(s.state?.state ?? 0)]));
        const watched = members.flatMap((m) => {
          const s = byName.get(m.name);
          return s ? [s] : [];
        });
        for (const r of this.cpu.read(watched, mono)) readings.set(r.name, r);
        // A host that did not answer says nothing of its VMs: unknown (spared), never gone (replaced).
        for (const name of conn.unanswered?.() ?? []) if (!readings.has(name)) readings.set(name, { name, state: "unknown", vcpus: 0, memoryKiB: 0, cpuPct: null });
        for (const m of members) if (!readings.has(m.name)) readings.set(m.name, { name: m.name, state: "gone", vcpus: 0, memoryKiB: 0, cpuPct: null });
        ok = true;
        if (this.failures > 0 && !this.reconnectedNow) this.opts.store?.log(`monitor: libvirt answers again after ${this.failures} failed sample(s)`);
        this.failures = 0;
        this.backoffMs = this.opts.backoff?.initialMs ?? 250;
        this.lastError = null;
      } catch (e) {
        // A LibvirtError came from libvirt through a live source (the worker reopens its own
        // connection), a timeout leaves the call running: ask the same source again. Anything
        // else (the worker gone): the source itself is broken.
        this.fail(e, !(e instanceof LibvirtError) && !(e instanceof StatsCallTimeout));
      }
    }
    if (!ok) {
      // libvirt could not be asked: state unknown, CPU missing; deltas restart after reconnecting.
      this.cpu.clear();
      for (const m of members) readings.set(m.name, { name: m.name, state: "unknown", vcpus: 0, memoryKiB: 0, cpuPct: null });
    }
    const out: MonitorSample = { ts, ok, readings };
    this.record(out, members);
    return out;
  }

  private pendingSince = 0;
  /** This sample opened a new source after failures (already logged as a reconnect). */
  private reconnectedNow = false;
  /** The call's result, or a rejection after callTimeoutMs; a call that timed out stays `pending` until it ends. */
  private async withTimeout<T>(v: T | Promise<T>): Promise<T> {
    if (!(v instanceof Promise)) return v;
    const ms = this.opts.callTimeoutMs ?? 5000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new StatsCallTimeout(ms));
      }, ms);
    });
    try {
      return await Promise.race([v, timeout]);
    } catch (e) {
      if (timedOut) {
        this.pending = v;
        this.pendingSince = this.mono() - ms;
        const done = () => {
          if (this.pending === v) this.pending = null;
        };
        v.then(done, done);
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Close the libvirt connection (the group samples on its own timer). */
  async stop(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    try {
      await c?.close();
    } catch {
      /* closing a dead connection may fail; nothing to do */
    }
  }

  /** Drop the backoff: the next sample asks libvirt at once (the event connection says libvirt is back). */
  retryNow(): void {
    this.retryAt = 0;
  }

  private async ensureConnection(): Promise<StatsConnection | null> {
    if (this.conn) return this.conn;
    const t = this.mono();
    if (t < this.retryAt) return null;
    try {
      this.conn = await this.opts.connect();
      if (this.failures > 0) {
        this.reconnects++;
        this.reconnectedNow = true;
        this.opts.store?.log(`monitor: reconnected to libvirt after ${this.failures} failed attempt(s)`);
      }
      return this.conn;
    } catch (e) {
      this.fail(e);
      return null;
    }
  }

  /** Record a failed sample: logged once per distinct failure; `reconnect`: close the source and open another after the backoff. */
  private fail(e: unknown, reconnect = true): void {
    const msg = errorMessage(e);
    if (this.failures === 0 || msg !== this.lastError) this.opts.store?.error("monitor", e);
    this.lastError = msg;
    this.failures++;
    if (!reconnect) return;
    const c = this.conn;
    this.conn = null;
    try {
      void Promise.resolve(c?.close()).catch(() => {});
    } catch {
      /* the connection is already broken */
    }
    this.retryAt = this.mono() + this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.backoff?.maxMs ?? 8000);
  }

  private hostCpu = new HostCpuMeter();
  private nodeInfo: { of: StatsConnection; cpus: number; memoryKiB: number } | null = null;

  /**
   * The host behind the connection: cores and memory (virNodeGetInfo, once
   * per connection), free memory and CPU busy % (virNodeGetFreeMemory,
   * virNodeGetCPUStats, each call), on the source's worker. null when the
   * source has no host calls, libvirt is not answering, or they fail; never
   * waits longer than the stats call's timeout.
   */
  async readHost(): Promise<HostReading | null> {
    const c = this.conn;
    if (!c?.nodeGetInfo || this.failures > 0 || this.pending) return null;
    const ms = this.opts.callTimeoutMs ?? 5000;
    const within = <T>(call: () => T | Promise<T> | undefined): Promise<T | null> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
      const v = (async () => (await call()) ?? null)().catch(() => null);
      return Promise.race([v, late]).finally(() => clearTimeout(timer));
    };
    if (this.nodeInfo?.of !== c) {
      const info = await within(() => c.nodeGetInfo!());
      if (!info) return null;
      this.nodeInfo = { of: c, cpus: info.cpus, memoryKiB: info.memoryKiB };
    }
    const [cpu, free] = await Promise.all([within(() => c.nodeGetCPUStats?.()), within(() => c.nodeGetFreeMemory?.())]);
    return { cpus: this.nodeInfo.cpus, memoryKiB: this.nodeInfo.memoryKiB, freeMemoryBytes: free, busyPct: this.hostCpu.read(cpu) };
  }

  private record(s: MonitorSample, members: WatchedVm[]): void {
    const lb = this.opts.lb?.();
    this.samples.push({
      ts: s.ts,
      vms: members.map((m) => {
        const f = lb?.get(m.name);
        return { name: m.name, role: m.role, cpuPct: s.readings.get(m.name)?.cpuPct ?? null, ...(lb ? { inFlight: f?.inFlight ?? null, p99Ms: f?.p99Ms ?? null } : {}) };
      }),
    });
    const from = s.ts - this.opts.historyMs;
    let drop = 0;
    while (drop < this.samples.length - 1 && this.samples[drop]!.ts < from) drop++;
    if (drop) this.samples.splice(0, drop);
    if (this.opts.store) {
      const views: VmView[] = members.map((m) => {
        const r = s.readings.get(m.name)!;
        return { name: m.name, uuid: r.uuid, state: r.state, role: m.role, vcpus: r.vcpus, memoryKiB: r.memoryKiB, cpuPct: r.cpuPct, address: m.address, ...(m.host ? { host: m.host } : {}) };
      });
      this.opts.store.setVms(views);
    }
  }
}

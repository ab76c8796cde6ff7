// The monitor: once per period, ONE virConnectGetAllDomainStats call gives the
// state, CPU time, vCPUs and balloon of every domain; the group's VMs are
// picked out of it. CPU % of a VM = delta cpu.time / (delta wall time × vCPUs)
// × 100. A sample that cannot be computed (first sample, VM gone or not
// running, CPU time going backwards after a restart, libvirt error) is null,
// never 0 %: the policy must not read "no data" as "idle".
//
// When libvirt fails (libvirtd restarted, connection dropped) the monitor marks
// every VM's sample missing and state "unknown", closes the connection and
// reconnects with exponential backoff; the balancer keeps serving meanwhile
// and the group does not replace VMs whose state it cannot see.
import { ConnectGetAllDomainStatsFlags, domainStateName } from "../../ffi/index.ts";
import { CPU_STATS } from "../../ffi/cpu.ts";
import type { Store } from "../store.ts";
import type { VmRole, VmView } from "../events.ts";
import type { Sample } from "./policy.ts";
import { errorMessage } from "../errors.ts";

/** The part of ffi's Connection the monitor uses (so a test can wrap it to inject failures). */
export interface StatsConnection {
  getAllDomainStats(stats: number, flags?: number): { name: string; uuid: string; params: Record<string, number | bigint | string | boolean> }[];
  /** Fallback for drivers whose bulk stats carry no cpu.time (the test driver): virDomainGetInfo. */
  lookupByName(name: string): { info(): { state: number; memoryKiB: number; nrVirtCpu: number; cpuTimeNs: bigint }; free(): void };
  close(): void;
}
export type ConnectFn = () => StatsConnection;

/** A VM the group wants watched, with what the group knows of it. */
export interface WatchedVm {
  name: string;
  role: VmRole;
  address?: string;
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
  periodMs: number;
  /** How much history to keep for the policy (ms). */
  historyMs: number;
  store?: Store;
  /** Wall clock for sample timestamps (ms). */
  now?: () => number;
  /** Monotonic clock for CPU deltas (ms). */
  mono?: () => number;
  backoff?: { initialMs: number; maxMs: number };
  onSample?: (s: MonitorSample) => void;
}

interface Prev {
  cpuNs: bigint;
  mono: number;
}

export class Monitor {
  private conn: StatsConnection | null = null;
  private prev = new Map<string, Prev>();
  private samples: Sample[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
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

  /** The policy's history (oldest first), bounded to historyMs. */
  history(): readonly Sample[] {
    return this.samples;
  }

  /** Take one sample now: one bulk stats call (plus virDomainGetInfo only on drivers without bulk CPU stats). */
  sample(): MonitorSample {
    const ts = this.now();
    const members = this.opts.members();
    const readings = new Map<string, VmReading>();
    let ok = false;
    const conn = this.ensureConnection();
    if (conn) {
      try {
        // NOWAIT: skip what would wait for a domain job (a VM being started or saved) instead of blocking the sampler.
        const records = conn.getAllDomainStats(CPU_STATS, ConnectGetAllDomainStatsFlags.NOWAIT);
        const mono = this.mono();
        const byName = new Map(records.map((r) => [r.name, r]));
        this.allDomains = new Map(records.map((r) => [r.name, domainStateName(Number(r.params["state.state"] ?? 0))]));
        for (const m of members) {
          const r = byName.get(m.name);
          readings.set(m.name, r ? this.read(conn, m.name, r, mono) : this.gone(m.name));
        }
        ok = true;
        this.failures = 0;
        this.backoffMs = this.opts.backoff?.initialMs ?? 250;
        this.lastError = null;
      } catch (e) {
        this.fail(e);
      }
    }
    if (!ok) {
      // libvirt could not be asked: state unknown, CPU missing; deltas restart after reconnecting.
      this.prev.clear();
      for (const m of members) readings.set(m.name, { name: m.name, state: "unknown", vcpus: 0, memoryKiB: 0, cpuPct: null });
    }
    const out: MonitorSample = { ts, ok, readings };
    this.record(out, members);
    this.opts.onSample?.(out);
    return out;
  }

  start(): void {
    if (this.timer) return;
    const loop = () => {
      this.sample();
      this.timer = setTimeout(loop, this.opts.periodMs);
    };
    this.timer = setTimeout(loop, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      this.conn?.close();
    } catch {
      /* closing a dead connection may fail; nothing to do */
    }
    this.conn = null;
  }

  private ensureConnection(): StatsConnection | null {
    if (this.conn) return this.conn;
    const t = this.mono();
    if (t < this.retryAt) return null;
    try {
      this.conn = this.opts.connect();
      if (this.failures > 0) {
        this.reconnects++;
        this.opts.store?.log(`monitor: reconnected to libvirt after ${this.failures} failed attempt(s)`);
      }
      return this.conn;
    } catch (e) {
      this.fail(e);
      return null;
    }
  }

  private fail(e: unknown): void {
    const msg = errorMessage(e);
    if (this.failures === 0 || msg !== this.lastError) this.opts.store?.error("monitor", e);
    this.lastError = msg;
    this.failures++;
    try {
      this.conn?.close();
    } catch {
      /* the connection is already broken */
    }
    this.conn = null;
    this.retryAt = this.mono() + this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.backoff?.maxMs ?? 8000);
  }

  private gone(name: string): VmReading {
    this.prev.delete(name);
    return { name, state: "gone", vcpus: 0, memoryKiB: 0, cpuPct: null };
  }

  private read(conn: StatsConnection, name: string, r: { uuid: string; params: Record<string, unknown> }, mono: number): VmReading {
    const p = r.params;
    const stateNum = Number(p["state.state"] ?? 0);
    let vcpus = Number(p["vcpu.current"] ?? 0);
    let memoryKiB = Number(p["balloon.current"] ?? p["balloon.maximum"] ?? 0);
    let cpuNs = typeof p["cpu.time"] === "bigint" ? (p["cpu.time"] as bigint) : typeof p["cpu.time"] === "number" ? BigInt(Math.round(p["cpu.time"] as number)) : null;
    if (cpuNs === null && stateNum === 1) {
      // This driver has no bulk CPU stats (the test driver): ask virDomainGetInfo.
      const d = conn.lookupByName(name);
      try {
        const info = d.info();
        cpuNs = BigInt(info.cpuTimeNs);
        vcpus ||= info.nrVirtCpu;
        memoryKiB ||= Number(info.memoryKiB);
      } finally {
        d.free();
      }
    }
    const state = domainStateName(stateNum);
    let cpuPct: number | null = null;
    if (state !== "running" || cpuNs === null || vcpus <= 0) {
      this.prev.delete(name);
    } else {
      const prev = this.prev.get(name);
      if (prev && cpuNs >= prev.cpuNs && mono > prev.mono) {
        const dCpuMs = Number(cpuNs - prev.cpuNs) / 1e6;
        cpuPct = (dCpuMs / ((mono - prev.mono) * vcpus)) * 100;
      }
      this.prev.set(name, { cpuNs, mono });
    }
    return { name, uuid: r.uuid, state, vcpus, memoryKiB, cpuPct };
  }

  private record(s: MonitorSample, members: WatchedVm[]): void {
    this.samples.push({
      ts: s.ts,
      vms: members.map((m) => ({ name: m.name, role: m.role, cpuPct: s.readings.get(m.name)?.cpuPct ?? null })),
    });
    const from = s.ts - this.opts.historyMs;
    let drop = 0;
    while (drop < this.samples.length - 1 && this.samples[drop]!.ts < from) drop++;
    if (drop) this.samples.splice(0, drop);
    if (this.opts.store) {
      const views: VmView[] = members.map((m) => {
        const r = s.readings.get(m.name)!;
        return { name: m.name, uuid: r.uuid, state: r.state, role: m.role, vcpus: r.vcpus, memoryKiB: r.memoryKiB, cpuPct: r.cpuPct, address: m.address };
      });
      this.opts.store.setVms(views);
    }
  }
}

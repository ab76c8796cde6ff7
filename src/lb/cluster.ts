// The backends the balancer knows (Envoy's cluster): for each, its address,
// rotation state, what health remembers of it, its sessions and its stats
// row; and the two lists the policies pick from, kept ready so the hot path
// never filters: the backends in rotation, and the unhealthy ones (panic
// routing). Health (health.ts) moves backends between them, the balancer
// adds them.
import { isIP } from "node:net";
import type { BackendView } from "../events.ts";
import type { Session } from "./session.ts";
import { StatsRow, type LbCountersExt } from "./stats.ts";

export type BackendState = BackendView["state"];

export type BackendViewExt = BackendView &
  LbCountersExt & {
    /** Requests timed out since the backend's last answer (any answer: on time, late or probe). */
    consecutiveTimeouts: number;
    /** Timed-out requests whose answer may still come (queued in a busy backend); counted by lb.max_in_flight_per_backend with inFlight. */
    owed: number;
    /** Time since the backend's last answer (ms). */
    silentMs: number;
    sessions: number;
  };

/** A probe sent to an unhealthy backend (expected null: no workScale, any 8-byte answer counts). */
export interface Probe {
  n: number;
  expected: bigint | null;
  sentAt: number;
}

export class Backend {
  state: BackendState = "active";
  /** Timeouts since the last answer (reset by any answer). */
  consecutiveTimeouts = 0;
  /** When the backend last answered anything (a session answer, on time or late, or a probe). */
  lastAnswerAt: number;
  /** Send time of the newest request known answered: a FIFO backend has served everything sent before it. */
  answeredUpTo = -Infinity;
  /** Timed-out requests still owed over all its sessions (sum of their `owed`). */
  owed = 0;
  readonly sessions = new Set<Session>();
  readonly stats: StatsRow;
  readonly address: string;
  /** Recent probes, oldest first. */
  probes: Probe[] = [];
  lastProbeAt = -Infinity;
  drain: { deadline: number; done: () => void; promise: Promise<void> } | null = null;

  constructor(
    readonly id: string,
    readonly host: string,
    readonly port: number,
    now: number,
  ) {
    this.stats = new StatsRow(now);
    this.lastAnswerAt = now;
    this.address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  }
  /** What the backend owes: in flight plus timed out and still queued in it (the policies and the cap read this). */
  inFlight(): number {
    return this.stats.inFlight + this.owed;
  }
  view(now: number): BackendViewExt {
    return {
      id: this.id,
      address: this.address,
      state: this.state,
      consecutiveTimeouts: this.consecutiveTimeouts,
      owed: this.owed,
      silentMs: Math.round(now - this.lastAnswerAt),
      sessions: this.sessions.size,
      ...this.stats.counters(),
    };
  }
}

export class Cluster {
  private readonly byId = new Map<string, Backend>();
  /** In rotation (the policies pick among these). */
  active: Backend[] = [];
  /** Out of rotation for silence; picked only when no backend is active (panic routing). */
  unhealthy: Backend[] = [];

  /**
   * The backend `id` at `addr`, added unless it exists; `added` false when it
   * did (same address: idempotent). Answers are matched by source address, so
   * the host must be the literal address the backend answers from.
   */
  add(id: string, addr: { host: string; port: number }, now: number): { backend: Backend; added: boolean } {
    if (!id) throw new Error("addBackend: empty backend id");
    if (!Number.isInteger(addr.port) || addr.port < 1 || addr.port > 65535) throw new Error(`addBackend ${id}: bad port ${addr.port}`);
    const host = addr.host === "localhost" ? "127.0.0.1" : addr.host.replace(/^\[|\]$/g, "");
    if (!isIP(host)) throw new Error(`addBackend ${id}: host must be an IP address, got '${addr.host}'`);
    const prev = this.byId.get(id);
    if (prev) {
      if (prev.host !== host || prev.port !== addr.port) throw new Error(`addBackend: backend '${id}' exists with address ${prev.address}`);
      return { backend: prev, added: false };
    }
    const b = new Backend(id, host, addr.port, now);
    this.byId.set(id, b);
    this.rebuild();
    return { backend: b, added: true };
  }

  get(id: string): Backend | undefined {
    return this.byId.get(id);
  }
  all(): IterableIterator<Backend> {
    return this.byId.values();
  }
  list(): Backend[] {
    return [...this.byId.values()];
  }
  /** Every backend's stats row (the totals are derived from them). */
  rows(): StatsRow[] {
    return this.list().map((b) => b.stats);
  }

  setState(b: Backend, state: BackendState): void {
    b.state = state;
    this.rebuild();
  }

  /** Gone for good (drained): state `removed`, out of every list. */
  remove(b: Backend): void {
    b.state = "removed";
    this.byId.delete(b.id);
    this.rebuild();
  }

  private rebuild(): void {
    this.active = this.list().filter((b) => b.state === "active");
    this.unhealthy = this.list().filter((b) => b.state === "unhealthy");
  }
}

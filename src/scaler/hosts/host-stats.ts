// The monitor's source over several hosts (host-set.ts's statsSource): every
// host whose event connection is open is asked at once, each bounded by its
// own timeout, and one call at a time per host. The VMs of a host that did
// not answer read "unknown" to the monitor (Monitor: never "gone"); one that
// leaves SILENT_AFTER calls in a row unanswered counts as lost (Host
// .setSilent), though its connection has not closed yet (a network that drops
// packets). A name placed on another host is a namesake there (left by an
// earlier run while that host was away) and is not read as the member. The
// host figures (cores, memory, CPU, free memory) are the up hosts' sums.
import type { DomainStats } from "../../../ffi/index.ts";
import { errorMessage } from "../../errors.ts";
import type { Store } from "../../store.ts";
import type { StatsConnection } from "../monitor.ts";
import type { Host } from "./host.ts";
import { within } from "./within.ts";

/** Stats calls in a row a host leaves unanswered before it counts as lost (silent). */
export const SILENT_AFTER = 2;

/** What the stats source reads and keeps of where the group's VMs are (HostSet owns the map). */
export interface PlacedNames {
  get(name: string): Host | undefined;
  /** A domain of the group seen on h, not placed yet: placed there. */
  adopt(name: string, h: Host): void;
  namesOn(h: Host): string[];
  /** h's full listing: names placed there that it no longer has leave (a create under way stays). */
  prune(h: Host, listed: ReadonlySet<string>): void;
}

export interface HostStatsOptions {
  hosts: readonly Host[];
  placed: PlacedNames;
  callTimeoutMs: number;
  now: () => number;
  store?: Store;
}

export class HostStats {
  /** Names on hosts that did not answer the last stats call: "unknown" to the monitor. */
  #unanswered: string[] = [];
  /** Each host's stats call under way, since when (one at a time per host). */
  readonly #pending = new Map<Host, number>();
  /** Stats calls in a row each host left unanswered. */
  readonly #misses = new Map<Host, number>();
  readonly #namesakes = new Set<string>();

  constructor(private readonly o: HostStatsOptions) {}

  source(): StatsConnection & { unanswered(): readonly string[] } {
    return {
      cpuStats: (flags, complete) => this.#cpuStats(flags, complete),
      unanswered: () => this.#unanswered,
      nodeGetInfo: () => this.#sumNode(),
      nodeGetCPUStats: () => this.#sumCpu(),
      nodeGetFreeMemory: () => this.#sumFree(),
      close: () => {},
    };
  }

  async #cpuStats(flags: number, complete?: readonly string[]): Promise<DomainStats[]> {
    const { placed } = this.o;
    const ms = this.o.callTimeoutMs;
    const unanswered: string[] = [];
    const errors: string[] = [];
    const per = await Promise.all(
      this.o.hosts.map(async (h) => {
        const mine = (complete ?? []).filter((n) => placed.get(n) === h);
        // A host whose connection is closed is not asked; one that is only silent is (it may answer again).
        if (!h.connected) {
          unanswered.push(...placed.namesOn(h));
          return [];
        }
        try {
          // Its last call still unanswered (past its timeout): not asked again behind it, and that counts as no answer now.
          if (this.#pending.has(h)) throw new Error(`its stats call of ${((this.o.now() - this.#pending.get(h)!) / 1000).toFixed(1)} s ago is still unanswered (no answer within ${ms} ms)`);
          const conn = await within(h.stats(), ms, `${h.uri}: stats connection`);
          if (!h.node && conn.nodeGetInfo) void Promise.resolve(conn.nodeGetInfo()).then((n) => (h.node = { cpus: n.cpus, memoryKiB: n.memoryKiB }), () => {});
          const call = Promise.resolve(conn.cpuStats(flags, mine));
          this.#pending.set(h, this.o.now());
          const settled = () => this.#pending.delete(h);
          call.then(settled, settled);
          const all = await within(call, ms, `${h.uri}: stats`);
          const stats = all.filter((s) => {
            placed.adopt(s.name, h);
            const on = placed.get(s.name);
            if (on === undefined || on === h) return true;
            this.#namesake(s.name, h, on);
            return false;
          });
          placed.prune(h, new Set(all.map((s) => s.name)));
          this.#misses.delete(h);
          h.setSilent(null);
          return stats;
        } catch (e) {
          errors.push(`${h.uri}: ${errorMessage(e)}`);
          unanswered.push(...placed.namesOn(h));
          const timedOut = e instanceof Error && /no answer within|still unanswered/.test(e.message);
          // Unanswered (past the timeout, or its connection failing) twice in a row: lost for placement and its VMs
          // probed (host-loss.ts), though its event connection has not closed yet. One slow answer is not silence.
          const n = (this.#misses.get(h) ?? 0) + 1;
          this.#misses.set(h, n);
          if (n >= SILENT_AFTER) h.setSilent(`no answer to ${n} stats calls in a row (${timedOut ? `none within ${ms} ms` : errorMessage(e)})`);
          return [];
        }
      }),
    );
    if (errors.length === this.o.hosts.length) throw new Error(`no host answered the stats call: ${errors.join("; ")}`);
    this.#unanswered = unanswered;
    return per.flat();
  }

  #namesake(name: string, on: Host, placed: Host): void {
    const key = `${name}@${on.uri}`;
    if (this.#namesakes.has(key)) return;
    this.#namesakes.add(key);
    this.o.store?.log(`${name}: also defined on ${on.uri} while the group's ${name} is on ${placed.uri}: that one is ignored (left by an earlier run? remove it with virsh -c ${on.uri} undefine ${name})`, "warn");
  }

  /** fn on every up host's stats connection at once, each bounded; the answers of those that gave one. */
  async #each<T>(fn: (c: StatsConnection) => T | Promise<T> | undefined): Promise<T[]> {
    const up = this.o.hosts.filter((h) => h.state === "up");
    const got = await Promise.all(up.map((h) => within(h.stats().then((c) => fn(c)), this.o.callTimeoutMs, h.uri).catch(() => undefined)));
    return got.filter((x): x is Awaited<T> => x !== undefined && x !== null) as T[];
  }
  async #sumNode(): Promise<{ cpus: number; memoryKiB: number }> {
    const all = await this.#each((c) => c.nodeGetInfo?.());
    if (!all.length) throw new Error("no host answered virNodeGetInfo");
    return all.reduce((a, b) => ({ cpus: a.cpus + b.cpus, memoryKiB: a.memoryKiB + b.memoryKiB }), { cpus: 0, memoryKiB: 0 });
  }
  async #sumCpu(): Promise<Record<string, bigint>> {
    const all = await this.#each((c) => c.nodeGetCPUStats?.());
    const out: Record<string, bigint> = {};
    for (const r of all) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0n) + v;
    return out;
  }
  async #sumFree(): Promise<number> {
    const all = await this.#each((c) => c.nodeGetFreeMemory?.());
    return all.reduce((a, b) => a + b, 0);
  }
}

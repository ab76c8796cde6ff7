// A group over several libvirt hosts (config hosts, or -c given more than
// once): one VmOps, one stats source and one event source for the group,
// made of one Host per URI (host.ts: each with its own connections, so a slow
// or lost host never stalls another, the group or the balancer). The group
// sees one set of VMs; this layer knows where each one is:
//   - create places a new VM (placement.ts: the up host with the most free
//     room, by weight) and every other call goes to the VM's host;
//   - the stats call asks every up host at once, each bounded by its own
//     timeout (host-stats.ts); the VMs of a host that did not answer (or is
//     lost) read "unknown", never "gone", so no sample of a slow host kills a VM;
//   - libvirt's lifecycle events of every host reach the group; each host's
//     state (up, lost, back) goes to onHost (the group's host-loss.ts acts
//     on it: a lost host's silent VMs out of rotation at once and replaced
//     elsewhere, its leftovers cleaned up when it is back).
// VM names are unique across the hosts: the group names a VM from every
// domain every host reported (Monitor.allDomains is the union).
import type { HostView } from "../../events.ts";
import type { Store } from "../../store.ts";
import { capacityOf } from "../capacity.ts";
import type { StatsConnection } from "../monitor.ts";
import type { ConnectionEventLike, LifecycleEventLike, LifecycleSource, ManagedVmLike, VmOps } from "../ports.ts";
import { Host, HostLostError, type HostEvent, type HostSpec, type HostVms } from "./host.ts";
import { HostStats } from "./host-stats.ts";
import { place } from "./placement.ts";
import { within } from "./within.ts";

export type { HostSpec, HostEvent, HostVms } from "./host.ts";

export interface HostSetOptions {
  hosts: readonly HostSpec[];
  /** The VM layer of one host (VmManager, or up's OwnedVms). */
  makeVms: (uri: string) => HostVms;
  openEvents: (uri: string) => Promise<LifecycleSource>;
  openStats: (uri: string) => Promise<StatsConnection>;
  /** The per-host capacity figures (capacity.ts on each host's cores and memory, for hosts without max_vms). */
  vm: { vcpus: number; memory_mib: number };
  overcommit: number;
  store?: Store;
  /** The group's name (its prefix): only its VMs are placed and counted on a host (default: every VM with our metadata). */
  group?: string;
  /** How long after a failed connect, or a lost connection, a host is tried again (default 3000 ms). */
  retryMs?: number;
  /** A host's calls (its stats, its listing) unanswered this long count as "did not answer" (default 2000 ms). */
  callTimeoutMs?: number;
  now?: () => number;
}

/** What the group reads of the hosts (GroupOptions.hosts). */
export interface HostsLike {
  /** The URI of the host the VM is on, when known. */
  hostOf(name: string): string | undefined;
  views(): HostView[];
  onHost(cb: (ev: HostEvent) => void): () => void;
  /** The group's VMs libvirt has on that host (its listing), for the clean-up when a lost host is back. */
  listOwnedOn(uri: string): Promise<ManagedVmLike[]>;
  /** The group's VMs on hosts that are not up now (they could not be removed): the exit's summary lists them as left. */
  stranded(): { name: string; uri: string; since: number; reason?: string }[];
  /** Every name of the group on any host, answering or not: no new VM takes one (withPlaced). */
  names(): Iterable<string>;
}

/**
 * The domains the group names new VMs around (MemberTable.nextName) and picks
 * predefined ones from: the last sample's (the hosts that answered), plus every
 * name placed on a host that did not answer ("unknown": never a candidate).
 * Without it, a VM left on a lost host would lend its name to a new one elsewhere.
 */
export function withPlaced(domains: Map<string, string>, hosts: HostsLike | undefined): Map<string, string> {
  if (!hosts) return domains;
  let out: Map<string, string> | null = null;
  for (const n of hosts.names()) {
    if (domains.has(n)) continue;
    out ??= new Map(domains);
    out.set(n, "unknown");
  }
  return out ?? domains;
}

export { HostLostError } from "./host.ts";
export { SILENT_AFTER } from "./host-stats.ts";

export class HostSet implements VmOps, HostsLike {
  readonly hosts: Host[];
  /** Which host each VM of the group is on (from create, the listings and the stats). */
  readonly #placed = new Map<string, Host>();
  readonly #hostListeners = new Set<(ev: HostEvent) => void>();
  readonly #lifecycle = new Set<(ev: LifecycleEventLike) => void>();
  readonly #connection = new Set<(ev: ConnectionEventLike) => void>();
  /** VMs being created right now: a listing that lacks them yet does not drop them. */
  readonly #creating = new Set<string>();
  readonly #stats: HostStats;
  readonly #group: string | undefined;
  readonly #ms: number;
  readonly #now: () => number;

  constructor(private readonly o: HostSetOptions) {
    if (!o.hosts.length) throw new Error("HostSet: no host given");
    const seen = new Set<string>();
    for (const h of o.hosts) {
      if (seen.has(h.uri)) throw new Error(`hosts: ${h.uri} is listed twice`);
      seen.add(h.uri);
    }
    this.#ms = o.callTimeoutMs ?? 2000;
    this.#now = o.now ?? (() => Date.now());
    this.#group = o.group;
    this.hosts = o.hosts.map(
      (spec) =>
        new Host(spec, {
          vms: o.makeVms(spec.uri),
          openEvents: o.openEvents,
          openStats: o.openStats,
          now: this.#now,
          retryMs: o.retryMs,
          changed: (ev) => this.#changed(ev),
          lifecycle: (ev) => {
            for (const cb of this.#lifecycle) cb(ev);
          },
        }),
    );
    this.#stats = new HostStats({
      hosts: this.hosts,
      placed: {
        get: (name) => this.#placed.get(name),
        adopt: (name, h) => {
          if (!this.#placed.has(name) && this.#ours(name)) this.#placed.set(name, h);
        },
        namesOn: (h) => this.#namesOn(h),
        prune: (h, listed) => {
          for (const [name, at] of this.#placed) if (at === h && !listed.has(name) && !this.#creating.has(name)) this.#placed.delete(name);
        },
      },
      callTimeoutMs: this.#ms,
      now: this.#now,
      store: o.store,
    });
  }

  /** Connect to every host at once; resolves when each is up or found lost (a lost one is tried again in the background). */
  async open(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.connect(Math.max(this.#ms, 5000))));
    const up = this.hosts.filter((h) => h.state === "up");
    if (!up.length) throw new Error(`no libvirt host answers: ${this.hosts.map((h) => `${h.uri}: ${h.reason ?? h.state}`).join("; ")}`);
  }

  #changed(ev: HostEvent): void {
    const allDown = this.hosts.every((h) => h.state !== "up");
    const lvl = ev.state === "lost" ? "warn" : "info";
    const n = [...this.#placed.values()].filter((h) => h.uri === ev.uri).length;
    if (ev.from !== "connecting" || ev.state !== "up") this.o.store?.log(`host ${ev.uri}: ${ev.state}${ev.reason ? ` (${ev.reason})` : ""}; ${n} VM(s) of the group on it`, lvl);
    for (const cb of this.#hostListeners) cb(ev);
    // The group's own "libvirt connection" line speaks of every host at once: lost when none answers, back when one does.
    if (ev.state === "lost" && allDown) for (const cb of this.#connection) cb({ state: "lost", reason: "every host's libvirt connection is lost" });
    if (ev.state === "up" && this.hosts.filter((h) => h.state === "up").length === 1 && ev.from === "lost") for (const cb of this.#connection) cb({ state: "open" });
  }

  // ---- where the VMs are ----
  hostOf(name: string): string | undefined {
    return this.#placed.get(name)?.uri;
  }

  /**
   * The VM's host, for a call to it. A lost host is not called: some calls
   * start with a quick lookup on the caller's thread, and a host whose network
   * drops packets would hold that thread (the balancer's) until TCP gives up.
   */
  #on(name: string): Host {
    const h = this.#placed.get(name);
    if (!h) throw new Error(`${name}: on none of the group's hosts (${this.hosts.map((x) => x.uri).join(", ")})`);
    const lost = this.lostReason(name);
    if (lost) throw new HostLostError(`${lost}; not called until it is back`);
    return h;
  }

  #cap(h: Host): number | null {
    if (h.maxVms !== undefined) return h.maxVms;
    if (!h.node) return null;
    const c = capacityOf({
      host: { cpus: h.node.cpus, memoryKiB: h.node.memoryKiB, freeMemoryBytes: null, busyPct: null },
      ownCores: null,
      overcommit: this.o.overcommit,
      vcpusPerVm: this.o.vm.vcpus,
      memoryMiBPerVm: this.o.vm.memory_mib,
      busyVcpus: 0,
    });
    return c ? Math.max(1, c.maxVms) : null;
  }

  views(): HostView[] {
    const count = new Map<Host, number>();
    for (const h of this.#placed.values()) count.set(h, (count.get(h) ?? 0) + 1);
    return this.hosts.map((h) => ({ uri: h.uri, state: h.state, since: h.since, reason: h.reason, vms: count.get(h) ?? 0, cap: this.#cap(h), weight: h.weight }));
  }

  /** views() with whether each cap is the user's (placement never passes a max_vms). */
  #figures() {
    return this.views().map((v, i) => ({ ...v, hardCap: this.hosts[i]!.maxVms !== undefined }));
  }

  /** Why the VM's host cannot be called now (it is lost), or null. */
  lostReason(name: string): string | null {
    const h = this.#placed.get(name);
    return h?.state === "lost" ? `${name}: its host ${h.uri} is lost (${h.reason ?? "no answer"})` : null;
  }

  names(): Iterable<string> {
    return this.#placed.keys();
  }

  stranded(): { name: string; uri: string; since: number; reason?: string }[] {
    return [...this.#placed].filter(([, h]) => h.state !== "up").map(([name, h]) => ({ name, uri: h.uri, since: h.since, reason: h.reason }));
  }

  onHost(cb: (ev: HostEvent) => void): () => void {
    this.#hostListeners.add(cb);
    return () => this.#hostListeners.delete(cb);
  }

  // ---- VmOps: a new VM placed, every other call to its host ----
  async create(opts: { name?: string; role?: string; cpuShares?: number } = {}): Promise<ManagedVmLike> {
    const p = place(this.#figures());
    if (!p.uri) throw new Error(`cannot place a new VM: ${p.reason}`);
    const h = this.hosts.find((x) => x.uri === p.uri)!;
    if (opts.name) {
      const on = this.#placed.get(opts.name);
      if (on && on !== h) throw new Error(`${opts.name}: that name is the group's VM on ${on.uri}; not made again on ${h.uri}`);
      this.#placed.set(opts.name, h);
      this.#creating.add(opts.name);
    }
    this.o.store?.log(`${opts.name ?? "new VM"}: placed on ${p.reason}`);
    // A create that fails leaves the name placed: its launch's clean-up destroys whatever got defined there (or the listing drops it).
    try {
      const vm = await h.vms.create(opts);
      this.#placed.set(vm.name, h);
      return { ...vm, host: h.uri };
    } finally {
      if (opts.name) this.#creating.delete(opts.name);
    }
  }
  waitServing(name: string, timeoutMs?: number, opts?: { signal?: AbortSignal }): Promise<number> {
    return this.#on(name).vms.waitServing(name, timeoutMs, opts);
  }
  managedSave(name: string): Promise<void> {
    return this.#on(name).vms.managedSave(name);
  }
  start(name: string): Promise<void> {
    return this.#on(name).vms.start(name);
  }
  shutdown(name: string, opts?: { timeoutMs?: number }): Promise<void> {
    return this.#on(name).vms.shutdown(name, opts);
  }
  suspend(name: string): Promise<void> {
    const v = this.#on(name).vms;
    if (!v.suspend) return Promise.reject(new Error(`${name}: its host's VM layer cannot pause VMs`));
    return v.suspend(name);
  }
  resume(name: string): Promise<void> {
    const v = this.#on(name).vms;
    if (!v.resume) return Promise.reject(new Error(`${name}: its host's VM layer cannot resume VMs`));
    return v.resume(name);
  }
  get(name: string): ManagedVmLike {
    const h = this.#on(name);
    if (!h.vms.get) throw new Error(`${name}: its host's VM layer cannot read VMs`);
    return { ...h.vms.get(name), host: h.uri };
  }
  setRole(name: string, role: string): void {
    this.#on(name).vms.setRole?.(name, role);
  }
  async destroy(name: string): Promise<void> {
    // On no host: nothing was defined (a create that could not be placed), so nothing to remove.
    if (!this.#placed.has(name)) return;
    const h = this.#on(name);
    await h.vms.destroy(name);
    if (this.#placed.get(name) === h) this.#placed.delete(name);
  }
  pidOf(name: string): number | null {
    return this.#placed.get(name)?.vms.pidOf?.(name) ?? null;
  }
  addressOf(name: string): { host: string; port: number } | null {
    return this.#on(name).vms.addressOf(name);
  }
  addressOfAsync(name: string): Promise<{ host: string; port: number } | null> {
    const v = this.#on(name).vms;
    return v.addressOfAsync ? v.addressOfAsync(name) : Promise.resolve(v.addressOf(name));
  }
  cpuShares(name: string): Promise<number> {
    const v = this.#on(name).vms;
    if (!v.cpuShares) return Promise.reject(new Error(`${name}: its host's VM layer cannot read CPU weights`));
    return v.cpuShares(name);
  }
  setCpuShares(name: string, shares: number): Promise<void> {
    const v = this.#on(name).vms;
    if (!v.setCpuShares) return Promise.reject(new Error(`${name}: its host's VM layer cannot set CPU weights`));
    return v.setCpuShares(name, shares);
  }
  async setSavedCpuShares(name: string, shares: number): Promise<boolean> {
    const v = this.#on(name).vms;
    return v.setSavedCpuShares ? v.setSavedCpuShares(name, shares) : false;
  }

  /** Every up host's VMs of the group (a host that does not answer in time is left out of this listing). */
  async listOwnedAsync(): Promise<ManagedVmLike[]> {
    const per = await Promise.all(this.hosts.filter((h) => h.state === "up").map((h) => this.#listOn(h).catch(() => [])));
    return per.flat();
  }

  async listOwnedOn(uri: string): Promise<ManagedVmLike[]> {
    const h = this.hosts.find((x) => x.uri === uri);
    if (!h) throw new Error(`${uri}: not one of the group's hosts`);
    return this.#listOn(h);
  }

  async #listOn(h: Host): Promise<ManagedVmLike[]> {
    const all = await within(h.vms.listOwnedAsync(), this.#ms, `${h.uri}: listing`);
    // Only this group's (other groups' VMs with our metadata are not counted against this host's room), and not a namesake of a VM placed elsewhere.
    const vms = all.filter((vm) => (this.#group === undefined || vm.group === this.#group) && (this.#placed.get(vm.name) ?? h) === h);
    for (const vm of vms) this.#placed.set(vm.name, h);
    return vms.map((vm) => ({ ...vm, host: h.uri }));
  }

  // ---- the monitor's source: every host asked at once (host-stats.ts) ----
  /** The group's stats source (GroupOptions.connect): closing it is a no-op, the hosts' own workers live as long as the set. */
  statsSource(): StatsConnection & { unanswered(): readonly string[] } {
    return this.#stats.source();
  }

  /** A name of the group (its prefix): only those are placed from a stats listing (other domains are no business of the group). */
  #ours(name: string): boolean {
    return this.#group === undefined || name.startsWith(`${this.#group}-`);
  }

  #namesOn(h: Host): string[] {
    return [...this.#placed].filter(([, x]) => x === h).map(([n]) => n);
  }

  // ---- the group's event source: every host's lifecycle events ----
  eventSource(): LifecycleSource {
    return {
      onLifecycle: (cb) => (this.#lifecycle.add(cb), () => this.#lifecycle.delete(cb)),
      onConnection: (cb) => (this.#connection.add(cb), () => this.#connection.delete(cb)),
      // A local process (a QEMU on this machine) is watched on any host's event loop: they share one.
      watchProcess: (pid, exited, failed) => {
        const src = this.hosts.find((h) => h.events)?.events;
        if (!src) {
          failed?.("no host's event connection is open");
          return () => {};
        }
        return src.watchProcess(pid, exited, failed);
      },
      close: async () => {},
    };
  }

  /** The host of the given URI's VM layer (its quick-call connection: owner marks, snapshots). */
  vmsOf(uri: string): HostVms {
    const h = this.hosts.find((x) => x.uri === uri);
    if (!h) throw new Error(`${uri}: not one of the group's hosts`);
    return h.vms;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.hosts.map((h) => h.close()));
  }
}

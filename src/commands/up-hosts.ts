// `up` over one libvirt host or several: which hosts (-c given more than once,
// else config hosts, else the one URI), and the VM layer the group runs on:
// one OwnedVms for one host, a HostSet of OwnedVms (src/scaler/hosts/) for
// several, each host's VMs marked with this process's owner mark through
// that host's own connection.
import { AsyncConnection, DomainEvents, type Connection } from "../../ffi/index.ts";
import type { CommandContext } from "../cli.ts";
import { UsageError } from "../cli.ts";
import type { Config } from "../config.ts";
import type { GuestImage } from "../guest/image.ts";
import type { Store } from "../store.ts";
import { HostSet, type HostSpec } from "../scaler/hosts/host-set.ts";
import { OwnedVms } from "../scaler/owned-vms.ts";
import type { LifecycleSource } from "../scaler/ports.ts";
import type { StatsConnection } from "../scaler/monitor.ts";

/** The hosts of this run: every -c (with config hosts' max_vms / weight for the same URI), else config hosts, else the one URI. */
export function hostSpecsOf(ctx: Pick<CommandContext, "uri" | "uris">, config: Config): HostSpec[] {
  const byUri = new Map((config.hosts ?? []).map((h) => [h.uri, h]));
  const hosts = ctx.uris.length > 0 ? ctx.uris.map((uri) => ({ ...byUri.get(uri), uri })) : config.hosts?.length ? config.hosts.map((h) => ({ ...h })) : [{ uri: ctx.uri }];
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h.uri)) throw new UsageError(`-c ${h.uri} is given twice`);
    seen.add(h.uri);
    // A loopback forward listens on the loopback of the machine QEMU runs on: from here, a remote host's is out of reach.
    if (config.vm.network === "user" && remoteServer(h.uri))
      throw new UsageError(`${h.uri}: vm.network "user" reaches each VM through a loopback forward on the host that runs it, which this machine cannot reach; put the VMs on a libvirt network there ({"vm": {"network": "network", "network_name": "NAME"}})`);
  }
  return hosts;
}

/** The server part of a libvirt URI when it names another machine (qemu+tcp://HOST/system), else null (local: qemu:///system, test:///default, localhost). */
export function remoteServer(uri: string): string | null {
  const m = /^[a-z0-9+]+:\/\/(?:[^@/]*@)?([^/:?]*)/i.exec(uri);
  const server = m?.[1] ?? "";
  if (!server || server === "localhost" || server.startsWith("127.") || server === "[::1]") return null;
  return server;
}

export interface VmLayer {
  /** What the group runs on (OwnedVms, or the HostSet over several). */
  vms: OwnedVms | HostSet;
  /** The first host's VM layer: snapshots from the dashboard and the API act there. */
  primary: OwnedVms;
  hostSet: HostSet | null;
  /** Every host's quick-call connection with its URI (owner marks are checked on each). */
  connOf(name: string): Connection;
  /** The VM layer of the host the VM is on (snapshots, the operation registry's look at a domain), or why not while that host is lost. */
  vmsFor(name: string): OwnedVms | string;
  connect: () => StatsConnection | Promise<StatsConnection>;
  events: () => Promise<LifecycleSource>;
  endNew(): Promise<void>;
  close(): Promise<void>;
}

export interface VmLayerOptions {
  hosts: HostSpec[];
  config: Config;
  image: GuestImage | null;
  group: string;
  store: Store;
  /** Write this process's owner mark on the named domain through that connection. */
  mark: (conn: Connection, name: string) => void;
}

export async function vmLayer(o: VmLayerOptions): Promise<VmLayer> {
  const { config, image, group } = o;
  if (o.hosts.length === 1) {
    const uri = o.hosts[0]!.uri;
    const vms: OwnedVms = new OwnedVms({ uri, config, image, group, claim: (name) => o.mark(vms.conn, name) });
    return {
      vms,
      primary: vms,
      hostSet: null,
      connOf: () => vms.conn,
      vmsFor: () => vms,
      connect: () => AsyncConnection.open(uri, { readOnly: true }),
      events: () => DomainEvents.open(uri),
      endNew: () => vms.endNew(),
      close: () => vms.close(),
    };
  }
  if (config.scaler.template) throw new UsageError(`scaler.template with ${o.hosts.length} hosts: a template domain lives on one host; give one -c`);
  const owned: OwnedVms[] = [];
  const set = new HostSet({
    hosts: o.hosts,
    makeVms: (uri) => {
      const vms: OwnedVms = new OwnedVms({ uri, config, image, group, claim: (name) => o.mark(vms.conn, name) });
      owned.push(vms);
      return vms;
    },
    // Reopened by the host itself (reachable first): the shared loop never blocks on a host that drops packets.
    openEvents: (uri) => DomainEvents.open(uri, { reconnect: false }),
    openStats: (uri) => AsyncConnection.open(uri, { readOnly: true }),
    vm: config.vm,
    overcommit: config.scaler.overcommit,
    store: o.store,
    group,
  });
  await set.open();
  const source = set.statsSource();
  const events = set.eventSource();
  return {
    vms: set,
    primary: owned[0]!,
    hostSet: set,
    connOf: (name) => set.vmsOf(set.hostOf(name) ?? o.hosts[0]!.uri).conn,
    // A quick call to a lost host would hold this thread: not made.
    vmsFor: (name) => set.lostReason(name) ?? (set.vmsOf(set.hostOf(name) ?? o.hosts[0]!.uri) as OwnedVms),
    connect: () => source,
    events: async () => events,
    endNew: async () => void (await Promise.all(owned.map((v) => v.endNew()))),
    close: () => set.close(),
  };
}

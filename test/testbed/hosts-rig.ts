// A group over several libvirt hosts as `up -c URI -c URI ...` builds it
// (src/commands/up-hosts.ts: a HostSet of VM managers, its stats and event
// sources), for the tests and bench/hosts.ts: a balancer on loopback, a load
// generator (off), a unique prefix; close() stops the run, removes its VMs and
// sweeps every host for anything of the prefix.
import { AsyncConnection, DomainEvents } from "../../ffi/index.ts";
import { parseConfig, type Config } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { LoadGenerator } from "../../src/load/index.ts";
import { HostSet, type HostSpec } from "../../src/scaler/hosts/host-set.ts";
import { startGroup, type RunningGroup } from "../../src/scaler/run.ts";
import { Store } from "../../src/store.ts";
import { buildImage, defaultImageDir, findImage } from "../../src/guest/image.ts";
import { VmManager } from "../../src/vm/manager.ts";
import { rand6, sweep } from "../scaler/qemu-rig.ts";

export interface HostsRig {
  prefix: string;
  config: Config;
  store: Store;
  set: HostSet;
  run: RunningGroup;
  load: LoadGenerator;
  /** Stop (removing the run's VMs), close the hosts' connections, sweep the prefix off every host; the names the sweep found. */
  close(): Promise<string[]>;
}

export async function hostsRig(hosts: HostSpec[], o: { scaler?: Record<string, unknown>; extra?: Record<string, unknown>; prefix?: string } = {}): Promise<HostsRig> {
  const prefix = o.prefix ?? `vst-hosts-${rand6()}`;
  const config = parseConfig({
    auto_scaler_domain_prefix: prefix,
    // Cheap requests of nearly equal cost, not all the same n (answers are matched by value).
    req_num_low: 4000,
    req_num_high: 6000,
    scaler: { period_s: 1, ready_timeout_s: 150, min: 1, max: 2, paused: true, ...o.scaler },
    lb: { timeout_ms: 2000, drain_timeout_s: 5 },
    vm: { network: "network", network_name: "vsnet" },
    ...o.extra,
  });
  const image = findImage(config.vm.image_dir ?? defaultImageDir()) ?? (await buildImage({ cacheDir: config.vm.image_dir }));
  const store = new Store();
  const set = new HostSet({
    hosts,
    makeVms: (uri) => new VmManager({ uri, config, image, group: prefix }),
    // Reopened by the host itself (reachable first): the shared loop never blocks on a host that drops packets.
    openEvents: (uri) => DomainEvents.open(uri, { reconnect: false }),
    openStats: (uri) => AsyncConnection.open(uri, { readOnly: true }),
    vm: config.vm,
    overcommit: config.scaler.overcommit,
    store,
    group: prefix,
  });
  const sweepAll = () => hosts.flatMap((h) => sweep(prefix, h.uri));
  try {
    await set.open();
    const workScale = config.vm.work_scale;
    const balancer = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: config.lb, store, workScale });
    let load!: LoadGenerator;
    const source = set.statsSource();
    const events = set.eventSource();
    const run = await startGroup({
      config,
      store,
      vms: set,
      hosts: set,
      balancer,
      connect: () => source,
      events: async () => events,
      group: prefix,
      tick: false,
      load: "off",
      makeLoad: (target, rate) => (load = new LoadGenerator({ target, config, rate, scale: workScale })),
    });
    let closed: Promise<string[]> | undefined;
    return {
      prefix,
      config,
      store,
      set,
      run,
      load,
      close: () =>
        (closed ??= (async () => {
          try {
            await run.stop({ removeVms: true });
          } finally {
            await set.close();
          }
          return sweepAll();
        })()),
    };
  } catch (e) {
    await set.close();
    sweepAll();
    throw e;
  }
}

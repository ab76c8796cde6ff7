// Shared set-up for the real-QEMU tests and bench: a VmManager with the guest
// image, a Balancer, a group with a unique prefix (vst-scaler-<rand6>) on
// qemu:///system (or another URI: a testbed host), and a sweep that removes
// every domain of that prefix, also on failure; small readers of the domains.
import { expect } from "bun:test";
import { AsyncConnection, Connection, DomainEvents, DomainUndefineFlags, domainStateName } from "../../ffi/index.ts";
import { parseConfig, type Config } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { LoadGenerator } from "../../src/load/index.ts";
import { serviceCheckOf } from "../../src/protocol/service.ts";
import { startGroup, type RunningGroup } from "../../src/scaler/run.ts";
import { Store } from "../../src/store.ts";
import { buildImage, findImage, defaultImageDir } from "../../src/guest/image.ts";
import { VmManager } from "../../src/vm/manager.ts";

export const QEMU_URI = "qemu:///system";

/** Why the real-QEMU tests cannot run here, or null when qemu:///system answers. */
export function qemuUnavailable(): string | null {
  try {
    const c = Connection.open(QEMU_URI);
    c.close();
    return null;
  } catch (e) {
    return `qemu:///system does not answer: ${(e as Error).message}`;
  }
}

export const rand6 = () => Math.random().toString(36).slice(2, 8).padEnd(6, "0");
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface QemuRig {
  prefix: string;
  config: Config;
  store: Store;
  vms: VmManager;
  run: RunningGroup;
  load: LoadGenerator;
  close(): Promise<void>;
}

/** A group on `o.uri` (qemu:///system by default), its config from `scaler` and `extra` (top-level keys, replacing the rig's). */
export async function qemuRig(scaler: Record<string, unknown>, extra: Record<string, unknown> = {}, o: { uri?: string; prefix?: string } = {}): Promise<QemuRig> {
  const uri = o.uri ?? QEMU_URI;
  const prefix = o.prefix ?? `vst-scaler-${rand6()}`;
  const config = parseConfig({
    auto_scaler_domain_prefix: prefix,
    auto_scaler_load_minimum_seconds: 3,
    // Cheap requests of nearly equal cost (a guest's capacity is steady), but not all the same n:
    // answers are matched to requests by value, and with one n for all, one lost request would
    // shift every later match (seen: a steady ~2.75 s apparent latency after a VM was destroyed).
    req_num_low: 4000,
    req_num_high: 6000,
    scaler: { period_s: 1, ready_timeout_s: 120, min: 1, max: 2, ...scaler },
    lb: { timeout_ms: 3000, drain_timeout_s: 10 },
    // Scaler's port range is 33000-33999: loopback forwards from a random base inside it.
    vm: { port_base: 33000 + Math.floor(Math.random() * 90) * 10 },
    ...extra,
  });
  const image = findImage(config.vm.image_dir ?? defaultImageDir()) ?? (await buildImage({ cacheDir: config.vm.image_dir }));
  const store = new Store();
  const vms = new VmManager({ uri, config, image, group: prefix });
  const workScale = config.vm.work_scale;
  // As `up` wires it: health probes held to the config's service check (a server that is not virtscale's with service.check any).
  const balancer = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: config.lb, store, workScale, check: serviceCheckOf(config) });
  let load!: LoadGenerator;
  const run = await startGroup({
    config,
    store,
    vms,
    balancer,
    // As `up` wires it: samples on the worker, deaths from libvirt's events.
    connect: () => AsyncConnection.open(uri, { readOnly: true }),
    events: () => DomainEvents.open(uri),
    group: prefix,
    tick: false,
    load: "off",
    makeLoad: (target, rate) => (load = new LoadGenerator({ target, config, rate, scale: workScale })),
  });
  return {
    prefix,
    config,
    store,
    vms,
    run,
    load,
    async close() {
      try {
        await run.stop({ removeVms: true });
      } finally {
        await vms.close().catch(() => {});
        sweep(prefix, uri);
      }
    },
  };
}

/** A test's afterAll: close the rig (stop, remove its VMs), then nothing of its prefix may be left. */
export async function closeRig(rig: QemuRig | undefined): Promise<void> {
  if (!rig) return;
  await rig.close();
  expect(sweep(rig.prefix)).toEqual([]);
}

/** Destroy and undefine every domain whose name starts with prefix (ours only: the prefix is unique to the run); the names it found. */
export function sweep(prefix: string, uri = QEMU_URI): string[] {
  const left: string[] = [];
  let c: Connection;
  try {
    c = Connection.open(uri);
  } catch {
    return left;
  }
  try {
    for (const d of c.listAllDomains()) {
      try {
        const name = d.name();
        if (!name.startsWith(prefix)) continue;
        left.push(name);
        if (d.isActive()) d.destroy();
        if (d.isPersistent()) d.undefine(DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA | DomainUndefineFlags.NVRAM);
      } catch {
        /* best effort */
      } finally {
        d.free();
      }
    }
  } finally {
    c.close();
  }
  return left;
}

/** Poll cond every 250 ms until it holds; throw with `what` after timeoutMs. */
export async function until(what: string, cond: () => boolean, timeoutMs: number, dump?: () => unknown): Promise<number> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${dump ? `: ${JSON.stringify(dump())}` : ""}`);
    await sleep(250);
  }
  return performance.now() - t0;
}

/** Names of the domains on `uri` that start with prefix. */
export function domainsOn(uri: string, prefix: string): string[] {
  const c = Connection.open(uri);
  try {
    return c
      .listAllDomains()
      .map((d) => {
        const n = d.name();
        d.free();
        return n;
      })
      .filter((n) => n.startsWith(prefix));
  } finally {
    c.close();
  }
}

/** A domain's state as virsh names it ("running", "paused", ...), or null when there is no such domain. */
export function domainState(name: string, uri = QEMU_URI): string | null {
  const c = Connection.open(uri);
  try {
    using d = c.lookupByName(name);
    return domainStateName(d.state().state);
  } catch {
    return null;
  } finally {
    c.close();
  }
}

// The set-up the group's tests on libvirt's test driver share: a config with
// short periods, a Store, a real Balancer on 127.0.0.1 port 0 and a Group in
// manual steps over a VmOps (TestDriverVms, or a wrapper of it), sampling
// through a read-only AsyncConnection as `up` does; every rig made is torn
// down after each test (the group stops removing its VMs, then a sweep of the
// prefix). One file's tests keep one connection open (`keepTestDriver`):
// test:///default's state lives only as long as a connection does.
import { afterAll, afterEach } from "bun:test";
import { AsyncConnection, Connection } from "../../ffi/index.ts";
import { parseConfig, type Config } from "../../src/config.ts";
import { Balancer } from "../../src/lb/balancer.ts";
import { Group } from "../../src/scaler/group.ts";
import type { VmOps } from "../../src/scaler/ports.ts";
import { Store, type OperationProbe } from "../../src/store.ts";
import type { TestDriverVms } from "./testdriver-vms.ts";

export const TEST_URI = "test:///default";
export const rand6 = () => Math.random().toString(36).slice(2, 8);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A connection to test:///default held for the whole file (closed in afterAll): the driver's domains live as long as it does. */
export function keepTestDriver(): Connection {
  const keeper = Connection.open(TEST_URI);
  afterAll(() => keeper.close());
  return keeper;
}

/** The tests' config: 0.2 s steps, 5 s to become ready, 1..3 VMs, a 500 ms answer timeout; `o` overrides per key (scaler and lb merged). */
export function rigConfig(prefix: string, o: { scaler?: Record<string, unknown>; lb?: Record<string, unknown>; [key: string]: unknown } = {}): Config {
  const { scaler, lb, ...rest } = o;
  return parseConfig({
    auto_scaler_domain_prefix: prefix,
    auto_scaler_load_minimum_seconds: 1,
    ...rest,
    scaler: { period_s: 0.2, ready_timeout_s: 5, min: 1, max: 3, ...scaler },
    lb: { timeout_ms: 500, drain_timeout_s: 2, ...lb },
  });
}

export interface GroupRig<V extends VmOps = TestDriverVms> {
  prefix: string;
  config: Config;
  store: Store;
  vms: V;
  lb: Balancer;
  front: { host: string; port: number };
  group: Group;
}

type GroupOptions = ConstructorParameters<typeof Group>[0];

/** Start the Balancer and build the Group (not started); `group` overrides the Group's options (manual steps, 600 ms unhealthy grace, 200 ms launch retry). */
export async function startGroupRig<V extends VmOps>(o: {
  prefix: string;
  config: Config;
  vms: V;
  /** The registry's view of the domains (what registerVmCommands installs in `up`). */
  probe?: OperationProbe;
  group?: Partial<Omit<GroupOptions, "config" | "store" | "balancer" | "vms">>;
}): Promise<GroupRig<V>> {
  const { prefix, config, vms } = o;
  const store = new Store();
  if (o.probe) store.operations.probe = o.probe;
  const lb = new Balancer({ listen: { host: "127.0.0.1", port: 0 }, config: config.lb, store, workScale: 1 });
  const front = await lb.start();
  const group = new Group({
    config,
    store,
    balancer: lb,
    vms,
    connect: () => AsyncConnection.open(TEST_URI, { readOnly: true }),
    manual: true,
    unhealthyGraceMs: 600,
    launchRetryMs: 200,
    ...o.group,
  });
  return { prefix, config, store, vms, lb, front, group };
}

/**
 * The rigs of this file, each torn down after its test: the group stops
 * removing its VMs, the balancer closes, then `sweep` (by default every
 * domain of the prefix, through TestDriverVms.cleanup). Push every rig made.
 */
export function groupRigs<R extends GroupRig<VmOps>>(sweep: (r: R) => Promise<void> = (r) => (r.vms as unknown as TestDriverVms).cleanup(r.prefix)): R[] {
  const rigs: R[] = [];
  afterEach(async () => {
    for (const r of rigs.splice(0)) {
      await r.group.stop({ removeVms: true }).catch(() => {});
      await r.lb.close();
      await sweep(r);
    }
  });
  return rigs;
}

/** Step the group every `everyMs` until cond() holds; after timeoutMs, fail naming `what` and the members. */
export async function stepUntil(r: GroupRig<VmOps>, cond: () => boolean, timeoutMs = 8000, o: { what?: string; everyMs?: number } = {}): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > timeoutMs) {
      const members = r.group.members().map((m) => [m.name, m.role, m.filling ?? false, m.address]);
      throw new Error(`${o.what ?? "condition"} not met after ${timeoutMs} ms; members: ${JSON.stringify(members)}`);
    }
    await r.group.step();
    await sleep(o.everyMs ?? 100);
  }
}

/** The serving members' names, sorted. */
export const servingNames = (r: GroupRig<VmOps>) => r.group.serving().map((m) => m.name).sort();

/** The domains of `prefix` that libvirt has, each with whether it runs (in listing order). */
export function domainsOf(conn: Connection, prefix: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const d of conn.listAllDomains()) {
    const n = d.name();
    if (n.startsWith(prefix)) out.set(n, d.isActive());
    d.free();
  }
  return out;
}

// The API's view of VMs and the long operations on them (snapshot, restore,
// create, delete), shared by the original routes (/create, /snapshot) and /v1.
// Snapshots and restores go through the one snapshot use case
// (src/vm/snapshots.ts); every operation registers in the store's registry.
// Every slow step runs through VmManager, whose libvirt calls run on ffi's
// worker thread: the event loop keeps answering while a save runs.
import { ErrorNumber, LibvirtError } from "../../ffi/index.ts";
import { BusyError } from "../store.ts";
import type { ManagedVm } from "../vm/manager.ts";
import { PathError, resolveInside } from "../vm/paths.ts";
import { SnapshotError, type SnapshotDescriptor } from "../vm/snapshot-descriptor.ts";
import { restoreSnapshot, saveSnapshot, type SaveResult } from "../vm/snapshots.ts";
import { ApiError, toApiError } from "./errors.ts";
import type { ApiDeps } from "./route.ts";
import { VM_NAME } from "./schemas.ts";
import type { z } from "zod";
import type { Vm } from "./schemas.ts";
import { errorMessage } from "../errors.ts";

export type VmBody = z.infer<typeof Vm>;

/** A listing taken this long before the operations began still counts as taken "just before" (clocks: Date.now vs the store's). */
const LISTING_SLACK_MS = 1000;

export function vmBody(deps: ApiDeps, m: ManagedVm): VmBody {
  const view = deps.store.state.vms.get(m.name);
  return {
    name: m.name,
    uuid: m.uuid,
    group: m.group,
    role: view?.role && view.role !== "unmanaged" ? view.role : m.role,
    state: m.state,
    port: m.port,
    address: m.address.port ? `${m.address.host}:${m.address.port}` : null,
    pid: m.state === "running" || m.state === "paused" ? deps.vms.pidOf(m.name) : null,
    cpuPct: view?.cpuPct ?? null,
    busy: deps.store.operations.get(m.name)?.kind ?? null,
  };
}

/** A VM name from the URL, or 400. */
export function checkVmName(name: string): string {
  if (!VM_NAME.test(name)) throw new ApiError(400, `name: '${name.slice(0, 80)}' is not a VM name (letters, digits, '_', '.', '-')`);
  return name;
}

/** An owned VM by name; 404 when it does not exist or is not virtscale's. */
export function ownedVm(deps: ApiDeps, name: string): ManagedVm {
  checkVmName(name);
  let vm: ManagedVm;
  try {
    vm = deps.vms.get(name);
  } catch (e) {
    if (e instanceof LibvirtError && e.code === ErrorNumber.NO_DOMAIN) throw new ApiError(404, `no VM named '${name}'`);
    if (e instanceof LibvirtError) throw toApiError(e);
    throw new ApiError(404, `no VM named '${name}' managed by virtscale (${errorMessage(e)})`);
  }
  if (vm.group !== deps.vms.group) throw new ApiError(404, `VM '${name}' belongs to virtscale group '${vm.group}', not to this run's group '${deps.vms.group}'`);
  return vm;
}

/** The VMs of this run's group (other virtscale groups on the same host are not ours to touch). */
export function groupVms(deps: ApiDeps): ManagedVm[] {
  return deps.vms.listOwned().filter((v) => v.group === deps.vms.group);
}

/**
 * The group's VMs for GET /v1/vms: fresh, or (while an operation of this run
 * runs) the listing taken since they began (just before, when the API started
 * one), with its age.
 */
export function listForRead(deps: ApiDeps): { vms: ManagedVm[]; cachedAgeMs: number | null } {
  const busySince = deps.store.operations.busySince;
  if (busySince !== null && deps.listing && deps.listing.at >= busySince - LISTING_SLACK_MS) return { vms: deps.listing.vms, cachedAgeMs: Date.now() - deps.listing.at };
  const vms = groupVms(deps);
  deps.listing = { at: Date.now(), vms };
  return { vms, cachedAgeMs: null };
}

/** The owned VM whose service port is `port` (the original API names VMs by their RPC port). */
export function vmByPort(deps: ApiDeps, port: number): ManagedVm {
  const { vms, cachedAgeMs } = listForRead(deps);
  const vm = vms.find((v) => v.port === port) ?? (cachedAgeMs !== null ? groupVms(deps).find((v) => v.port === port) : undefined);
  if (!vm) throw new ApiError(404, `rpc_port: no VM managed by virtscale serves on port ${port}`);
  return vm;
}

/** A user path confined to a directory; refusals are 400 naming the field. */
export function confined(dir: string, userPath: string, field: string, kind: "snapshot" | "kernel"): string {
  try {
    return resolveInside(dir, userPath, `${kind} directory`);
  } catch (e) {
    throw toApiError(e, field);
  }
}

/**
 * Run `fn` as an operation on the VM in the store's registry (the one the
 * dashboard and the scaler read): a second long operation on the same VM,
 * from here or from the dashboard, is a 409, not a queue.
 */
export async function withVmLock<T>(deps: ApiDeps, name: string, kind: "create" | "delete", fn: () => Promise<T>): Promise<T> {
  const ops = deps.store.operations;
  const held = ops.get(name);
  if (held) throw toApiError(new BusyError(held, deps.store.now()));
  // List now, while nothing holds libvirtd: reads during the operation answer from this.
  if (ops.size === 0) listForRead(deps);
  try {
    return await ops.run(name, kind, "api", fn);
  } catch (e) {
    // The dashboard shows the API's failures too.
    deps.store.error(`api:${kind}:${name}`, e);
    throw e;
  }
}

/** The snapshot use case as the API calls it: its events and its operation go to the run's store. */
function snapshotContext(deps: ApiDeps) {
  return { vms: deps.vms, store: deps.store, by: "api" as const };
}

/** Run a snapshot use case call, taking the listing first (reads while it runs answer from it) and reporting its failure. */
async function asApi<T>(deps: ApiDeps, source: string, fn: () => Promise<T>): Promise<T> {
  if (deps.store.operations.size === 0) listForRead(deps);
  try {
    return await fn();
  } catch (e) {
    // The dashboard shows what failed in libvirt or on disk; a refused request is the client's answer alone.
    if (!(e instanceof SnapshotError || e instanceof PathError || e instanceof BusyError)) deps.store.error(source, e);
    throw e;
  }
}

/**
 * Save a VM to `memoryPath` and write its descriptor to `cpuPath` (both
 * absolute, already confined). The VM keeps running with resume, else stays off.
 */
export async function takeSnapshot(
  deps: ApiDeps,
  opts: { vm: ManagedVm; id: string; memoryPath: string; cpuPath: string; resume: boolean },
): Promise<SaveResult & { descriptor: SnapshotDescriptor }> {
  const { vm } = opts;
  const r = await asApi(deps, `api:snapshot:${vm.name}`, () =>
    saveSnapshot(snapshotContext(deps), {
      name: vm.name,
      path: opts.memoryPath,
      resume: opts.resume,
      descriptor: { path: opts.cpuPath, id: opts.id },
      imageField: "memory_snapshot_path",
    }),
  );
  return r as SaveResult & { descriptor: SnapshotDescriptor };
}

/** Restore from a descriptor + image pair (absolute, confined), after checking they belong together. */
export async function restorePair(deps: ApiDeps, opts: { cpuPath: string; memoryPath: string }): Promise<ManagedVm> {
  return asApi(deps, `api:restore:${opts.memoryPath}`, () => restoreSnapshot(snapshotContext(deps), { path: opts.memoryPath, descriptor: opts.cpuPath }));
}

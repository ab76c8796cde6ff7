// The API's view of VMs and the long operations on them (snapshot, restore,
// create, delete), shared by the original routes (/create, /snapshot) and /v1.
// Every slow step runs through VmManager, whose libvirt calls run on ffi's
// worker thread: the event loop keeps answering while a save runs.
import { existsSync, lstatSync, mkdirSync } from "node:fs";
import { dirname, relative } from "node:path";
import { ErrorNumber, LibvirtError } from "../../ffi/index.ts";
import type { ManagedVm } from "../vm/manager.ts";
import { resolveInside } from "../vm/paths.ts";
import { readDescriptor, sha256File, verifyPair, writeDescriptor } from "./descriptor.ts";
import { ApiError, toApiError } from "./errors.ts";
import type { ApiDeps } from "./route.ts";
import { VM_NAME, type SnapshotDescriptor } from "./schemas.ts";
import type { z } from "zod";
import type { Vm } from "./schemas.ts";
import { errorMessage } from "../errors.ts";

export type VmBody = z.infer<typeof Vm>;

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
    cpu_pct: view?.cpuPct ?? null,
    busy: deps.busy.get(m.name) ?? null,
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

/** The group's VMs for GET /v1/vms: fresh, or (while an API operation runs) the listing taken just before it, with its age. */
export function listForRead(deps: ApiDeps): { vms: ManagedVm[]; cachedAgeMs: number | null } {
  if (deps.busy.size > 0 && deps.listing) return { vms: deps.listing.vms, cachedAgeMs: Date.now() - deps.listing.at };
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

/** Run `fn` holding the VM's lock: a second long operation on the same VM is a 409, not a queue. */
export async function withVmLock<T>(deps: ApiDeps, name: string, what: string, fn: () => Promise<T>): Promise<T> {
  const held = deps.busy.get(name);
  if (held) throw new ApiError(409, `VM '${name}' is busy: ${held} in progress`);
  // List now, while nothing holds libvirtd: reads during the operation answer from this.
  if (deps.busy.size === 0) listForRead(deps);
  deps.busy.set(name, what);
  try {
    // Through the store's busy list, so the dashboard shows the API's operation while it runs (and its failure).
    const id = `api:${what}:${name}`;
    return await deps.store.whileBusy(id, `api: ${what} ${name}`, async () => {
      try {
        return await fn();
      } catch (e) {
        deps.store.error(id, e);
        throw e;
      }
    });
  } finally {
    deps.busy.delete(name);
  }
}

const SNAPSHOTTABLE = new Set(["running", "paused"]);
const SAME_FILE = "cpu_snapshot_path and memory_snapshot_path name the same file";

/** The file may be replaced (absent, or a regular file) and its directory exists (made here, inside the confined dir). */
function prepareTarget(path: string, field: string): void {
  if (existsSync(path) && !lstatSync(path).isFile()) throw new ApiError(400, `${field}: exists and is not a regular file`);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new ApiError(400, `${field}: cannot create its directory: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
}

/**
 * Save a VM to `memoryPath` and write its descriptor to `cpuPath` (both
 * absolute, already confined). The VM keeps running with resume, else stays off.
 */
export async function takeSnapshot(
  deps: ApiDeps,
  opts: { vm: ManagedVm; id: string; memoryPath: string; cpuPath: string; resume: boolean },
): Promise<SnapshotDescriptor> {
  const { vm } = opts;
  if (!SNAPSHOTTABLE.has(vm.state)) throw new ApiError(409, `VM '${vm.name}' is ${vm.state}: only a running or paused VM can be snapshotted`);
  if (opts.memoryPath === opts.cpuPath) throw new ApiError(400, SAME_FILE);
  // Refuse targets we could not write before the VM is stopped: a failed rename after the save would lose the image.
  prepareTarget(opts.memoryPath, "memory_snapshot_path");
  prepareTarget(opts.cpuPath, "cpu_snapshot_path");
  return withVmLock(deps, vm.name, "snapshot", async () => {
    const store = deps.store;
    store.emit({ type: "snapshot", ts: store.now(), name: vm.name, action: "save", status: "started", path: opts.memoryPath });
    try {
      const r = await deps.vms.save(vm.name, opts.memoryPath, { resume: opts.resume });
      const d: SnapshotDescriptor = {
        format: "virtscale-snapshot/1",
        id: opts.id,
        domain: vm.name,
        uuid: vm.uuid,
        group: vm.group,
        port: vm.port,
        image: relative(deps.snapshotDir, r.path),
        image_sha256: await sha256File(r.path),
        image_bytes: r.bytes,
        created: new Date().toISOString(),
        resumed: opts.resume,
        save_ms: r.ms,
      };
      await writeDescriptor(opts.cpuPath, d);
      store.emit({ type: "snapshot", ts: store.now(), name: vm.name, action: "save", status: "done", path: r.path, ms: r.ms });
      return d;
    } catch (e) {
      store.emit({ type: "snapshot", ts: store.now(), name: vm.name, action: "save", status: "failed", path: opts.memoryPath, error: errorMessage(e) });
      throw e;
    }
  });
}

/** Restore from a descriptor + image pair (absolute, confined), after checking they belong together. */
export async function restorePair(deps: ApiDeps, opts: { cpuPath: string; memoryPath: string }): Promise<ManagedVm> {
  if (opts.memoryPath === opts.cpuPath) throw new ApiError(400, SAME_FILE);
  const d = readDescriptor(opts.cpuPath, "cpu_snapshot_path");
  await verifyPair(d, opts.memoryPath);
  let current: ManagedVm | undefined;
  try {
    current = deps.vms.get(d.domain);
  } catch {
    /* not defined any more: the restore brings it back */
  }
  if (current && SNAPSHOTTABLE.has(current.state))
    throw new ApiError(409, `VM '${d.domain}' is ${current.state}: stop it (or delete it) before restoring its snapshot`);
  return withVmLock(deps, d.domain, "restore", async () => {
    const store = deps.store;
    store.emit({ type: "snapshot", ts: store.now(), name: d.domain, action: "restore", status: "started", path: opts.memoryPath });
    const t0 = performance.now();
    try {
      const vm = await deps.vms.restore(opts.memoryPath);
      store.emit({ type: "snapshot", ts: store.now(), name: vm.name, action: "restore", status: "done", path: opts.memoryPath, ms: Math.round(performance.now() - t0) });
      return vm;
    } catch (e) {
      store.emit({ type: "snapshot", ts: store.now(), name: d.domain, action: "restore", status: "failed", path: opts.memoryPath, error: errorMessage(e) });
      throw e;
    }
  });
}

// The snapshot use case, the one the dashboard's named commands
// (src/vm/commands.ts), the CLI (src/commands/snapshot.ts, restore.ts) and
// the API (src/api/vm-ops.ts) all call: save a VM's CPU + memory state
// (resume: it runs on; halt: it is left stopped) and restore it. Here, and
// only here: the state checks, the operation in the store's registry, the
// mark in the domain's metadata that tells a group in another process that
// the VM is busy, not dead (src/vm/operations.ts), the snapshot events, the
// descriptor pair (src/vm/snapshot-descriptor.ts), and saying so when a save
// with resume had to stop the VM.
import { existsSync, lstatSync, mkdirSync } from "node:fs";
import { dirname, relative } from "node:path";
import type { VirtscaleEvent } from "../events.ts";
import { errorMessage } from "../errors.ts";
import type { Operation, OperationSource, Store } from "../store.ts";
import { BusyError } from "../store.ts";
import type { ManagedVm, VmManager } from "./manager.ts";
import { clearMark, markFor, markOperation, markStale, readMark, writeMark } from "./operations.ts";
import { resolveInside } from "./paths.ts";
import { readDescriptor, sha256File, SnapshotError, verifyPair, writeDescriptor, type SnapshotDescriptor } from "./snapshot-descriptor.ts";
import { parseDomainXml } from "./xml.ts";

export type SnapshotVms = Pick<VmManager, "save" | "restore" | "get" | "snapshotDir" | "conn">;
export type SnapshotEvent = Extract<VirtscaleEvent, { type: "snapshot" }>;

export interface SnapshotContext {
  vms: SnapshotVms;
  /** Who asks: the registry and the events say so. */
  by: OperationSource;
  /** The run's store: events go there, the operation registers there. The CLI has none (its mark is what others see). */
  store?: Store;
  /** Also called with every snapshot event (the CLI prints them). */
  onEvent?: (ev: SnapshotEvent) => void;
  /** Also called with what the user should know (the fallback that stopped the VM). */
  onWarning?: (message: string) => void;
}

export interface SaveOptions {
  name: string;
  /** The save file, inside the snapshot directory (default NAME-YYYYmmdd-HHMMSS.save). */
  path?: string;
  resume: boolean;
  /** Also write the descriptor (the original API's cpu_snapshot_path) here, for snapshot `id`. */
  descriptor?: { path: string; id: string };
  /** How the request names the image in errors (the API: memory_snapshot_path). */
  imageField?: string;
}

export interface SaveResult {
  vm: ManagedVm;
  path: string;
  bytes: number;
  ms: number;
  method: "save" | "snapshot" | "save+restore";
  /** Set when the save did what was not asked (the VM was stopped for a save with resume), with libvirt's reason. */
  warning?: string;
  descriptor?: SnapshotDescriptor;
}

export interface RestoreOptions {
  /** The save image, inside the snapshot directory. */
  path: string;
  /** Its descriptor (absolute, confined): the pair is checked before libvirt is asked anything. */
  descriptor?: string;
}

const SNAPSHOTTABLE = new Set(["running", "paused"]);
const SAME_FILE = "cpu_snapshot_path and memory_snapshot_path name the same file";

/** Default file name for a snapshot of NAME: NAME-YYYYmmdd-HHMMSS.save (inside the snapshot directory). */
export function defaultSnapshotName(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${name}-${stamp}.save`;
}

const clock = (ctx: SnapshotContext) => ctx.store?.now() ?? Date.now();

function report(ctx: SnapshotContext, ev: Omit<SnapshotEvent, "type" | "ts" | "by">): void {
  const full: SnapshotEvent = { type: "snapshot", ts: clock(ctx), ...ev, by: ctx.by };
  ctx.store?.emit(full);
  ctx.onEvent?.(full);
}

function warn(ctx: SnapshotContext, message: string): void {
  ctx.store?.log(message, "warn");
  ctx.onWarning?.(message);
}

/** The file may be replaced (absent, or a regular file) and its directory exists (made here, inside the confined dir). */
function prepareTarget(path: string, field: string): void {
  if (existsSync(path) && !lstatSync(path).isFile()) throw new SnapshotError("invalid", `${field}: exists and is not a regular file`);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    throw new SnapshotError("invalid", `${field}: cannot create its directory: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
}

/**
 * Run fn as the operation on `vm`: refused while another process's live mark
 * is on the domain, or (with a store) while this run has one on it; the
 * domain is marked for the time it runs (a CLI without a mark would have its
 * VM taken for dead by the group of a running `up`: then it does not start).
 */
async function asOperation<T>(ctx: SnapshotContext, vm: string, kind: "snapshot" | "restore", mode: "resume" | "halt" | undefined, fn: (op: Operation) => Promise<T>): Promise<T> {
  const now = clock(ctx);
  let other: ReturnType<typeof readMark> = null;
  try {
    other = readMark(ctx.vms.conn, vm);
  } catch {
    /* not defined (a restore brings it back), or a driver without metadata */
  }
  if (other?.state === "running" && other.pid !== process.pid) {
    const op = markOperation(vm, other);
    if (!markStale(op, Date.now())) throw new BusyError(op, now);
  }
  const body = async (op: Operation) => {
    if (kind === "snapshot") {
      try {
        writeMark(ctx.vms.conn, vm, markFor(op));
      } catch (e) {
        const why = `cannot mark ${vm} as under a snapshot in its libvirt metadata: ${errorMessage(e)}`;
        // In another process nothing else tells a running group that the pause is on purpose.
        if (ctx.by === "cli") throw new Error(`${why}; not snapshotting it (a running virtscale up would take the paused VM for dead)`);
        warn(ctx, `${why}; another virtscale process may take it for dead meanwhile`);
      }
    }
    return fn(op);
  };
  if (ctx.store) return ctx.store.operations.run(vm, kind, ctx.by, body, mode ? { mode } : undefined);
  return body({ vm, kind, by: ctx.by, since: now, label: `${ctx.by}: ${kind} ${vm}`, ...(mode ? { mode } : {}) });
}

/** Set the mark the operation leaves (null: none); a failure is said, not thrown (the save or restore itself is done). */
function settleMark(ctx: SnapshotContext, vm: string, op: Operation, after: { halted: string } | null): void {
  try {
    if (after) writeMark(ctx.vms.conn, vm, markFor(op, "halted", after.halted));
    else clearMark(ctx.vms.conn, vm);
  } catch (e) {
    warn(ctx, `${vm}: cannot update its operation mark in the libvirt metadata: ${errorMessage(e)}`);
  }
}

/**
 * Save `name` (running or paused) to a file in the snapshot directory; with
 * resume it keeps running, else it is left stopped, and its mark says so
 * (a group releases it instead of replacing it: it may be restored).
 */
export async function saveSnapshot(ctx: SnapshotContext, o: SaveOptions): Promise<SaveResult> {
  // Every refusal is a "failed" event too (a script reading --json sees why), once.
  const failed = { reported: false };
  try {
    return await save(ctx, o, failed);
  } catch (e) {
    if (!failed.reported) report(ctx, { name: o.name, action: "save", status: "failed", ...(o.path ? { path: o.path } : {}), error: errorMessage(e) });
    throw e;
  }
}

async function save(ctx: SnapshotContext, o: SaveOptions, failed: { reported: boolean }): Promise<SaveResult> {
  const { vms } = ctx;
  const imageField = o.imageField ?? "path";
  const target = resolveInside(vms.snapshotDir, o.path ?? defaultSnapshotName(o.name));
  const vm = vms.get(o.name);
  if (!SNAPSHOTTABLE.has(vm.state)) throw new SnapshotError("conflict", `VM '${vm.name}' is ${vm.state}: only a running or paused VM can be snapshotted`);
  if (o.descriptor && o.descriptor.path === target) throw new SnapshotError("invalid", SAME_FILE);
  // Refuse targets we could not write before the VM is stopped: a failed rename after the save would lose the image.
  prepareTarget(target, imageField);
  if (o.descriptor) prepareTarget(o.descriptor.path, "cpu_snapshot_path");
  return asOperation(ctx, vm.name, "snapshot", o.resume ? "resume" : "halt", async (op) => {
    report(ctx, { name: vm.name, action: "save", status: "started", path: target });
    try {
      const r = await vms.save(vm.name, target, { resume: o.resume });
      settleMark(ctx, vm.name, op, o.resume ? null : { halted: r.path });
      const warning =
        r.method === "save+restore"
          ? `${vm.name}: the external snapshot was refused (libvirt: ${r.fallback ?? "no reason given"}), so it was saved with virDomainSave, which stopped the VM, and restored; ${(r.ms / 1000).toFixed(2)} s in all`
          : undefined;
      let descriptor: SnapshotDescriptor | undefined;
      if (o.descriptor) {
        descriptor = {
          format: "virtscale-snapshot/1",
          id: o.descriptor.id,
          domain: vm.name,
          uuid: vm.uuid,
          group: vm.group,
          port: vm.port,
          image: relative(vms.snapshotDir, r.path),
          image_sha256: await sha256File(r.path),
          image_bytes: r.bytes,
          created: new Date().toISOString(),
          resumed: o.resume,
          save_ms: r.ms,
          method: r.method,
        };
        await writeDescriptor(o.descriptor.path, descriptor);
      }
      // The done event says it (the dashboard's log shows its detail; --json and SSE carry it); the CLI warns too.
      report(ctx, { name: vm.name, action: "save", status: "done", path: r.path, ms: r.ms, method: r.method, ...(warning ? { detail: warning } : {}) });
      if (warning) ctx.onWarning?.(warning);
      return { vm, path: r.path, bytes: r.bytes, ms: r.ms, method: r.method, ...(warning ? { warning } : {}), ...(descriptor ? { descriptor } : {}) };
    } catch (e) {
      // libvirt resumes a VM whose save failed: nothing is left under way.
      settleMark(ctx, vm.name, op, null);
      report(ctx, { name: vm.name, action: "save", status: "failed", path: target, error: errorMessage(e) });
      failed.reported = true;
      throw e;
    }
  });
}

/** The domain a save image holds (its name comes back with it). */
function imageDomain(vms: SnapshotVms, target: string): string {
  return parseDomainXml(vms.conn.saveImageGetXMLDesc(target)).name;
}

/** Restore a VM from a save file (with its descriptor, checked first); it comes back with its name and UUID, unmarked. */
export async function restoreSnapshot(ctx: SnapshotContext, o: RestoreOptions): Promise<ManagedVm & { ms: number }> {
  const failed = { reported: false };
  try {
    return await restore(ctx, o, failed);
  } catch (e) {
    if (!failed.reported) report(ctx, { name: o.path, action: "restore", status: "failed", path: o.path, error: errorMessage(e) });
    throw e;
  }
}

async function restore(ctx: SnapshotContext, o: RestoreOptions, failed: { reported: boolean }): Promise<ManagedVm & { ms: number }> {
  const { vms } = ctx;
  const target = resolveInside(vms.snapshotDir, o.path);
  let name: string;
  if (o.descriptor !== undefined) {
    if (o.descriptor === target) throw new SnapshotError("invalid", SAME_FILE);
    const d = readDescriptor(o.descriptor, "cpu_snapshot_path");
    await verifyPair(d, target);
    name = d.domain;
  } else {
    if (!existsSync(target)) throw new SnapshotError("missing", `no snapshot file '${o.path}' in ${vms.snapshotDir}`);
    name = imageDomain(vms, target);
  }
  let current: ManagedVm | undefined;
  try {
    current = vms.get(name);
  } catch {
    /* not defined any more (or not ours): the restore brings it back */
  }
  if (current && SNAPSHOTTABLE.has(current.state)) throw new SnapshotError("conflict", `VM '${name}' is ${current.state}: stop it (or delete it) before restoring its snapshot`);
  return asOperation(ctx, name, "restore", undefined, async (op) => {
    report(ctx, { name, action: "restore", status: "started", path: target });
    const t0 = performance.now();
    try {
      const vm = await vms.restore(target);
      // The image carries the live definition it was saved with, its snapshot mark included; a halt left one in the config.
      settleMark(ctx, vm.name, op, null);
      const ms = Math.round(performance.now() - t0);
      report(ctx, { name: vm.name, action: "restore", status: "done", path: target, ms });
      return { ...vm, ms };
    } catch (e) {
      report(ctx, { name, action: "restore", status: "failed", path: target, error: errorMessage(e) });
      failed.reported = true;
      throw e;
    }
  });
}

// The VM actions as named store commands (the dashboard's keys, --json stdin
// lines and the API call these): `snapshot NAME resume|halt [PATH]` and
// `restore PATH`. Progress and results travel as "snapshot" events.
import type { Store } from "../store.ts";
import type { ManagedVm, VmManager } from "./manager.ts";
import { errorMessage } from "../errors.ts";

/** Default file name for a snapshot of NAME: NAME-YYYYmmdd-HHMMSS.save (inside the snapshot directory). */
export function defaultSnapshotName(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${name}-${stamp}.save`;
}

type VmActions = Pick<VmManager, "save" | "restore"> & Partial<Pick<VmManager, "accel">>;

export async function snapshotVm(
  store: Store | undefined,
  vms: VmActions,
  name: string,
  opts: { resume: boolean; path?: string },
): Promise<{ path: string; bytes: number; ms: number }> {
  const path = opts.path ?? defaultSnapshotName(name);
  const now = () => store?.now() ?? Date.now();
  store?.emit({ type: "snapshot", ts: now(), name, action: "save", status: "started", path });
  try {
    const r = await vms.save(name, path, { resume: opts.resume });
    store?.emit({ type: "snapshot", ts: now(), name, action: "save", status: "done", path: r.path, ms: r.ms });
    return r;
  } catch (e) {
    store?.emit({ type: "snapshot", ts: now(), name, action: "save", status: "failed", path, error: errorMessage(e) });
    throw e;
  }
}

export async function restoreVm(store: Store | undefined, vms: VmActions, path: string): Promise<ManagedVm & { ms: number }> {
  const now = () => store?.now() ?? Date.now();
  const t0 = performance.now();
  store?.emit({ type: "snapshot", ts: now(), name: path, action: "restore", status: "started", path });
  try {
    const vm = await vms.restore(path);
    const ms = Math.round(performance.now() - t0);
    store?.emit({ type: "snapshot", ts: now(), name: vm.name, action: "restore", status: "done", path, ms });
    return { ...vm, ms };
  } catch (e) {
    store?.emit({ type: "snapshot", ts: now(), name: path, action: "restore", status: "failed", path, error: errorMessage(e) });
    throw e;
  }
}

/** Register `snapshot` and `restore` on the store; also reports (once) whether guests run under KVM or TCG. */
export function registerVmCommands(store: Store, manager: VmActions): void {
  if (manager.accel) {
    try {
      const a = manager.accel();
      store.log(`vm: guests run under ${a.name} (${a.reason})`);
    } catch (e) {
      store.log(`vm: cannot tell KVM from TCG: ${errorMessage(e) ?? e}`, "warn");
    }
  }
  store.register({
    name: "snapshot",
    help: "snapshot NAME resume|halt [PATH]: save a VM's CPU + memory state (resume: keep it running)",
    run: async (args) => {
      const [name, mode = "resume", path] = args;
      if (!name) throw new Error("snapshot: usage: snapshot NAME resume|halt [PATH]");
      if (mode !== "resume" && mode !== "halt") throw new Error(`snapshot: expected resume or halt, got '${mode}'`);
      // store.run reports a rejection: whileBusy (not track) lets the error through.
      return store.whileBusy(`snapshot ${name}`, `saving ${name}`, () => snapshotVm(store, manager, name, { resume: mode === "resume", path }));
    },
  });
  store.register({
    name: "restore",
    help: "restore PATH: restore a VM from a snapshot file in the snapshot directory",
    run: async (args) => {
      const [path] = args;
      if (!path) throw new Error("restore: usage: restore PATH");
      return store.whileBusy(`restore ${path}`, `restoring ${path}`, () => restoreVm(store, manager, path));
    },
  });
}

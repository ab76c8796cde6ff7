// The VM actions as named store commands (the dashboard's keys, --json stdin
// lines): `snapshot NAME resume|halt [PATH]` and `restore PATH`, through the
// snapshot use case (src/vm/snapshots.ts). Also gives the store's operation
// registry its view of the domains (another process's marks), which the
// scaler reads before it takes a paused or stopped VM for dead.
import type { Store } from "../store.ts";
import { errorMessage } from "../errors.ts";
import type { VmManager } from "./manager.ts";
import { inspectDomain } from "./operations.ts";
import { restoreSnapshot, saveSnapshot, type SnapshotVms } from "./snapshots.ts";

type VmActions = SnapshotVms & Partial<Pick<VmManager, "accel">>;

/**
 * Register `snapshot` and `restore` on the store; also reports (once) whether
 * guests run under KVM or TCG. `on(name)`: the VM layer of the host a VM is on
 * (a group over several hosts), or why it cannot be asked now (its host is
 * lost); restores go to `manager`'s host.
 */
export function registerVmCommands(store: Store, manager: VmActions, on: (name: string) => SnapshotVms | string = () => manager): void {
  if (manager.accel) {
    try {
      const a = manager.accel();
      store.log(`vm: guests run under ${a.name} (${a.reason})`);
    } catch (e) {
      store.log(`vm: cannot tell KVM from TCG: ${errorMessage(e)}`, "warn");
    }
  }
  // Read only when the sample alone would call a member dead (rare): a quick metadata call on the caller's connection.
  // A VM whose host is lost cannot be asked: nothing says it is under an operation (the balancer's silence decides).
  store.operations.probe = (vm) => {
    const v = on(vm);
    return typeof v === "string" ? null : inspectDomain(v.conn, vm);
  };
  const ctx = { vms: manager, store, by: "dashboard" as const };
  store.register({
    name: "snapshot",
    help: "snapshot NAME resume|halt [PATH]: save a VM's CPU + memory state (resume: keep it running)",
    run: async (args) => {
      const [name, mode = "resume", path] = args;
      if (!name) throw new Error("snapshot: usage: snapshot NAME resume|halt [PATH]");
      if (mode !== "resume" && mode !== "halt") throw new Error(`snapshot: expected resume or halt, got '${mode}'`);
      const vms = on(name);
      if (typeof vms === "string") throw new Error(`snapshot: ${vms}`);
      const r = await saveSnapshot({ ...ctx, vms }, { name, resume: mode === "resume", path });
      return { path: r.path, bytes: r.bytes, ms: r.ms, method: r.method, ...(r.warning ? { warning: r.warning } : {}) };
    },
  });
  store.register({
    name: "restore",
    help: "restore PATH: restore a VM from a snapshot file in the snapshot directory",
    run: async (args) => {
      const [path] = args;
      if (!path) throw new Error("restore: usage: restore PATH");
      return restoreSnapshot(ctx, { path });
    },
  });
}

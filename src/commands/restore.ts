// `virtscale restore PATH`: bring a VM back from a snapshot file (same name and UUID),
// through the snapshot use case (src/vm/snapshots.ts).
import { UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { jsonLine } from "../output/json-line.ts";
import { VmManager } from "../vm/manager.ts";
import { defaultSnapshotDir } from "../vm/paths.ts";
import { listSnapshots } from "../vm/save-files.ts";
import { restoreSnapshot } from "../vm/snapshots.ts";

export const spec: CommandSpec = {
  name: "restore",
  summary: "PATH: restore a VM from a snapshot",
  usage: `PATH [--wait]
       virtscale restore --list

  PATH     a save file inside the snapshot directory (config vm.snapshot_dir, default ${defaultSnapshotDir()})
  --wait   also wait until the restored server answers a protocol request
  --list   list the snapshot files`,
  options: {
    wait: { type: "boolean" },
    list: { type: "boolean" },
  },
  positionals: true,
};

export async function run(ctx: CommandContext): Promise<number> {
  const out = (v: unknown) => process.stdout.write(jsonLine(v) + "\n");
  const vms = new VmManager({ uri: ctx.uri, config: ctx.config });
  try {
    if (ctx.values.list) {
      const files = listSnapshots(vms.snapshotDir);
      for (const f of files) {
        if (ctx.json) out({ type: "snapshot-file", ts: Date.now(), ...f });
        else process.stdout.write(`${new Date(f.mtime).toISOString()}  ${(f.bytes / 1e6).toFixed(0).padStart(5)} MB  ${f.name}\n`);
      }
      if (!files.length && !ctx.json) process.stderr.write(`restore: no snapshot files in ${vms.snapshotDir}\n`);
      return 0;
    }
    const [path, extra] = ctx.positionals;
    if (!path) throw new UsageError("restore: missing PATH");
    if (extra) throw new UsageError(`restore: unexpected argument '${extra}'`);
    if (!ctx.json) process.stderr.write(`restore: restoring from ${path} ...\n`);
    // The done line carries more than the event (the VM, the time to serving): printed below.
    const vm = await restoreSnapshot({ vms, by: "cli", onEvent: (ev) => ctx.json && ev.status !== "done" && out(ev) }, { path });
    let servingMs: number | undefined;
    if (ctx.values.wait) servingMs = await vms.waitServing(vm.name);
    if (ctx.json) out({ type: "snapshot", ts: Date.now(), name: vm.name, action: "restore", status: "done", by: "cli", path, ms: vm.ms, servingMs, vm });
    else
      process.stdout.write(
        `${vm.name}: restored in ${(vm.ms / 1000).toFixed(2)} s, ${vm.state}, service ${vm.address.host}:${vm.address.port}${servingMs !== undefined ? `, answering after ${servingMs} ms` : ""}\n`,
      );
    return 0;
  } finally {
    await vms.close();
  }
}

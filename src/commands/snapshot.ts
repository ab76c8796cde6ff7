// `virtscale snapshot NAME [--path P] [--resume|--halt]`: save a VM's CPU + memory state.
import { UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { defaultSnapshotName, snapshotVm } from "../vm/commands.ts";
import { VmManager } from "../vm/manager.ts";
import { defaultSnapshotDir } from "../vm/paths.ts";

export const spec: CommandSpec = {
  name: "snapshot",
  summary: "NAME [--path P] [--resume|--halt]: save a VM's CPU + memory state",
  usage: `NAME [--path P] [--resume | --halt]

  NAME          the VM (a domain virtscale created)
  --path P      file inside the snapshot directory (config vm.snapshot_dir, default ${defaultSnapshotDir()});
                default NAME-YYYYmmdd-HHMMSS.save
  --resume      keep the VM running afterwards (default): saved, then restored from the file at once
  --halt        leave the VM stopped (restore it later with virtscale restore PATH)`,
  options: {
    path: { type: "string" },
    resume: { type: "boolean" },
    halt: { type: "boolean" },
  },
  positionals: true,
};

export async function run(ctx: CommandContext): Promise<number> {
  const [name, extra] = ctx.positionals;
  if (!name) throw new UsageError("snapshot: missing NAME");
  if (extra) throw new UsageError(`snapshot: unexpected argument '${extra}'`);
  if (ctx.values.resume && ctx.values.halt) throw new UsageError("snapshot: --resume and --halt exclude each other");
  const resume = !ctx.values.halt;
  const path = (ctx.values.path as string | undefined) ?? defaultSnapshotName(name);
  const vms = new VmManager({ uri: ctx.uri, config: ctx.config });
  try {
    vms.get(name); // refuse domains virtscale does not own, with a clear message
    if (!ctx.json) process.stderr.write(`snapshot: saving ${name} to ${path} in ${vms.snapshotDir}${resume ? " (then resuming it)" : " (it stays stopped)"} ...\n`);
    else process.stdout.write(JSON.stringify({ type: "snapshot", ts: Date.now(), name, action: "save", status: "started", path }) + "\n");
    const t0 = performance.now();
    const r = await snapshotVm(undefined, vms, name, { resume, path });
    const totalMs = Math.round(performance.now() - t0);
    if (ctx.json) process.stdout.write(JSON.stringify({ type: "snapshot", ts: Date.now(), name, action: "save", status: "done", path: r.path, bytes: r.bytes, ms: r.ms, totalMs, resumed: resume }) + "\n");
    else process.stdout.write(`${name}: saved to ${r.path} (${(r.bytes / 1e6).toFixed(0)} MB) in ${(r.ms / 1000).toFixed(2)} s${resume ? `; running again after ${(totalMs / 1000).toFixed(2)} s` : "; stopped"}\n`);
    return 0;
  } finally {
    await vms.close();
  }
}

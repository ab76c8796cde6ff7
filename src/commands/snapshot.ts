// `virtscale snapshot NAME [--path P] [--resume|--halt]`: save a VM's CPU + memory state,
// through the snapshot use case (src/vm/snapshots.ts). It runs in a process of
// its own, so it marks the domain (libvirt metadata) before it pauses it: the
// group of a running `virtscale up` reads the mark and leaves the VM alone.
import { UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { jsonLine } from "../output/json-line.ts";
import { VmManager } from "../vm/manager.ts";
import { defaultSnapshotDir } from "../vm/paths.ts";
import { defaultSnapshotName, saveSnapshot } from "../vm/snapshots.ts";

export const spec: CommandSpec = {
  name: "snapshot",
  summary: "NAME [--path P] [--resume|--halt]: save a VM's CPU + memory state",
  usage: `NAME [--path P] [--resume | --halt]

  NAME          the VM (a domain virtscale created)
  --path P      file inside the snapshot directory (config vm.snapshot_dir, default ${defaultSnapshotDir()});
                default NAME-YYYYmmdd-HHMMSS.save
  --resume      keep the VM running afterwards (default): an external snapshot, the guest pauses only
                while its memory is written (where libvirt refuses that, it is saved and restored, and
                this says so)
  --halt        leave the VM stopped (restore it later with virtscale restore PATH); a running
                virtscale up takes it out of its group without deleting it`,
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
  const out = (v: unknown) => process.stdout.write(jsonLine(v) + "\n");
  const vms = new VmManager({ uri: ctx.uri, config: ctx.config });
  try {
    vms.get(name); // refuse domains virtscale does not own, with a clear message
    if (!ctx.json) process.stderr.write(`snapshot: saving ${name} to ${path} in ${vms.snapshotDir}${resume ? " (then resuming it)" : " (it stays stopped)"} ...\n`);
    const t0 = performance.now();
    const r = await saveSnapshot(
      {
        vms,
        by: "cli",
        // The done line carries more than the event (bytes, total time): printed below.
        onEvent: (ev) => ctx.json && ev.status !== "done" && out(ev),
        onWarning: (m) => !ctx.json && process.stderr.write(`snapshot: warning: ${m}\n`),
      },
      { name, resume, path },
    );
    const totalMs = Math.round(performance.now() - t0);
    if (ctx.json)
      out({ type: "snapshot", ts: Date.now(), name, action: "save", status: "done", by: "cli", path: r.path, bytes: r.bytes, ms: r.ms, totalMs, resumed: resume, method: r.method, ...(r.warning ? { detail: r.warning } : {}) });
    else process.stdout.write(`${name}: saved to ${r.path} (${(r.bytes / 1e6).toFixed(0)} MB) in ${(r.ms / 1000).toFixed(2)} s${resume ? `; running again after ${(totalMs / 1000).toFixed(2)} s` : "; stopped"}\n`);
    return 0;
  } finally {
    await vms.close();
  }
}

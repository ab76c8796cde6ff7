// VM start paths side by side, on real QEMU (qemu:///system): cold start
// (define + boot) versus restore from a save file versus start from a managed
// save, each measured to the first correct protocol answer over UDP. 5 runs,
// medians. Run alone: `bun bench/vm.ts [runs]`; or in `bun run bench vm`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../src/config.ts";
import { buildImage } from "../src/guest/image.ts";
import { VmManager } from "../src/vm/manager.ts";

interface Sample {
  /** ms of the libvirt call(s) alone. */
  callMs: number;
  /** ms from the start of the call to the first correct answer. */
  servingMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : Math.round((s[m - 1]! + s[m]!) / 2);
};

export async function runVmBench(opts: { runs?: number; uri?: string } = {}): Promise<{ table: string; results: object }> {
  const runs = opts.runs ?? 5;
  const uri = opts.uri ?? "qemu:///system";
  const rand = Math.random().toString(36).slice(2, 8);
  const prefix = `vst-vmbench-${rand}`;
  const snaps = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const config = parseConfig({ auto_scaler_domain_prefix: prefix, vm: { port_base: 31900, snapshot_dir: snaps } });
  const t0 = performance.now();
  const image = await buildImage({ cacheDir: config.vm.image_dir });
  const imageMs = Math.round(performance.now() - t0);
  const vms = new VmManager({ uri, config, image });
  const cold: Sample[] = [];
  const restore: Sample[] = [];
  const managed: Sample[] = [];
  const saves: { ms: number; bytes: number }[] = [];
  const managedSaves: number[] = [];
  const resumeSaves: Sample[] = [];
  let accel = "?";
  try {
    accel = vms.accel().name;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const vm = await vms.create();
      const createMs = performance.now() - t;
      await vms.waitServing(vm.name);
      cold.push({ callMs: Math.round(createMs), servingMs: Math.round(performance.now() - t) });

      t = performance.now();
      const rs = await vms.save(vm.name, `run${i}-resume.save`, { resume: true });
      await vms.waitServing(vm.name);
      resumeSaves.push({ callMs: rs.ms, servingMs: Math.round(performance.now() - t) });
      rmSync(join(snaps, `run${i}-resume.save`), { force: true });

      const s = await vms.save(vm.name, `run${i}.save`, { resume: false });
      saves.push({ ms: s.ms, bytes: s.bytes });
      t = performance.now();
      await vms.restore(`run${i}.save`);
      const restoreMs = performance.now() - t;
      await vms.waitServing(vm.name);
      restore.push({ callMs: Math.round(restoreMs), servingMs: Math.round(performance.now() - t) });

      t = performance.now();
      await vms.managedSave(vm.name);
      managedSaves.push(Math.round(performance.now() - t));
      t = performance.now();
      await vms.start(vm.name);
      const startMs = performance.now() - t;
      await vms.waitServing(vm.name);
      managed.push({ callMs: Math.round(startMs), servingMs: Math.round(performance.now() - t) });

      await vms.destroy(vm.name);
      rmSync(join(snaps, `run${i}.save`), { force: true });
      console.error(`bench vm: run ${i + 1}/${runs}: cold ${cold.at(-1)!.servingMs} ms, restore ${restore.at(-1)!.servingMs} ms, managed ${managed.at(-1)!.servingMs} ms`);
    }
  } finally {
    for (const vm of vms.listOwned()) if (vm.name.startsWith(`${prefix}-`)) await vms.destroy(vm.name).catch(() => {});
    await vms.close();
    rmSync(snaps, { recursive: true, force: true });
  }
  const row = (label: string, xs: Sample[], call: string) => {
    const serving = xs.map((x) => x.servingMs);
    return `| ${label} | ${median(serving)} | ${Math.min(...serving)}–${Math.max(...serving)} | ${median(xs.map((x) => x.callMs))} (${call}) | ${(median(cold.map((c) => c.servingMs)) / median(serving)).toFixed(1)}× |`;
  };
  const table = [
    `${runs} runs each, ${config.vm.memory_mib} MiB, ${config.vm.vcpus} vCPU, ${accel}; time to the first correct protocol answer over the loopback UDP forward (probe every 150 ms).`,
    "",
    "| path | median ms to serving | min–max ms | median ms of the libvirt call | cold / this |",
    "|---|---:|---:|---:|---:|",
    row("cold start (define + boot)", cold, "define+start"),
    row("restore from save file", restore, "virDomainRestore"),
    row("start from managed save", managed, "virDomainCreate"),
    "",
    `Save with resume (external memory snapshot, the VM keeps its QEMU process): median ${median(resumeSaves.map((x) => x.callMs))} ms for the call, answering again ${median(resumeSaves.map((x) => x.servingMs))} ms after it began.`,
    `Save with halt (virDomainSaveFlags): median ${median(saves.map((s) => s.ms))} ms, ${(median(saves.map((s) => s.bytes)) / 1e6).toFixed(0)} MB per file; managed save: median ${median(managedSaves)} ms. Image ${image.id} ${image.cached ? "from cache" : "built"} in ${imageMs} ms.`,
  ].join("\n");
  return { table, results: { runs, accel, cold, restore, managed, saves, resumeSaves, managedSaves, image: image.id } };
}

if (import.meta.main) {
  const runs = Number(process.argv[2] ?? 5);
  const { table } = await runVmBench({ runs });
  console.log(table);
}

// `bun run bench`: every benchmark side by side with its peer, in one run,
// reported as ratios. Writes bench/results.md (the README quotes it) and
// prints the same tables. Select parts: `bun run bench ffi lb`.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

type Part = { name: string; title: string; run: () => Promise<{ table: string; results: object }> };

const PARTS: Part[] = [
  { name: "ffi", title: "libvirt binding vs python3-libvirt", run: async () => (await import("./ffi")).runFfiBench() },
  { name: "lb", title: "UDP balancer vs nginx stream proxy vs direct", run: async () => (await import("./lb")).runLbBench() },
  { name: "vm", title: "VM cold boot vs restore vs managed save (real QEMU, TCG)", run: async () => (await import("./vm")).runVmBench() },
  { name: "binary", title: "the single binary: size, startup, idle memory", run: async () => (await import("./binary")).runBinaryBench() },
  { name: "scaler", title: "scale-out: decision to serving, cold vs warm pool (real QEMU)", run: async () => (await import("./scaler")).runScalerBench() },
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? PARTS.filter((p) => wanted.includes(p.name)) : PARTS;
const unknown = wanted.filter((w) => !PARTS.some((p) => p.name === w));
if (unknown.length) {
  console.error(`bench: unknown part(s) ${unknown.join(", ")}; known: ${PARTS.map((p) => p.name).join(", ")}`);
  process.exit(2);
}

const header = `# virtscale benchmarks\n\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString()}, bun ${Bun.version}.\n`;
const sections: string[] = [header];
const all: Record<string, object> = {};
let failed = 0;
for (const p of selected) {
  console.error(`bench: ${p.name}: ${p.title} ...`);
  const t0 = performance.now();
  try {
    const { table, results } = await p.run();
    all[p.name] = results;
    sections.push(`## ${p.title}\n\n${table}\n\n_(${((performance.now() - t0) / 1000).toFixed(0)} s)_\n`);
    console.log(`\n## ${p.title}\n\n${table}\n`);
  } catch (e) {
    failed++;
    const msg = (e as Error)?.message ?? String(e);
    sections.push(`## ${p.title}\n\nFAILED: ${msg}\n`);
    console.error(`bench: ${p.name} failed: ${(e as Error)?.stack ?? msg}`);
  }
}
const dir = import.meta.dir;
writeFileSync(join(dir, "results.md"), sections.join("\n"));
writeFileSync(join(dir, "results.json"), JSON.stringify(all, (_k, v) => (typeof v === "bigint" ? Number(v) : v), 2));
console.error(`bench: wrote bench/results.md${failed ? `; ${failed} part(s) failed` : ""}`);
process.exit(failed ? 1 : 0);

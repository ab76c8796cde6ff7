// `bun run bench`: every benchmark side by side with its peer, in one run,
// reported as ratios. Writes bench/results.md (the README quotes it) and
// prints the same tables. Select parts: `bun run bench ffi lb`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

type Part = { name: string; title: string; run: () => Promise<{ table: string; results: object }> };

const PARTS: Part[] = [
  { name: "ffi", title: "libvirt binding vs python3-libvirt", run: async () => (await import("./ffi.ts")).runFfiBench() },
  { name: "lb", title: "UDP balancer vs nginx stream proxy vs direct", run: async () => (await import("./lb.ts")).runLbBench() },
  { name: "vm", title: "VM cold boot vs restore vs managed save (real QEMU, TCG)", run: async () => (await import("./vm.ts")).runVmBench() },
  { name: "binary", title: "the single binary: size, startup, idle memory", run: async () => (await import("./binary.ts")).runBinaryBench() },
  { name: "scaler", title: "scale-out: decision to serving, cold vs warm pool (real QEMU)", run: async () => (await import("./scaler.ts")).runScalerBench() },
  { name: "hosts", title: "two libvirt hosts: scale-out onto the other host, balancer to leased addresses (testbed, real QEMU)", run: async () => (await import("./hosts.ts")).runHostsBench() },
  { name: "tiers", title: "pool tiers (hot / warm / cold) and scale from zero (real QEMU)", run: async () => (await import("./tiers.ts")).runTiersBench() },
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
// A run of some parts replaces only their sections: the others keep their last results.
const mdPath = join(dir, "results.md");
const jsonPath = join(dir, "results.json");
const keptMd = wanted.length && existsSync(mdPath) ? splitSections(readFileSync(mdPath, "utf8")) : new Map<string, string>();
for (const p of selected) keptMd.delete(p.title);
const ranMd = splitSections(sections.join("\n"));
const merged = [header, ...PARTS.map((p) => ranMd.get(p.title) ?? keptMd.get(p.title)).filter((x): x is string => x !== undefined)];
writeFileSync(mdPath, merged.join("\n"));
const keptJson = wanted.length && existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, "utf8")) as Record<string, object>) : {};
writeFileSync(jsonPath, JSON.stringify({ ...keptJson, ...all }, (_k, v) => (typeof v === "bigint" ? Number(v) : v), 2));

/** "## title" sections of a results file, by title. */
function splitSections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const chunk of md.split(/^(?=## )/m)) {
    const m = /^## (.+)$/m.exec(chunk);
    if (m && chunk.startsWith("## ")) out.set(m[1]!.trim(), chunk.trimEnd() + "\n");
  }
  return out;
}
console.error(`bench: wrote bench/results.md${failed ? `; ${failed} part(s) failed` : ""}`);
process.exit(failed ? 1 : 0);

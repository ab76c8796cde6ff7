// Compile virtscale into one self-contained executable: dist/virtscale.
// Everything it runs is inside (Ink, React, the guest server, the API, the
// libvirt worker); it needs only libvirt.so.0 on the machine at run time.
//
//   bun build.ts                 -> dist/virtscale (this machine's CPU)
//   bun build.ts --baseline      -> also dist/virtscale-baseline (no AVX2: runs
//                                   inside TCG guests, used by the guest image)
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = import.meta.dir;
const outDir = join(root, "dist");

/** Entrypoints besides main.ts that run as Worker threads: bun needs them listed to embed them. */
export const WORKER_ENTRYPOINTS: string[] = ["ffi/async/worker.ts"];

function compile(outfile: string, target?: string): void {
  const args = [
    "build", "--compile", "--minify-syntax", "--minify-whitespace", "--sourcemap=inline",
    ...(target ? [`--target=${target}`] : []),
    "--outfile", outfile,
    "src/main.ts",
    ...WORKER_ENTRYPOINTS.filter((p) => exists(join(root, p))),
  ];
  const t0 = performance.now();
  const r = Bun.spawnSync([process.execPath, ...args], { cwd: root, stdout: "inherit", stderr: "inherit" });
  if (r.exitCode !== 0) {
    console.error(`build: bun ${args.join(" ")} failed (exit ${r.exitCode})`);
    process.exit(r.exitCode ?? 1);
  }
  const mb = (statSync(outfile).size / 1e6).toFixed(1);
  console.error(`build: ${outfile} (${mb} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  mkdirSync(outDir, { recursive: true });
  compile(join(outDir, "virtscale"));
  if (process.argv.includes("--baseline")) compile(join(outDir, "virtscale-baseline"), "bun-linux-x64-baseline");
}

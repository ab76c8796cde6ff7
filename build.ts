// Compile virtscale into one self-contained executable: dist/virtscale.
// Everything it runs is inside (Ink, React, the guest server, the API, the
// libvirt worker); it needs only libvirt.so.0 on the machine at run time.
//
//   bun build.ts                 -> dist/virtscale (this machine's CPU)
//   bun build.ts --baseline      -> also dist/virtscale-baseline (no AVX2: runs
//                                   inside TCG guests, used by the guest image)
import { mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { inkDevtoolsStub } from "./tui/build-plugin.ts";
import { sourceTreeCommit } from "./src/cli/version.ts";

const root = import.meta.dir;
const outDir = join(root, "dist");

/** Entrypoints besides main.ts that run as Worker threads: bun embeds only what it is given. */
export const WORKER_ENTRYPOINTS: string[] = ["ffi/worker.ts", "src/net/batch-waker.ts"];

export async function compile(outfile: string, target: "bun-linux-x64" | "bun-linux-x64-baseline" = "bun-linux-x64"): Promise<void> {
  const t0 = performance.now();
  const entrypoints = [join(root, "src/main.ts"), ...WORKER_ENTRYPOINTS.map((p) => join(root, p)).filter(exists)];
  const result = await Bun.build({
    entrypoints,
    compile: { target, outfile },
    minify: { syntax: true, whitespace: true },
    sourcemap: "inline",
    plugins: [inkDevtoolsStub],
    // `virtscale --version` names the commit it was built from (src/cli/version.ts); "" when not built from git.
    define: { VIRTSCALE_COMMIT: JSON.stringify(sourceTreeCommit(root) ?? "") },
  });
  if (!result.success) {
    for (const log of result.logs) console.error(log);
    throw new Error(`build: compiling ${outfile} failed`);
  }
  const mb = (statSync(outfile).size / 1e6).toFixed(1);
  console.error(`build: ${outfile} (${mb} MB, ${target}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
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
  await compile(join(outDir, "virtscale"));
  if (process.argv.includes("--baseline")) await compile(join(outDir, "virtscale-baseline"), "bun-linux-x64-baseline");
}

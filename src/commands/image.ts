// `virtscale image build`: the guest image (Debian kernel + initramfs with the server).
import { UsageError, type CommandContext, type CommandSpec } from "../cli";
import { buildImage, defaultImageDir, findImage } from "../vm/image";

export const spec: CommandSpec = {
  name: "image",
  summary: "build: build the guest image (kernel + initramfs with `serve`)",
  usage: `build [--dir DIR] [--kernel-dir DIR] [--gzip] [--force]
       virtscale image show [--dir DIR]

  build               build (or find in the cache) the guest image; prints its paths
  show                print the newest image in the cache, if any
  --dir DIR           image cache (default: config vm.image_dir, else ${defaultImageDir()})
  --kernel-dir DIR    use an extracted linux-image package instead of apt-get download (config vm.kernel_dir)
  --gzip              gzip the initramfs (smaller, boots slower under TCG)
  --force             rebuild even when the cache has this image

Needs: apt-get update (for the kernel package), busybox-static, cpio; from a
source tree also bun (it compiles the guest server for bun-linux-x64-baseline).`,
  options: {
    dir: { type: "string" },
    "kernel-dir": { type: "string" },
    gzip: { type: "boolean" },
    force: { type: "boolean" },
  },
  positionals: true,
};

export async function run(ctx: CommandContext): Promise<number> {
  const sub = ctx.positionals[0] ?? "build";
  if (ctx.positionals.length > 1) throw new UsageError(`image: unexpected argument '${ctx.positionals[1]}'`);
  const dir = (ctx.values.dir as string | undefined) ?? ctx.config.vm.image_dir ?? defaultImageDir();
  const out = (obj: Record<string, unknown>, text: string) =>
    process.stdout.write(ctx.json ? JSON.stringify({ ts: Date.now(), ...obj }) + "\n" : text + "\n");
  if (sub === "show") {
    const img = findImage(dir);
    if (!img) {
      process.stderr.write(`virtscale image: no image in ${dir} (virtscale image build)\n`);
      return 1;
    }
    out({ type: "image", ...img }, `image ${img.id}\n  kernel  ${img.kernel}\n  initrd  ${img.initrd}\n  cmdline ${img.cmdline}`);
    return 0;
  }
  if (sub !== "build") throw new UsageError(`image: unknown subcommand '${sub}' (build, show)`);
  const t0 = performance.now();
  const tty = !ctx.json && process.stderr.isTTY;
  const img = await buildImage({
    cacheDir: dir,
    kernelDir: (ctx.values["kernel-dir"] as string | undefined) ?? ctx.config.vm.kernel_dir,
    compression: ctx.values.gzip ? "gzip" : "none",
    force: Boolean(ctx.values.force),
    onProgress: (step, pct) => {
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      if (ctx.json) process.stdout.write(JSON.stringify({ type: "progress", ts: Date.now(), step, pct }) + "\n");
      else if (tty) process.stderr.write(`\r\x1b[2Kimage: ${pct ?? ""}${pct === undefined ? "" : "% "}${step} (${secs}s)`);
      else process.stderr.write(`image: ${pct === undefined ? "" : pct + "% "}${step} (${secs}s)\n`);
    },
  });
  if (tty) process.stderr.write("\n");
  const ms = Math.round(performance.now() - t0);
  out(
    { type: "image", ...img, ms },
    `image ${img.id} ${img.cached ? "(cached)" : "(built)"} in ${(ms / 1000).toFixed(1)} s, ${(img.bytes / 1e6).toFixed(0)} MB\n  kernel  ${img.kernel}\n  initrd  ${img.initrd}\n  cmdline ${img.cmdline}`,
  );
  return 0;
}

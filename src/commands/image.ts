// `virtscale image build`: the guest image (Debian kernel + initramfs with the server).
import { intArg, UsageError, type CommandContext, type CommandSpec } from "../cli.ts";
import { buildImage, defaultImageDir, findImage, pruneImages } from "../guest/image.ts";
import { errorMessage } from "../errors.ts";
import { didYouMean } from "../util/suggest.ts";

export const spec: CommandSpec = {
  name: "image",
  summary: "build: build the guest image (kernel + initramfs with `serve`)",
  usage: `build [--dir DIR] [--kernel-dir DIR] [--gzip] [--force]
       virtscale image show [--dir DIR]
       virtscale image prune [--keep N] [--dir DIR]

  build               build (or find in the cache) the guest image; prints its paths
  show                print the newest image in the cache, if any
  prune               remove all but the newest N images (default 2) and any that no
                      virtscale domain uses
  --dir DIR           image cache (default: config vm.image_dir, else /var/lib/virtscale/images as
                      root, $XDG_CACHE_HOME/virtscale/images (~/.cache/...) for other users)
  --kernel-dir DIR    use an extracted linux-image package instead of apt-get download (config vm.kernel_dir)
  --gzip              gzip the initramfs (smaller, boots slower under TCG)
  --force             rebuild even when the cache has this image
  --keep N            with prune: how many of the newest images to keep (default 2)

Needs: apt-get update (for the kernel package), busybox-static, cpio; from a
source tree also bun (it compiles the guest server for bun-linux-x64-baseline).`,
  options: {
    dir: { type: "string" },
    "kernel-dir": { type: "string" },
    gzip: { type: "boolean" },
    force: { type: "boolean" },
    keep: { type: "string" },
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
  if (sub === "prune") {
    const keep = intArg("keep", ctx.values.keep, 0) ?? 2;
    const inUse = await imagesInUse(ctx);
    const removed = pruneImages(dir, { keep, inUse });
    out({ type: "image-prune", removed, kept: [...inUse] }, removed.length ? `removed ${removed.join(", ")}` : "nothing to remove");
    return 0;
  }
  if (sub !== "build") throw new UsageError(`image: unknown subcommand '${sub}'${didYouMean(sub, ["build", "show", "prune"])} (build, show, prune)`);
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
  const accel = await accelReport(ctx);
  out(
    { type: "image", ...img, ms, accel },
    `image ${img.id} ${img.cached ? "(cached)" : "(built)"} in ${(ms / 1000).toFixed(1)} s, ${(img.bytes / 1e6).toFixed(0)} MB\n  kernel  ${img.kernel}\n  initrd  ${img.initrd}\n  cmdline ${img.cmdline}\n  guests  ${accel.name}: ${accel.reason}`,
  );
  return 0;
}

/** How guests will run on this libvirt (KVM or TCG), best effort: the image does not depend on it. */
async function accelReport(ctx: CommandContext): Promise<{ name: string; reason: string }> {
  try {
    const { VmManager } = await import("../vm/manager.ts");
    const vms = new VmManager({ uri: ctx.uri, config: ctx.config });
    try {
      return vms.accel();
    } finally {
      await vms.close();
    }
  } catch (e) {
    return { name: "unknown", reason: `${ctx.uri}: ${errorMessage(e)}` };
  }
}

/** Image ids that virtscale domains on this libvirt boot (their metadata's template). */
async function imagesInUse(ctx: CommandContext): Promise<string[]> {
  const { VmManager } = await import("../vm/manager.ts");
  const vms = new VmManager({ uri: ctx.uri, config: ctx.config });
  try {
    return [...new Set(vms.listOwned().map((v) => v.template ?? "").filter(Boolean))];
  } catch (e) {
    throw new Error(`image prune: cannot ask libvirt (${ctx.uri}) which images its domains use, so nothing was removed: ${errorMessage(e)}`);
  } finally {
    await vms.close();
  }
}

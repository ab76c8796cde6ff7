// The guest image: Debian's kernel + an initramfs (cpio newc) holding
// busybox-static, the virtscale guest server binary with the glibc files it
// links against, the virtio-net modules, and /init. Built once per content:
// the image id is a hash of every input, so a second build is instant and a
// changed input (new kernel package, new server) makes a new image.
//
// The guest server is one binary on both sides: a compiled virtscale puts
// itself into the image (or `virtscale-baseline` beside it when present: the
// build for CPUs without AVX2); run from a source tree, the builder compiles
// src/commands/guest-entry.ts with `bun build --compile --target=bun-linux-x64-baseline`
// (cached by a hash of the sources).
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runTool } from "../vm/exec.ts";
import { INIT_SCRIPT, POWER_BUTTON_SCRIPT, UDHCPC_SCRIPT } from "./init.ts";
import { fetchKernel, type GuestKernel } from "./kernel.ts";
import { isRoot } from "../vm/paths.ts";
import { errorMessage } from "../errors.ts";

export interface GuestImage {
  kernel: string;
  initrd: string;
  /** Base kernel command line; the manager appends virtscale.port= and virtscale.scale=. */
  cmdline: string;
  /** Content hash of every input. */
  id: string;
}

export type ProgressFn = (step: string, pct?: number) => void;

/** Image format version: bump when the layout of the initramfs changes. */
const FORMAT = 2;
// init_on_free=1: freed pages (the unpacked initramfs buffer) are zeroed, which QEMU skips when
// saving: save files measured 181 MB instead of 309 MB, saves ~2x faster.
export const BASE_CMDLINE = "console=ttyS0 quiet loglevel=4 panic=-1 init_on_free=1";
const BUSYBOX = "/bin/busybox";

/** /var/lib/virtscale/images as root, else ~/.cache/virtscale/images (config vm.image_dir overrides). */
export function defaultImageDir(): string {
  if (isRoot()) return "/var/lib/virtscale/images";
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "virtscale", "images");
}

// ---------- hashing (memoized by path, size and mtime: a second build reads nothing big) ----------

type Memo = Record<string, string>;
function loadMemo(cacheDir: string): Memo {
  try {
    return JSON.parse(readFileSync(join(cacheDir, "hash-memo.json"), "utf8")) as Memo;
  } catch {
    return {};
  }
}
function saveMemo(cacheDir: string, memo: Memo): void {
  const tmp = join(cacheDir, `hash-memo.json.partial-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(memo));
  renameSync(tmp, join(cacheDir, "hash-memo.json"));
}
function fileHash(path: string, memo: Memo): string {
  const st = statSync(path);
  const key = `${path}|${st.size}|${st.mtimeMs}`;
  const hit = memo[key];
  if (hit) return hit;
  const h = createHash("sha256").update(readFileSync(path)).digest("hex");
  memo[key] = h;
  return h;
}

/** The image id: a hash of everything that goes into the image. Exported for tests. */
export function imageCacheKey(inputs: {
  kernelSource: string;
  kernelHash: string;
  moduleHashes: string[];
  busyboxHash: string;
  serverHash: string;
  libHashes: string[];
  init: string;
  udhcpc: string;
  cmdline: string;
  compression: string;
}): string {
  const h = createHash("sha256");
  h.update(`virtscale-image/${FORMAT}\n`);
  for (const [k, v] of Object.entries(inputs)) h.update(`${k}=${Array.isArray(v) ? v.join(",") : v}\n`);
  return h.digest("hex").slice(0, 16);
}

// ---------- the guest server binary ----------

/** True when this code runs inside a `bun build --compile` (or `deno compile`) executable. */
export function isCompiled(): boolean {
  const url = import.meta.url;
  return url.includes("$bunfs") || url.includes("~BUN") || url.includes("deno-compile-");
}

function repoRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..");
}

/**
 * The source files a bundle of `entry` contains: relative imports followed
 * from the entry (static and dynamic), so edits elsewhere in the tree do not
 * rebuild the guest server. Packages count through package-lock.json.
 */
export function localImports(entry: string): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const base = join(dirname(file), m[1]!);
      const hit = [base, `${base}.ts`, `${base}.tsx`, join(base, "index.ts")].find((c) => existsSync(c) && statSync(c).isFile());
      if (hit) stack.push(hit);
    }
  }
  return [...seen];
}

/**
 * The binary the guest runs as `/bin/virtscale serve`: the running virtscale
 * when compiled (no source tree needed), else compiled from this source tree.
 * VIRTSCALE_GUEST_BINARY names one explicitly.
 */
export async function guestBinary(cacheDir: string, progress: ProgressFn = () => {}): Promise<string> {
  const forced = process.env.VIRTSCALE_GUEST_BINARY;
  if (forced) {
    if (!existsSync(forced)) throw new Error(`VIRTSCALE_GUEST_BINARY=${forced}: no such file`);
    return forced;
  }
  if (isCompiled()) {
    const baseline = join(dirname(process.execPath), "virtscale-baseline");
    return existsSync(baseline) ? baseline : process.execPath;
  }
  const root = repoRoot();
  const entry = join(root, "src", "commands", "guest-entry.ts");
  if (!existsSync(entry)) throw new Error(`cannot build the guest server: ${entry} not found (not a virtscale source tree?)`);
  const bun =
    process.versions.bun && basename(process.execPath).startsWith("bun") ? process.execPath : join(root, "node_modules", ".bin", "bun");
  if (!existsSync(bun)) throw new Error(`cannot build the guest server: bun not found at ${bun} (npm ci installs it)`);
  const bunVersion = (await runTool([bun, "--version"])).trim();
  const h = createHash("sha256").update(`bun ${bunVersion}\n`);
  const inputs = [...localImports(entry), join(root, "package-lock.json")].filter((f) => existsSync(f));
  for (const f of inputs.sort()) {
    h.update(`${relative(root, f)}\n`).update(readFileSync(f));
  }
  const dir = join(cacheDir, "guest-bin", h.digest("hex").slice(0, 16));
  const out = join(dir, "virtscale");
  if (existsSync(out)) return out;
  progress(`server: bun build --compile --target=bun-linux-x64-baseline (bun ${bunVersion})`);
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.partial-${process.pid}`;
  await runTool([bun, "build", "--compile", "--minify-syntax", "--target=bun-linux-x64-baseline", "--outfile", tmp, entry], {
    cwd: root,
    hint: "bun fetches the baseline runtime as @oven/bun-linux-x64-baseline from the npm registry",
  });
  renameSync(tmp, out);
  // Older compiled servers are only inputs of images already built: drop them (110 MB each).
  for (const old of readdirSync(join(cacheDir, "guest-bin"))) {
    if (old !== basename(dir)) rmSync(join(cacheDir, "guest-bin", old), { recursive: true, force: true });
  }
  return out;
}

/** The shared libraries (and ELF interpreter) a dynamic binary needs, from ldd. Empty for static binaries. */
export async function sharedLibs(binary: string): Promise<string[]> {
  let out: string;
  try {
    out = await runTool(["ldd", binary]);
  } catch (e) {
    if (/not a dynamic executable|statically linked/.test(errorMessage(e))) return [];
    throw e;
  }
  if (/statically linked/.test(out)) return [];
  const libs = new Set<string>();
  for (const line of out.split("\n")) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.add(m[1]!);
    else if (/not found/.test(line)) throw new Error(`${binary}: ${line.trim()}`);
  }
  return [...libs];
}

// ---------- building ----------

function readImage(dir: string): GuestImage | null {
  try {
    const j = JSON.parse(readFileSync(join(dir, "image.json"), "utf8")) as GuestImage;
    statSync(j.kernel);
    statSync(j.initrd);
    return j;
  } catch {
    return null;
  }
}

export interface BuildImageOptions {
  cacheDir?: string;
  onProgress?: ProgressFn;
  /** An extracted linux-image package (config vm.kernel_dir) instead of downloading one. */
  kernelDir?: string;
  /** Rebuild even when an image with this id exists. */
  force?: boolean;
  /**
   * Initramfs compression. "none" by default: measured under TCG here, the
   * kernel reaches the server ~1.4 s sooner with a plain cpio than with gzip -1
   * (gunzip of ~110 MB is slow on an emulated CPU; zstd sits in between).
   * Costs disk (~115 MB per image) and needs 512 MiB guest RAM at unpack time.
   */
  compression?: "none" | "gzip";
}

export async function buildImage(opts: BuildImageOptions = {}): Promise<GuestImage & { cached: boolean; bytes: number }> {
  const cacheDir = opts.cacheDir ?? defaultImageDir();
  const progress: ProgressFn = opts.onProgress ?? (() => {});
  mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
  const memo = loadMemo(cacheDir);
  const compression = opts.compression ?? "none";

  progress("kernel", 5);
  const kernel: GuestKernel = await fetchKernel(cacheDir, { kernelDir: opts.kernelDir, onProgress: (s) => progress(s, 10) });
  progress("server binary", 30);
  const server = await guestBinary(cacheDir, (s) => progress(s, 35));
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} not found: apt-get install busybox-static`);
  const bbLibs = await sharedLibs(BUSYBOX);
  if (bbLibs.length) throw new Error(`${BUSYBOX} is dynamically linked: apt-get install busybox-static (the initramfs needs the static one)`);
  const libs = await sharedLibs(server);
  progress("hashing inputs", 45);
  const id = imageCacheKey({
    kernelSource: kernel.source,
    kernelHash: fileHash(kernel.boot, memo),
    moduleHashes: kernel.modules.map((m) => fileHash(m, memo)),
    busyboxHash: fileHash(BUSYBOX, memo),
    serverHash: fileHash(server, memo),
    libHashes: libs.map((l) => `${l}:${fileHash(l, memo)}`),
    init: INIT_SCRIPT + POWER_BUTTON_SCRIPT,
    udhcpc: UDHCPC_SCRIPT,
    cmdline: BASE_CMDLINE,
    compression,
  });
  saveMemo(cacheDir, memo);
  const dir = join(cacheDir, id);
  const have = opts.force ? null : readImage(dir);
  if (have) {
    progress(`cached image ${id}`, 100);
    return { ...have, cached: true, bytes: statSync(have.initrd).size + statSync(have.kernel).size };
  }

  const work = `${dir}.partial-${Math.random().toString(36).slice(2, 8)}`;
  try {
    const root = join(work, "root");
    progress("staging initramfs", 50);
    for (const d of ["bin", "dev", "proc", "sys", "tmp", "run", "etc", "lib/modules"]) mkdirSync(join(root, d), { recursive: true });
    copyFileSync(BUSYBOX, join(root, "bin", "busybox"));
    copyFileSync(server, join(root, "bin", "virtscale"));
    chmodSync(join(root, "bin", "virtscale"), 0o755);
    chmodSync(join(root, "bin", "busybox"), 0o755);
    for (const lib of libs) {
      // Same path inside as outside (the interpreter path is baked into the ELF); copyFileSync follows symlinks.
      mkdirSync(join(root, dirname(lib)), { recursive: true });
      copyFileSync(lib, join(root, lib));
    }
    for (const m of kernel.modules) copyFileSync(m, join(root, "lib", "modules", basename(m)));
    writeFileSync(join(root, "lib", "modules", "load-order"), kernel.modules.map((m) => basename(m, ".ko")).join("\n") + "\n");
    writeFileSync(join(root, "init"), INIT_SCRIPT, { mode: 0o755 });
    writeFileSync(join(root, "etc", "udhcpc.script"), UDHCPC_SCRIPT, { mode: 0o755 });
    // busybox acpid maps KEY_POWER to the action "PWRF/00000080", a path under its -c directory.
    mkdirSync(join(root, "etc", "acpi", "PWRF"), { recursive: true });
    writeFileSync(join(root, "etc", "acpi", "PWRF", "00000080"), POWER_BUTTON_SCRIPT, { mode: 0o755 });
    progress(compression === "gzip" ? "cpio | gzip" : "cpio", 60);
    const initrd = join(work, "initrd.img");
    // newc is the format the kernel unpacks; -R 0:0 makes every file root's; sorted for reproducibility.
    const pack = compression === "gzip" ? `| gzip -1 > "$2"` : `> "$2"`;
    await runTool(
      ["sh", "-c", `cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet ${pack}`, "sh", root, initrd],
      { hint: "apt-get install cpio gzip" },
    );
    rmSync(root, { recursive: true, force: true });
    // The file QEMU boots: vmlinux (PVH entry, no decompression under TCG) when the kernel has it.
    const kernelFile = kernel.boot === kernel.vmlinuz ? "vmlinuz" : "vmlinux";
    copyFileSync(kernel.boot, join(work, kernelFile));
    // The bzImage too (8 MB): the API's /create names kernels in this directory, `vmlinuz` by habit.
    if (kernelFile !== "vmlinuz") copyFileSync(kernel.vmlinuz, join(work, "vmlinuz"));
    const image: GuestImage = { kernel: join(dir, kernelFile), initrd: join(dir, "initrd.img"), cmdline: BASE_CMDLINE, id };
    writeFileSync(
      join(work, "image.json"),
      JSON.stringify({ ...image, kernelSource: kernel.source, server, libs, built: new Date().toISOString() }, null, 2),
    );
    progress("finishing", 95);
    // Another build of the same inputs may have finished first: keep its (identical) image.
    const raced = readImage(dir);
    if (raced) {
      progress(`built image ${id} (another build finished it first)`, 100);
      return { ...raced, cached: true, bytes: statSync(raced.initrd).size + statSync(raced.kernel).size };
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
    chmodSync(dir, 0o755);
    progress(`built image ${id}`, 100);
    return { ...image, cached: false, bytes: statSync(image.initrd).size + statSync(image.kernel).size };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Remove all but the newest `keep` images (and partial builds older than an
 * hour). Images in use by a defined domain should be kept: pass their ids.
 */
export function pruneImages(cacheDir: string = defaultImageDir(), opts: { keep?: number; inUse?: Iterable<string> } = {}): string[] {
  if (!existsSync(cacheDir)) return [];
  const keep = opts.keep ?? 2;
  const inUse = new Set(opts.inUse ?? []);
  const removed: string[] = [];
  const images: { id: string; mtime: number }[] = [];
  for (const ent of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!ent.isDirectory()) continue;
    const p = join(cacheDir, ent.name);
    if (ent.name.includes(".partial-")) {
      if (Date.now() - statSync(p).mtimeMs > 3600_000) {
        rmSync(p, { recursive: true, force: true });
        removed.push(ent.name);
      }
    } else if (/^[0-9a-f]{16}$/.test(ent.name)) {
      images.push({ id: ent.name, mtime: existsSync(join(p, "image.json")) ? statSync(join(p, "image.json")).mtimeMs : 0 });
    }
  }
  images.sort((a, b) => b.mtime - a.mtime);
  for (const img of images.slice(keep)) {
    if (inUse.has(img.id)) continue;
    rmSync(join(cacheDir, img.id), { recursive: true, force: true });
    removed.push(img.id);
  }
  return removed;
}

/** The newest complete image in a cache directory (for commands that need one without building). */
export function findImage(cacheDir: string = defaultImageDir()): GuestImage | null {
  if (!existsSync(cacheDir)) return null;
  let best: { img: GuestImage; mtime: number } | null = null;
  for (const ent of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!ent.isDirectory() || !/^[0-9a-f]{16}$/.test(ent.name)) continue;
    const img = readImage(join(cacheDir, ent.name));
    if (!img) continue;
    const mtime = statSync(join(cacheDir, ent.name, "image.json")).mtimeMs;
    if (!best || mtime > best.mtime) best = { img, mtime };
  }
  return best?.img ?? null;
}

// ---------- the request cost measured with an image ----------
// What one request costs a VM of this image depends on the image (the server
// binary) and the host (its CPU, KVM or TCG), so src/load/calibrate.ts
// measures it once per image and host and keeps it here, beside image.json,
// keyed by host; pruning an image drops its costs with it.

const COST_FILE = "request-cost.json";

/** The costs measured for this image, by host key (`ACCEL@HOSTNAME`); {} when none (or unreadable). */
export function readImageCosts(image: Pick<GuestImage, "kernel">): Record<string, unknown> {
  try {
    const j = JSON.parse(readFileSync(join(dirname(image.kernel), COST_FILE), "utf8")) as unknown;
    return typeof j === "object" && j !== null && !Array.isArray(j) ? (j as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Store the cost measured on `host` for this image (other hosts' entries are kept); atomic. */
export function writeImageCost(image: Pick<GuestImage, "kernel">, host: string, cost: object): void {
  const dir = dirname(image.kernel);
  const all = { ...readImageCosts(image), [host]: cost };
  const tmp = join(dir, `${COST_FILE}.partial-${process.pid}`);
  writeFileSync(tmp, JSON.stringify(all, null, 2) + "\n", { mode: 0o644 });
  renameSync(tmp, join(dir, COST_FILE));
}

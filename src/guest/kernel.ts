// The guest kernel, from Debian's packages only: resolve the current
// linux-image-*-amd64 behind the linux-image-amd64 meta package, `apt-get
// download` it, `dpkg-deb -x` it, and keep the kernel plus the virtio-net
// modules (in insmod order, from each module's own `depends=`). Cached per
// package version under <cacheDir>/kernels/.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runTool } from "../vm/exec.ts";
import { isRoot } from "../vm/paths.ts";
import { errorMessage } from "../errors.ts";

/**
 * Modules the guest loads (their deps are added): the PCI transport and the NIC
 * driver; the ACPI power button and evdev, so busybox acpid sees the button
 * that virDomainShutdown presses and the guest powers off gracefully.
 */
export const GUEST_MODULE_ROOTS = ["virtio_pci", "virtio_net", "button", "evdev"];

export interface GuestKernel {
  /** Package name and version, or "dir:<path>" for a pre-extracted tree. */
  source: string;
  vmlinuz: string;
  /**
   * What QEMU boots: the uncompressed ELF vmlinux when the kernel supports PVH
   * entry (QEMU then jumps straight in: no decompression of the xz bzImage
   * under TCG, measured ~3 s sooner to a serving guest), else vmlinuz.
   */
  boot: string;
  /** .ko files in load order. */
  modules: string[];
}

const APT_HINT = "run `apt-get update` first; the kernel comes from Debian's linux-image-amd64";

/** The kernel package linux-image-amd64 points at, and its version (apt's candidate; one apt-cache call). */
export async function resolveKernelPackage(meta = "linux-image-amd64"): Promise<{ pkg: string; version: string }> {
  const show = await runTool(["apt-cache", "show", "--no-all-versions", meta], { hint: APT_HINT }).catch((e) => {
    throw new Error(`cannot find package ${meta}: ${errorMessage(e)}`);
  });
  // The meta package pins its kernel exactly: "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)".
  const m = /^Depends:\s*(linux-image-[^\s,(]+)\s*\(=\s*([^)\s]+)\)/m.exec(show);
  if (!m) throw new Error(`${meta} has no exact linux-image-* dependency in apt-cache show (${APT_HINT})`);
  return { pkg: m[1]!, version: m[2]! };
}

/** The mtime of apt's package lists ("" without them: apt-cache then says what is wrong). */
function aptListsStamp(): string {
  try {
    return String(statSync("/var/lib/apt/lists").mtimeMs);
  } catch {
    return "";
  }
}

/**
 * resolveKernelPackage, remembered until apt's package lists change (their
 * directory's mtime moves on apt-get update): a cached image build runs no apt.
 */
async function resolveKernelCached(cacheDir: string, progress?: (step: string) => void): Promise<{ pkg: string; version: string }> {
  const file = join(cacheDir, "kernels", "resolved.json");
  let lists = aptListsStamp();
  try {
    const j = JSON.parse(readFileSync(file, "utf8")) as { lists: string; pkg: string; version: string };
    if (lists && j.lists === lists) return { pkg: j.pkg, version: j.version };
  } catch {
    /* not cached yet */
  }
  let r: { pkg: string; version: string };
  try {
    r = await resolveKernelPackage();
  } catch (e) {
    // Empty or stale package lists (a fresh container): refresh them once when we may, then ask again.
    if (!isRoot()) throw e;
    progress?.("kernel: apt-get update (package lists do not name linux-image-amd64)");
    await runTool(["apt-get", "update", "-qq"], { hint: "needs Debian's package repositories" });
    r = await resolveKernelPackage();
    lists = aptListsStamp();
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ lists, ...r }));
  return r;
}

/** The `depends=` list in a module's .modinfo section. */
export function moduleDepends(ko: Uint8Array): string[] {
  const text = Buffer.from(ko.buffer, ko.byteOffset, ko.byteLength).toString("latin1");
  const m = /(?:^|\0)depends=([^\0]*)\0/.exec(text);
  return m?.[1] ? m[1].split(",").filter(Boolean) : [];
}

/** Order modules so each comes after what it depends on (depth-first from the roots). */
export function moduleLoadOrder(roots: string[], dependsOf: (name: string) => string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, chain: string[]) => {
    const s = state.get(name);
    if (s === "done") return;
    if (s === "visiting") throw new Error(`module dependency cycle: ${[...chain, name].join(" -> ")}`);
    state.set(name, "visiting");
    for (const d of dependsOf(name)) visit(d, [...chain, name]);
    state.set(name, "done");
    order.push(name);
  };
  for (const r of roots) visit(r, []);
  return order;
}

/** name -> path for every .ko under a modules tree (module names use '_' where files may use '-'). */
export function indexModules(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, ent.name);
    if (ent.isDirectory()) indexModules(p, out);
    else if (ent.name.endsWith(".ko")) out.set(ent.name.slice(0, -3).replace(/-/g, "_"), p);
    else if (/\.ko\.(xz|zst|gz)$/.test(ent.name)) out.set(ent.name.replace(/\.ko\..*$/, "").replace(/-/g, "_"), p);
  }
  return out;
}

/** Pick vmlinuz and the guest modules out of an extracted kernel package tree into `dest`. */
export function collectKernel(tree: string, dest: string, source: string): GuestKernel {
  const boot = join(tree, "boot");
  const vmlinuz = existsSync(boot) ? readdirSync(boot).find((f) => f.startsWith("vmlinuz-")) : undefined;
  if (!vmlinuz) throw new Error(`${tree}: no boot/vmlinuz-* (not an extracted linux-image package?)`);
  const modRoot = join(tree, "lib", "modules");
  const versions = existsSync(modRoot) ? readdirSync(modRoot) : [];
  if (versions.length !== 1) throw new Error(`${modRoot}: expected one kernel version directory, found ${versions.length}`);
  const index = indexModules(join(modRoot, versions[0]!));
  const deps = (name: string) => {
    const p = index.get(name);
    if (!p) throw new Error(`kernel module ${name} not found in ${tree} (built in? then drop it from GUEST_MODULE_ROOTS)`);
    if (!p.endsWith(".ko")) throw new Error(`${p}: compressed modules are not supported by busybox insmod here; need plain .ko`);
    return moduleDepends(readFileSync(p));
  };
  const order = moduleLoadOrder(GUEST_MODULE_ROOTS, deps);
  mkdirSync(join(dest, "modules"), { recursive: true });
  copyFileSync(join(boot, vmlinuz), join(dest, "vmlinuz"));
  const modules = order.map((name) => {
    const to = join(dest, "modules", `${name}.ko`);
    copyFileSync(index.get(name)!, to);
    return to;
  });
  const k: GuestKernel = { source, vmlinuz: join(dest, "vmlinuz"), boot: join(dest, "vmlinuz"), modules };
  writeFileSync(join(dest, "kernel.json"), JSON.stringify({ format: KERNEL_CACHE_FORMAT, source, roots: GUEST_MODULE_ROOTS, order, pvh: false }, null, 2));
  return k;
}

const KERNEL_CACHE_FORMAT = 3;

/** The tail of an ELF note header: type XEN_ELFNOTE_PHYS32_ENTRY (18), name "Xen". */
const PVH_NOTE_TAIL = Buffer.from([18, 0, 0, 0, 0x58, 0x65, 0x6e, 0]);
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

/** Whether an ELF kernel has the PVH entry note (namesz 4, any descsz, type 18, "Xen"): QEMU can enter it directly. */
export function hasPvhNote(elf: Uint8Array): boolean {
  const b = Buffer.from(elf.buffer, elf.byteOffset, elf.byteLength);
  if (!b.subarray(0, 4).equals(ELF_MAGIC)) return false;
  for (let at = b.indexOf(PVH_NOTE_TAIL); at >= 8; at = b.indexOf(PVH_NOTE_TAIL, at + 1)) {
    if (b.readUInt32LE(at - 8) === 4) return true;
  }
  return false;
}

/** Payload decompressors by magic (the bzImage's compressed vmlinux), as shell pipelines reading stdin. */
const PAYLOADS: { magic: Buffer; cmd: string }[] = [
  { magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), cmd: "xz -dc --single-stream" },
  { magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), cmd: "zstd -dcq" },
  { magic: Buffer.from([0x1f, 0x8b, 0x08]), cmd: "gzip -dc" },
];

/**
 * Extract the ELF vmlinux from a bzImage into `out` (with xz/zstd/gzip from the
 * host) and keep it when it has a PVH entry note. Returns whether it did; any
 * failure just means booting vmlinuz as before.
 */
export async function extractPvhKernel(vmlinuz: string, out: string): Promise<boolean> {
  const img = readFileSync(vmlinuz);
  for (const p of PAYLOADS) {
    let at = img.indexOf(p.magic);
    while (at >= 0) {
      try {
        await runTool(["sh", "-c", `tail -c +${at + 1} "$1" | ${p.cmd} > "$2" 2>/dev/null; test -s "$2"`, "sh", vmlinuz, out]);
        if (hasPvhNote(readFileSync(out))) return true;
      } catch {
        /* not this payload */
      }
      rmSync(out, { force: true });
      at = img.indexOf(p.magic, at + 1);
      if (at > 1 << 20) break; // the payload starts within the setup code's first MiB
    }
  }
  return false;
}

/** Add the PVH-bootable vmlinux to a collected kernel when it has one (recorded in kernel.json). */
async function addPvh(k: GuestKernel, dest: string, progress: (step: string, pct?: number) => void): Promise<GuestKernel> {
  progress("kernel: extracting vmlinux for PVH boot");
  const out = join(dest, "vmlinux");
  if (!(await extractPvhKernel(k.vmlinuz, out))) return k;
  const file = join(dest, "kernel.json");
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), pvh: true }, null, 2));
  return { ...k, boot: out };
}

function loadCached(dest: string): GuestKernel | null {
  try {
    const j = JSON.parse(readFileSync(join(dest, "kernel.json"), "utf8")) as { format?: number; source: string; roots?: string[]; order: string[]; pvh?: boolean };
    // Extracted by an older builder or for another module list: extract again.
    if (j.format !== KERNEL_CACHE_FORMAT || JSON.stringify(j.roots) !== JSON.stringify(GUEST_MODULE_ROOTS)) return null;
    const vmlinuz = join(dest, "vmlinuz");
    const k: GuestKernel = { source: j.source, vmlinuz, boot: j.pvh ? join(dest, "vmlinux") : vmlinuz, modules: j.order.map((n) => join(dest, "modules", `${n}.ko`)) };
    for (const f of [k.vmlinuz, k.boot, ...k.modules]) statSync(f);
    return k;
  } catch {
    return null;
  }
}

/**
 * The guest kernel: from `kernelDir` (an extracted linux-image package: config
 * vm.kernel_dir) when given, else Debian's current linux-image-amd64 package.
 */
export async function fetchKernel(
  cacheDir: string,
  opts: { kernelDir?: string; onProgress?: (step: string, pct?: number) => void } = {},
): Promise<GuestKernel> {
  const progress = opts.onProgress ?? (() => {});
  if (opts.kernelDir) {
    const dest = join(cacheDir, "kernels", "dir-" + Buffer.from(opts.kernelDir).toString("hex").slice(0, 40));
    rmSync(dest, { recursive: true, force: true });
    return addPvh(collectKernel(opts.kernelDir, dest, `dir:${opts.kernelDir}`), dest, progress);
  }
  progress("kernel: resolving linux-image-amd64");
  const { pkg, version } = await resolveKernelCached(cacheDir, progress);
  const source = `${pkg}=${version}`;
  const dest = join(cacheDir, "kernels", `${pkg}_${version}`.replace(/[^A-Za-z0-9._+-]/g, "_"));
  const cached = loadCached(dest);
  if (cached) return cached;
  const work = `${dest}.partial-${Math.random().toString(36).slice(2, 8)}`;
  mkdirSync(work, { recursive: true });
  try {
    progress(`kernel: apt-get download ${source}`);
    await runTool(["apt-get", "download", source], { cwd: work, hint: APT_HINT });
    const deb = readdirSync(work).find((f) => f.endsWith(".deb"));
    if (!deb) throw new Error(`apt-get download ${source} left no .deb in ${work}`);
    progress(`kernel: dpkg-deb -x ${deb}`);
    await runTool(["dpkg-deb", "-x", join(work, deb), join(work, "tree")], { hint: "apt-get install dpkg" });
    const staged = join(work, "out");
    await addPvh(collectKernel(join(work, "tree"), staged, source), staged, progress);
    rmSync(dest, { recursive: true, force: true });
    renameSync(staged, dest);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const k = loadCached(dest);
  if (!k) throw new Error(`kernel cache ${dest} is incomplete after extraction`);
  return k;
}

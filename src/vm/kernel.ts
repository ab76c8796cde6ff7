// The guest kernel, from Debian's packages only: resolve the current
// linux-image-*-amd64 behind the linux-image-amd64 meta package, `apt-get
// download` it, `dpkg-deb -x` it, and keep the kernel plus the virtio-net
// modules (in insmod order, from each module's own `depends=`). Cached per
// package version under <cacheDir>/kernels/.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { runTool } from "./exec";

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
  /** .ko files in load order. */
  modules: string[];
}

const APT_HINT = "run `apt-get update` first; the kernel comes from Debian's linux-image-amd64";

/** The kernel package linux-image-amd64 points at, and its version (apt's candidate; one apt-cache call). */
export async function resolveKernelPackage(meta = "linux-image-amd64"): Promise<{ pkg: string; version: string }> {
  const show = await runTool(["apt-cache", "show", "--no-all-versions", meta], { hint: APT_HINT }).catch((e) => {
    throw new Error(`cannot find package ${meta}: ${(e as Error).message}`);
  });
  // The meta package pins its kernel exactly: "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)".
  const m = /^Depends:\s*(linux-image-[^\s,(]+)\s*\(=\s*([^)\s]+)\)/m.exec(show);
  if (!m) throw new Error(`${meta} has no exact linux-image-* dependency in apt-cache show (${APT_HINT})`);
  return { pkg: m[1]!, version: m[2]! };
}

/**
 * resolveKernelPackage, remembered until apt's package lists change (their
 * directory's mtime moves on apt-get update): a cached image build runs no apt.
 */
async function resolveKernelCached(cacheDir: string): Promise<{ pkg: string; version: string }> {
  const file = join(cacheDir, "kernels", "resolved.json");
  let lists = "";
  try {
    lists = String(statSync("/var/lib/apt/lists").mtimeMs);
  } catch {
    /* no apt lists: ask apt-cache, which says what is wrong */
  }
  try {
    const j = JSON.parse(readFileSync(file, "utf8")) as { lists: string; pkg: string; version: string };
    if (lists && j.lists === lists) return { pkg: j.pkg, version: j.version };
  } catch {
    /* not cached yet */
  }
  const r = await resolveKernelPackage();
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
function indexModules(dir: string, out = new Map<string, string>()): Map<string, string> {
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
  const k: GuestKernel = { source, vmlinuz: join(dest, "vmlinuz"), modules };
  writeFileSync(join(dest, "kernel.json"), JSON.stringify({ source, roots: GUEST_MODULE_ROOTS, order }, null, 2));
  return k;
}

function loadCached(dest: string): GuestKernel | null {
  try {
    const j = JSON.parse(readFileSync(join(dest, "kernel.json"), "utf8")) as { source: string; roots?: string[]; order: string[] };
    // Extracted for another module list: extract again.
    if (JSON.stringify(j.roots) !== JSON.stringify(GUEST_MODULE_ROOTS)) return null;
    const k = { source: j.source, vmlinuz: join(dest, "vmlinuz"), modules: j.order.map((n) => join(dest, "modules", `${n}.ko`)) };
    for (const f of [k.vmlinuz, ...k.modules]) statSync(f);
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
    return collectKernel(opts.kernelDir, dest, `dir:${opts.kernelDir}`);
  }
  progress("kernel: resolving linux-image-amd64");
  const { pkg, version } = await resolveKernelCached(cacheDir);
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
    collectKernel(join(work, "tree"), staged, source);
    rmSync(dest, { recursive: true, force: true });
    renameSync(staged, dest);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const k = loadCached(dest);
  if (!k) throw new Error(`kernel cache ${dest} is incomplete after extraction`);
  return k;
}

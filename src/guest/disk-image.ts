// The project's guest on a disk: the same userland and server as the guest
// image (image.ts), but as an ext4 root filesystem in a qcow2 disk, the way an
// operator's template VM carries its service. It is what the template tests
// clone (src/vm/template.ts): a VM whose server lives on a disk that clones
// share as their backing file.
//
// Debian's kernel has virtio-blk and ext4 as modules, so it cannot mount the
// disk by itself: a small stage-1 initramfs (busybox + those modules) loads
// them, mounts root= (default /dev/vda) and switch_roots into the disk's /init,
// which is the guest image's own init (network modules, DHCP, the server).
// The disk's tree is the guest image's initramfs unpacked (cpio), made into an
// ext4 filesystem with `mke2fs -d` (e2fsprogs) and converted to qcow2
// (`qemu-img convert`, qemu-utils). The modules come from the same kernel
// package the image was built with (its image.json), cached per package.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { runTool } from "../vm/exec.ts";
import { BASE_CMDLINE, defaultImageDir, type GuestImage, type ProgressFn } from "./image.ts";
import { indexModules, moduleDepends, moduleLoadOrder } from "./kernel.ts";

/** What stage 1 loads (with their deps): the PCI transport, the disk, ext4 and the crc32c its metadata checksums need. */
export const DISK_MODULE_ROOTS = ["virtio_pci", "virtio_blk", "crc32c_generic", "ext4"];

/** Stage 1: mount the root disk and hand over to its /init (PID 1 must exec switch_root). */
export const DISK_STAGE1_INIT = `#!/bin/busybox sh
# virtscale disk guest, stage 1: load the virtio block and ext4 modules, mount
# the root disk (root= on the kernel command line, default /dev/vda) and run
# its /init with switch_root. Progress goes to the serial console.
/bin/busybox mkdir -p /proc /sys /dev /newroot
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
export PATH=/bin
exec </dev/console >/dev/console 2>&1
say() { echo "virtscale-disk: $* (t=$(cut -d' ' -f1 /proc/uptime)s)"; }
for m in $(cat /lib/modules/load-order); do insmod "/lib/modules/$m.ko" || say "insmod $m failed"; done
root=/dev/vda
for arg in $(cat /proc/cmdline); do case "$arg" in root=*) root="\${arg#root=}" ;; esac; done
i=0
while [ ! -b "$root" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if ! mount -t ext4 -o rw,noatime "$root" /newroot; then
  say "cannot mount $root: powering off"
  poweroff -f
fi
say "root $root mounted"
umount /proc /sys
# The console stays open on /dev: move that mount along (the disk's init mounts its own over it).
mount --move /dev /newroot/dev
exec switch_root /newroot /init
`;

export interface DiskGuest {
  /** The image's kernel (booted directly). */
  kernel: string;
  /** Stage 1 (busybox, the disk modules, DISK_STAGE1_INIT). */
  initrd: string;
  /** The root disk: qcow2, ext4 inside. */
  disk: string;
  format: "qcow2";
  /** Base kernel command line with root=; the guest server reads virtscale.port= / virtscale.scale= from it, as in the image. */
  cmdline: string;
}

/** The disk modules (DISK_MODULE_ROOTS and deps, in insmod order) of the kernel `image` was built with, cached under `cacheDir`/kernels. */
export async function diskModules(image: GuestImage, cacheDir: string, progress: ProgressFn = () => {}): Promise<string[]> {
  const meta = JSON.parse(readFileSync(join(dirname(image.kernel), "image.json"), "utf8")) as { kernelSource?: string };
  const source = meta.kernelSource;
  if (!source) throw new Error(`${join(dirname(image.kernel), "image.json")}: no kernelSource (an image from an older builder: rebuild it)`);
  const dest = join(cacheDir, "kernels", `disk-modules-${source.replace(/[^A-Za-z0-9._+-]/g, "_")}`);
  const cached = readOrder(dest);
  if (cached) return cached;
  mkdirSync(join(cacheDir, "kernels"), { recursive: true });
  const work = mkdtempSync(join(cacheDir, "kernels", "disk-modules.partial-"));
  try {
    let tree: string;
    if (source.startsWith("dir:")) tree = source.slice("dir:".length);
    else {
      progress(`disk modules: apt-get download ${source}`);
      await runTool(["apt-get", "download", source], { cwd: work, hint: "run `apt-get update` first; the kernel comes from Debian's packages" });
      const deb = readdirSync(work).find((f) => f.endsWith(".deb"));
      if (!deb) throw new Error(`apt-get download ${source} left no .deb in ${work}`);
      await runTool(["dpkg-deb", "-x", join(work, deb), join(work, "tree")], { hint: "apt-get install dpkg" });
      tree = join(work, "tree");
    }
    const versions = readdirSync(join(tree, "lib", "modules"));
    if (versions.length !== 1) throw new Error(`${tree}/lib/modules: expected one kernel version directory, found ${versions.length}`);
    const index = indexModules(join(tree, "lib", "modules", versions[0]!));
    const pathOf = (name: string) => {
      const p = index.get(name);
      if (!p) throw new Error(`kernel module ${name} not found in ${tree} (built in? then drop it from DISK_MODULE_ROOTS)`);
      if (!p.endsWith(".ko")) throw new Error(`${p}: compressed modules are not supported by busybox insmod here; need plain .ko`);
      return p;
    };
    const order = moduleLoadOrder(DISK_MODULE_ROOTS, (name) => moduleDepends(readFileSync(pathOf(name))));
    const staged = join(work, "out");
    mkdirSync(staged);
    for (const name of order) copyFileSync(pathOf(name), join(staged, `${name}.ko`));
    writeFileSync(join(staged, "load-order"), order.join("\n") + "\n");
    rmSync(dest, { recursive: true, force: true });
    renameSync(staged, dest);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const made = readOrder(dest);
  if (!made) throw new Error(`${dest} is incomplete after extraction`);
  return made;
}

function readOrder(dir: string): string[] | null {
  try {
    const names = readFileSync(join(dir, "load-order"), "utf8").split("\n").filter(Boolean);
    const files = names.map((n) => join(dir, `${n}.ko`));
    for (const f of files) statSync(f);
    return files;
  } catch {
    return null;
  }
}

/**
 * Build the disk guest from `image` into `dir`: `<name>.qcow2` (the root disk)
 * and `<name>-initrd.img` (stage 1). Rebuilt every call (a template's disk is
 * the caller's to keep); the modules are cached.
 */
export async function buildDiskGuest(o: { image: GuestImage; dir: string; name?: string; cacheDir?: string; onProgress?: ProgressFn }): Promise<DiskGuest> {
  const name = o.name ?? "guest";
  const progress = o.onProgress ?? (() => {});
  const cacheDir = o.cacheDir ?? defaultImageDir();
  const modules = await diskModules(o.image, cacheDir, progress);
  const work = mkdtempSync(join(o.dir, `.${name}.partial-`));
  try {
    // Stage 1.
    const s1 = join(work, "stage1");
    for (const d of ["bin", "lib/modules"]) mkdirSync(join(s1, d), { recursive: true });
    copyFileSync("/bin/busybox", join(s1, "bin", "busybox"));
    chmodSync(join(s1, "bin", "busybox"), 0o755);
    for (const m of modules) copyFileSync(m, join(s1, "lib", "modules", basename(m)));
    writeFileSync(join(s1, "lib", "modules", "load-order"), modules.map((m) => basename(m, ".ko")).join("\n") + "\n");
    writeFileSync(join(s1, "init"), DISK_STAGE1_INIT, { mode: 0o755 });
    const initrd = join(o.dir, `${name}-initrd.img`);
    progress("disk guest: stage-1 initramfs");
    await runTool(["sh", "-c", `cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet > "$2"`, "sh", s1, initrd], { hint: "apt-get install cpio" });

    // The root tree: the image's initramfs, minus the modules stage 1 has loaded already (insmod would fail on them).
    const root = join(work, "root");
    mkdirSync(root);
    progress("disk guest: unpacking the image's initramfs");
    const gz = readFileSync(o.image.initrd).subarray(0, 2);
    const unpack = gz[0] === 0x1f && gz[1] === 0x8b ? `gzip -dc "$2" | cpio -idm --quiet` : `cpio -idm --quiet < "$2"`;
    await runTool(["sh", "-c", `cd "$1" && ${unpack}`, "sh", root, o.image.initrd], { hint: "apt-get install cpio gzip" });
    const loaded = new Set(modules.map((m) => basename(m, ".ko")));
    const orderFile = join(root, "lib", "modules", "load-order");
    if (existsSync(orderFile)) {
      writeFileSync(orderFile, readFileSync(orderFile, "utf8").split("\n").filter((n) => n && !loaded.has(n)).join("\n") + "\n");
    }
    // ext4 with room to spare (the server writes nothing big; the guest's /tmp is on it too).
    const bytes = Number((await runTool(["du", "-sb", root])).split(/\s/)[0]);
    const sizeMiB = Math.ceil((bytes * 1.25) / 1048576) + 64;
    const raw = join(work, "root.raw");
    progress(`disk guest: mke2fs -t ext4 -d (${sizeMiB} MiB)`);
    await runTool(["mke2fs", "-q", "-F", "-t", "ext4", "-L", "virtscale-root", "-d", root, raw, `${sizeMiB}M`], { hint: "apt-get install e2fsprogs" });
    const disk = join(o.dir, `${name}.qcow2`);
    progress("disk guest: qemu-img convert to qcow2");
    await runTool(["qemu-img", "convert", "-q", "-f", "raw", "-O", "qcow2", raw, disk], { hint: "apt-get install qemu-utils" });
    return { kernel: o.image.kernel, initrd, disk, format: "qcow2", cmdline: `${BASE_CMDLINE} root=/dev/vda` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

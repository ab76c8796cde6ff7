// Image pieces that need no VM: the cache key, module load order, accel choice.
import { describe, expect, test } from "bun:test";
import { imageCacheKey, defaultImageDir, sharedLibs, isCompiled, localImports } from "../../src/guest/image.ts";
import { join } from "node:path";
import { hasPvhNote, moduleDepends, moduleLoadOrder } from "../../src/guest/kernel.ts";
import { chooseAccel, domainTypes } from "../../src/vm/accel.ts";
import { INIT_SCRIPT } from "../../src/guest/init.ts";
import { DEFAULT_WORK_SCALE } from "../../src/protocol.ts";
import { parseConfig } from "../../src/config.ts";

const inputs = {
  kernelSource: "linux-image-6.1.0-56-amd64=6.1.192-2",
  kernelHash: "k1",
  moduleHashes: ["m1", "m2"],
  busyboxHash: "b1",
  serverHash: "s1",
  libHashes: ["/lib/libc.so.6:l1"],
  init: INIT_SCRIPT,
  udhcpc: "u",
  cmdline: "console=ttyS0",
  compression: "none",
};

describe("image cache key", () => {
  test("same inputs, same id; any changed input, another id", () => {
    const id = imageCacheKey(inputs);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(imageCacheKey({ ...inputs })).toBe(id);
    const changes: Partial<typeof inputs>[] = [
      { kernelSource: "linux-image-6.1.0-57-amd64=6.1.193-1" },
      { kernelHash: "k2" },
      { moduleHashes: ["m1"] },
      { busyboxHash: "b2" },
      { serverHash: "s2" },
      { libHashes: [] },
      { init: INIT_SCRIPT + "\n" },
      { udhcpc: "u2" },
      { cmdline: "console=ttyS1" },
      { compression: "gzip" },
    ];
    const ids = new Set(changes.map((c) => imageCacheKey({ ...inputs, ...c })));
    expect(ids.size).toBe(changes.length);
    expect(ids.has(id)).toBe(false);
  });
  test("default image dir is absolute; tests run from source", () => {
    expect(defaultImageDir()).toMatch(/^\/.*images$/);
    expect(isCompiled()).toBe(false);
  });
});

describe("guest server sources", () => {
  test("the guest server's cache key covers exactly what its bundle imports", () => {
    const root = join(import.meta.dir, "..", "..");
    const files = localImports(join(root, "src", "commands", "guest-entry.ts")).map((f) => f.slice(root.length + 1)).sort();
    for (const f of ["src/commands/guest-entry.ts", "src/commands/serve.ts", "src/guest/serve.ts", "src/protocol.ts", "src/cli.ts", "src/config.ts"]) expect(files).toContain(f);
    // Not the balancer, the dashboard or libvirt: editing those does not rebuild the guest.
    expect(files.some((f) => /^(src\/lb|tui|ffi)\//.test(f))).toBe(false);
  });
});

describe("kernel modules", () => {
  test("depends= is read from .modinfo bytes", () => {
    const fake = new TextEncoder().encode("\0license=GPL\0depends=virtio_ring,virtio,net_failover\0name=virtio_net\0");
    expect(moduleDepends(fake)).toEqual(["virtio_ring", "virtio", "net_failover"]);
    expect(moduleDepends(new TextEncoder().encode("\0depends=\0name=virtio\0"))).toEqual([]);
  });
  test("PVH entry note detection (QEMU can boot the ELF vmlinux directly)", () => {
    const elf = (note: number[]) => new Uint8Array([0x7f, 0x45, 0x4c, 0x46, ...new Array(60).fill(0), ...note]);
    const xen = [0x58, 0x65, 0x6e, 0];
    expect(hasPvhNote(elf([4, 0, 0, 0, 8, 0, 0, 0, 18, 0, 0, 0, ...xen, 0x50, 8, 0, 1, 0, 0, 0, 0]))).toBe(true);
    expect(hasPvhNote(elf([4, 0, 0, 0, 4, 0, 0, 0, 18, 0, 0, 0, ...xen, 0, 0, 0, 1]))).toBe(true);
    // Another Xen note type, or not an ELF at all (a bzImage), is not PVH.
    expect(hasPvhNote(elf([4, 0, 0, 0, 8, 0, 0, 0, 17, 0, 0, 0, ...xen, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe(false);
    expect(hasPvhNote(new Uint8Array([0x4d, 0x5a, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0, 18, 0, 0, 0, ...xen]))).toBe(false);
  });

  test("load order puts dependencies first (the order the notes found by hand)", () => {
    const deps: Record<string, string[]> = {
      virtio_pci: ["virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_ring", "virtio"],
      virtio_pci_modern_dev: [],
      virtio_pci_legacy_dev: [],
      virtio_ring: [],
      virtio: [],
      virtio_net: ["virtio_ring", "virtio", "net_failover"],
      net_failover: ["failover"],
      failover: [],
    };
    const order = moduleLoadOrder(["virtio_pci", "virtio_net"], (n) => deps[n]!);
    expect(order).toHaveLength(8);
    for (const [m, ds] of Object.entries(deps)) for (const d of ds) expect(order.indexOf(d)).toBeLessThan(order.indexOf(m));
    expect(() => moduleLoadOrder(["a"], (n) => (n === "a" ? ["b"] : ["a"]))).toThrow(/cycle: a -> b -> a/);
  });
});

describe("accel", () => {
  const caps = (types: string[]) =>
    `<capabilities><host/><guest><os_type>hvm</os_type><arch name='x86_64'>${types.map((t) => `<domain type='${t}'/>`).join("")}</arch></guest>` +
    `<guest><os_type>hvm</os_type><arch name='i686'><domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>`;
  test("kvm when libvirt offers it, TCG otherwise, config overrides", () => {
    expect(domainTypes(caps(["qemu", "kvm"]))).toEqual(["qemu", "kvm"]);
    expect(chooseAccel(caps(["qemu", "kvm"]), "auto")).toMatchObject({ type: "kvm", name: "kvm" });
    expect(chooseAccel(caps(["qemu"]), "auto")).toMatchObject({ type: "qemu", name: "tcg" });
    expect(chooseAccel(caps(["qemu", "kvm"]), "tcg")).toMatchObject({ type: "qemu", name: "tcg" });
    expect(() => chooseAccel(caps(["qemu"]), "kvm")).toThrow(/vm.accel=kvm but libvirt offers no kvm/);
    expect(() => chooseAccel(caps([]), "auto")).toThrow(/neither kvm nor qemu/);
  });
});

describe("guest", () => {
  test("init loads modules in order, runs udhcpc and the server with port/scale from the kernel command line", () => {
    expect(INIT_SCRIPT).toContain("insmod");
    expect(INIT_SCRIPT).toContain("udhcpc");
    expect(INIT_SCRIPT).toContain("virtscale.scale=");
    expect(INIT_SCRIPT).toContain("/bin/virtscale serve --port");
    // virtscale.function=NAME on the kernel command line: the server answers as NAME (a server that is not virtscale's).
    expect(INIT_SCRIPT).toContain('virtscale.function=*) fn="${arg#virtscale.function=}"');
    expect(INIT_SCRIPT).toContain('${fn:+--function "$fn"}');
  });
  test("config default work scale matches the shared constant", () => {
    expect(parseConfig({}).vm.work_scale).toBe(DEFAULT_WORK_SCALE);
  });
  test("ldd finds the dynamic libraries of a binary (the bun runtime here)", async () => {
    const libs = await sharedLibs(process.execPath);
    expect(libs.some((l) => /libc\.so/.test(l))).toBe(true);
    expect(libs.some((l) => /ld-linux/.test(l))).toBe(true);
    expect(await sharedLibs("/bin/busybox")).toEqual([]);
  });
});

// A group cloned from a qcow2 template on real QEMU (TCG), economically (2 VMs
// at most): the project's guest on a disk (src/guest/disk-image.ts: ext4 root
// in a qcow2, a stage-1 initramfs mounts it) is defined as a shut-off template
// domain of its own prefix, its disk in a transient dir pool of its own (put
// there after the pool started, so the first clone finds it by the pool's
// target path and a refresh). A group (its own prefix) with scaler.template
// clones it: one VM at start, scale out to 2, back in to 1, then the run
// ends. Asserted: each clone runs on a qcow2 overlay (a volume of the pool,
// backed by the template's disk) that is gone once the clone is removed, on
// scale-in and at exit; every clone answers through the balancer; the
// template's disk is unchanged (hash and mtime) and the template still shut
// off; nothing of either prefix is left. Prints the clone-to-serving times.
import { afterAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { Connection, virStoragePoolCreateXML, virStoragePoolDestroy, virStoragePoolLookupByName } from "../../ffi/index.ts";
import { DEFAULT_WORK_SCALE } from "../../src/protocol.ts";
import { buildImage, defaultImageDir, findImage } from "../../src/guest/image.ts";
import { buildDiskGuest } from "../../src/guest/disk-image.ts";
import { xmlBuilder } from "../../src/vm/metadata.ts";
import { FrontClient } from "../scaler/front-client.ts";
import { domainState, qemuRig, qemuUnavailable, rand6, sweep, until, QEMU_URI, type QemuRig } from "../scaler/qemu-rig.ts";

const missingTool = ["qemu-img", "mke2fs", "cpio"].find((t) => {
  try {
    execFileSync("sh", ["-c", `command -v ${t}`], { stdio: "ignore" });
    return false;
  } catch {
    return true;
  }
});
const skip = qemuUnavailable() ?? (missingTool ? `${missingTool} not installed` : null);
if (skip) console.warn(`template.qemu.test.ts skipped: ${skip}`);

const rand = rand6();
const tplPrefix = `vst-tpl-${rand}`;
const tplName = `${tplPrefix}-template`;
const poolName = `${tplPrefix}-pool`;
const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

function templateDomainXml(g: { kernel: string; initrd: string; disk: string; cmdline: string }): string {
  // A user's VM, as one would define it: no virtscale metadata, libvirt's own user-mode NIC (the clones get the group's forward instead).
  return xmlBuilder.build({
    domain: {
      "@_type": "qemu",
      name: tplName,
      memory: { "@_unit": "MiB", "#text": "384" },
      vcpu: "1",
      os: { type: { "@_arch": "x86_64", "@_machine": "pc", "#text": "hvm" }, kernel: g.kernel, initrd: g.initrd, cmdline: `${g.cmdline} virtscale.port=21001 virtscale.scale=${DEFAULT_WORK_SCALE}` },
      features: { acpi: "", apic: "" },
      cpu: { "@_mode": "maximum", "@_check": "none" },
      on_poweroff: "destroy",
      devices: {
        disk: { "@_type": "file", "@_device": "disk", driver: { "@_name": "qemu", "@_type": "qcow2" }, source: { "@_file": g.disk }, target: { "@_dev": "vda", "@_bus": "virtio" } },
        interface: { "@_type": "user", model: { "@_type": "virtio" } },
        serial: { "@_type": "pty", target: { "@_port": "0" } },
        console: { "@_type": "pty", target: { "@_type": "serial", "@_port": "0" } },
        controller: { "@_type": "usb", "@_model": "none" },
        memballoon: { "@_model": "none" },
      },
    },
  });
}

function backingOf(file: string): string | undefined {
  // -U: the overlay is open in a running QEMU (its write lock); reading the header is safe.
  const info = JSON.parse(execFileSync("qemu-img", ["info", "-U", "--output=json", file], { encoding: "utf8" })) as Record<string, string>;
  return info["backing-filename"];
}

describe.skipIf(skip !== null)(`a group cloned from a qcow2 template on real QEMU${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let rig: QemuRig | undefined;
  let client: FrontClient | undefined;
  let dir = "";

  afterAll(async () => {
    client?.close();
    if (rig) {
      await rig.close().catch((e) => console.error(`rig close: ${(e as Error).message}`));
      expect(sweep(rig.prefix)).toEqual([]);
    }
    sweep(tplPrefix);
    const c = Connection.open(QEMU_URI);
    try {
      using pool = virStoragePoolLookupByName(c, poolName);
      virStoragePoolDestroy(pool);
    } catch {
      /* not made */
    } finally {
      c.close();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  test(
    "clones scale out to 2 and back to 1; each runs on its own overlay, removed with it; the template and its disk untouched",
    async () => {
      const image = findImage(defaultImageDir()) ?? (await buildImage({}));
      // The pool's directory: QEMU (libvirt-qemu) must reach the files in it.
      dir = mkdtempSync(join("/var/tmp", `${tplPrefix}-`));
      chmodSync(dir, 0o755);
      let base = "";
      const c = Connection.open(QEMU_URI);
      try {
        using pool = virStoragePoolCreateXML(c, xmlBuilder.build({ pool: { "@_type": "dir", name: poolName, target: { path: dir } } }));
        void pool;
        const t0 = performance.now();
        const guest = await buildDiskGuest({ image, dir, name: "template" });
        console.log(`disk guest built in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${guest.disk} (${(statSync(guest.disk).size / 1048576).toFixed(0)} MiB)`);
        using tpl = c.defineXML(templateDomainXml(guest));
        void tpl;
        base = guest.disk;
      } finally {
        c.close();
      }
      const before = { hash: sha(base), mtime: statSync(base).mtimeMs };
      const overlaysNow = () => readdirSync(dir).filter((f) => f.endsWith("-vda.qcow2"));

      rig = await qemuRig({ template: tplName, min: 1, max: 2, paused: true });
      const { run } = rig;
      const g = run.group;
      const dump = () => ({ members: g.members().map((m) => [m.name, m.role, m.busy]), launches: g.actuator.launches });
      const serving = () => g.serving().map((m) => m.name).sort();

      // 1. One clone at start.
      await until("the first clone serving", () => serving().length === 1, 150_000, dump);
      const first = serving()[0]!;
      const overlay1 = join(dir, `${first}-vda.qcow2`);
      expect(overlaysNow()).toEqual([`${first}-vda.qcow2`]);
      expect(backingOf(overlay1)).toBe(base);
      // It booted from the disk: stage 1 mounted /dev/vda, the disk's own init runs the server.
      const console1 = readFileSync(rig.vms.serialLogOf(first)!, "utf8");
      expect(console1).toContain("virtscale-disk: root /dev/vda mounted");
      expect(console1).toContain("virtscale-init: starting server");

      // 2. Scale out: a second clone, its own overlay.
      g.scaleBy(1);
      await until("two clones serving", () => serving().length === 2, 150_000, dump);
      const second = serving().find((n) => n !== first)!;
      expect(overlaysNow().sort()).toEqual([`${first}-vda.qcow2`, `${second}-vda.qcow2`].sort());
      expect(backingOf(join(dir, `${second}-vda.qcow2`))).toBe(base);
      // Both answer correctly through the balancer.
      client = await FrontClient.open(run.front, rig.config.vm.work_scale);
      for (let i = 0; i < 20; i++) client.send();
      await until("20 answers", () => client!.asked.filter((a) => a.ms !== null).length === 20, 30_000, () => ({ asked: client!.asked, wrong: client!.wrong }));
      expect(client.wrong).toBe(0);
      const perBackend = run.balancer.backends().filter((b) => b.answered > 0).map((b) => b.id);
      expect(perBackend.sort()).toEqual([first, second].sort());

      // 3. Scale in: one clone leaves, domain and overlay with it.
      g.scaleBy(-1);
      await until("back to one clone", () => g.members().length === 1 && serving().length === 1, 60_000, dump);
      const kept = serving()[0]!;
      const gone = kept === first ? second : first;
      expect(domainState(gone)).toBeNull();
      expect(overlaysNow()).toEqual([`${kept}-vda.qcow2`]);

      const clones = g.actuator.launches.filter((l) => l.how === "clone" && l.decisionToServingMs !== undefined);
      expect(clones.length).toBe(2);
      console.log(`clone -> serving (decision to first correct answer): ${clones.map((l) => `${l.name} ${(l.decisionToServingMs! / 1000).toFixed(1)} s (start to serving ${((l.servingAt! - l.startedAt!) / 1000).toFixed(1)} s)`).join(", ")}`);

      // 4. The run ends: the last clone and its overlay go too.
      const summary = await run.stop({ removeVms: true });
      expect(summary.group.removed).toContain(kept);
      expect(domainState(kept)).toBeNull();
      expect(overlaysNow()).toEqual([]);
      expect(existsSync(overlay1)).toBe(false);

      // The template: still defined, shut off, its disk as it was.
      expect(domainState(tplName)).toBe("shutoff");
      expect({ hash: sha(base), mtime: statSync(base).mtimeMs }).toEqual(before);
    },
    600_000,
  );
});

// A server VM for real: build the image (cached), boot it under QEMU through
// qemu:///system, get correct answers over the loopback UDP forward, save it
// (resume and halt), restore it, managed-save and start it again, and the CLI's
// snapshot/restore; every time the server must answer correctly afterwards.
// Everything this file creates is destroyed and undefined in afterAll.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection } from "../../ffi/index.ts";
import { parseConfig } from "../../src/config.ts";
import { decodeReply, encodeRequest, expectedReply } from "../../src/protocol.ts";
import { buildImage, type GuestImage } from "../../src/guest/image.ts";
import { VmManager } from "../../src/vm/manager.ts";

const URI = "qemu:///system";
let skipReason = "";
try {
  Connection.open(URI).close();
} catch (e) {
  skipReason = `${URI} does not answer (${(e as Error).message}); run scripts/start-libvirtd.sh`;
}
if (skipReason) console.warn(`SKIP test/vm/vm.qemu.test.ts: ${skipReason}`);

const rand = Math.random().toString(36).slice(2, 8).padEnd(6, "0");
const prefix = `vst-vm-${rand}`;
const SCALE = 50;
const snaps = mkdtempSync(join(tmpdir(), `vst-vm-${rand}-snaps-`));
const config = parseConfig({
  auto_scaler_domain_prefix: prefix,
  vm: { port_base: 31000 + Math.floor(Math.random() * 800), snapshot_dir: snaps, work_scale: SCALE },
});
let image: GuestImage;
let vms: VmManager;
let name = "";
let port = 0;

/** One request over real UDP; the answer must be the protocol's. */
function ask(n: number, timeoutMs = 10_000): Promise<bigint> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no answer from 127.0.0.1:${port} for n=${n} within ${timeoutMs} ms`));
    }, timeoutMs);
    s.on("message", (m) => {
      clearTimeout(timer);
      s.close();
      const v = decodeReply(m);
      if (v === null) reject(new Error(`reply of ${m.byteLength} bytes, expected 8`));
      else resolve(v);
    });
    s.send(encodeRequest(n), port, "127.0.0.1");
  });
}

async function answersCorrectly(): Promise<void> {
  await vms.waitServing(name, 60_000);
  for (const n of [7, 12345, 200000]) expect(await ask(n)).toBe(expectedReply(n, SCALE));
}

beforeAll(async () => {
  if (skipReason) return;
  image = await buildImage({ cacheDir: config.vm.image_dir });
  vms = new VmManager({ uri: URI, config, image });
}, 300_000);

afterAll(async () => {
  if (vms) {
    try {
      for (const vm of vms.listOwned()) {
        if (!vm.name.startsWith(`${prefix}-`)) continue;
        try {
          await vms.destroy(vm.name);
        } catch (e) {
          console.error(`cleanup: destroy ${vm.name}: ${(e as Error).message}`);
        }
      }
    } finally {
      await vms.close();
    }
  }
  rmSync(snaps, { recursive: true, force: true });
}, 120_000);

describe.skipIf(Boolean(skipReason))("server VM on qemu:///system (TCG)", () => {
  test("image build is cached by content", async () => {
    const again = await buildImage({ cacheDir: config.vm.image_dir });
    expect(again.id).toBe(image.id);
    expect(again.cached).toBe(true);
  }, 180_000);

  test("create: boots and answers correctly over the loopback UDP forward", async () => {
    const vm = await vms.create();
    name = vm.name;
    port = vm.port;
    expect(name).toMatch(new RegExp(`^${prefix}-\\d{4}$`));
    expect(vm.address).toEqual({ host: "127.0.0.1", port });
    expect(vms.accel().name).toMatch(/^(kvm|tcg)$/);
    const ms = await vms.waitServing(name, 90_000);
    console.log(`boot to first correct answer: ${ms} ms (${vms.accel().name})`);
    await answersCorrectly();
    expect(vms.pidOf(name)).toBeGreaterThan(0);
    // Malformed datagrams do not break the guest server.
    const s = createSocket("udp4");
    await new Promise<void>((r) => s.send(new Uint8Array(3), port, "127.0.0.1", () => r()));
    s.close();
    expect(await ask(99)).toBe(expectedReply(99, SCALE));
  }, 180_000);

  test("save with resume: keeps running and answering", async () => {
    const pid = vms.pidOf(name);
    const r = await vms.save(name, "resume.save", { resume: true });
    expect(r.path).toBe(join(snaps, "resume.save"));
    expect(r.bytes).toBeGreaterThan(1_000_000);
    // The external memory snapshot path: the domain never stopped (same QEMU process).
    expect(r.method).toBe("snapshot");
    expect(vms.pidOf(name)).toBe(pid);
    expect(vms.get(name).state).toBe("running");
    await answersCorrectly();
  }, 180_000);

  test("the resume-save file restores too (libvirt save-image format)", async () => {
    await vms.shutdown(name, { timeoutMs: 60_000 });
    expect(vms.get(name).state).toBe("shutoff");
    const back = await vms.restore("resume.save");
    expect(back).toMatchObject({ name, state: "running", port });
    await answersCorrectly();
  }, 180_000);

  test("save with halt, then restore: same identity, answers again", async () => {
    const uuid = vms.get(name).uuid;
    await vms.save(name, "halt.save", { resume: false });
    expect(vms.get(name).state).toBe("shutoff");
    expect(readdirSync(snaps).sort()).toEqual(["halt.save", "resume.save"]);
    const back = await vms.restore("halt.save");
    expect(back).toMatchObject({ name, uuid, state: "running", port });
    await answersCorrectly();
  }, 180_000);

  test("managed save, then start resumes the booted server", async () => {
    await vms.managedSave(name);
    expect(vms.get(name).state).toBe("saved");
    await vms.start(name);
    expect(vms.get(name).state).toBe("running");
    await answersCorrectly();
  }, 180_000);

  test("CLI: virtscale snapshot --halt --json, then virtscale restore --wait", async () => {
    const cfg = join(snaps, "..", `vst-vm-${rand}-config.json`);
    writeFileSync(cfg, JSON.stringify({ auto_scaler_domain_prefix: prefix, vm: { snapshot_dir: snaps, work_scale: SCALE } }));
    try {
      const cli = (args: string[]) => {
        const r = Bun.spawnSync([process.execPath, "src/main.ts", ...args, "-c", URI, "--config", cfg], { cwd: join(import.meta.dir, "..", "..") });
        return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
      };
      const snap = cli(["snapshot", name, "--path", "cli.save", "--halt", "--json"]);
      expect(snap.err).toBe("");
      expect(snap.code).toBe(0);
      const lines = snap.out.trim().split("\n").map((l) => JSON.parse(l));
      expect(lines.at(-1)).toMatchObject({ type: "snapshot", action: "save", status: "done", path: join(snaps, "cli.save"), resumed: false });
      expect(vms.get(name).state).toBe("shutoff");
      const bad = cli(["restore", "../outside.save"]);
      expect(bad.code).toBe(1);
      expect(bad.err).toContain("outside the snapshot directory");
      const rest = cli(["restore", "cli.save", "--wait"]);
      expect(rest.code).toBe(0);
      expect(rest.out).toContain(`${name}: restored`);
      expect(rest.out).toContain("answering after");
      await answersCorrectly();
    } finally {
      rmSync(cfg, { force: true });
    }
  }, 180_000);

  test("shutdown is graceful: the guest powers off on the ACPI power button", async () => {
    await vms.shutdown(name, { timeoutMs: 60_000 });
    expect(vms.get(name).state).toBe("shutoff");
    const log = vms.serialLogOf(name);
    if (log && existsSync(log)) expect(readFileSync(log, "utf8")).toContain("power button: powering off");
  }, 120_000);

  test("destroy removes the domain", async () => {
    await vms.destroy(name);
    expect(vms.listOwned().some((v) => v.name === name)).toBe(false);
    expect(existsSync(`/var/log/libvirt/qemu/${name}-serial.log`)).toBe(false);
  });
});

// The snapshot grace on real QEMU guests (TCG): a group of one serving VM
// (scaler paused, so only death and halts change it), and a snapshot of it
// taken three ways, each with resume and with halt: the dashboard's named
// command, `virtscale snapshot` in another process (which marks the domain in
// its libvirt metadata), and POST /v1/vms/{name}/snapshots. The group never
// replaces a VM under a snapshot: the same domain (UUID) stays defined and no
// other VM is launched while the snapshot runs. After a resume it serves on;
// after a halt it leaves the group still defined (restorable) and another VM
// takes its place. Sequential on one group: the machine has 2 cores.
import { afterAll, describe, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection } from "../../ffi/index.ts";
import { startApi, type RunningApi } from "../../src/api/server.ts";
import { registerVmCommands } from "../../src/vm/commands.ts";
import { qemuRig, qemuUnavailable, rand6, sleep, sweep, until, QEMU_URI, type QemuRig } from "../scaler/qemu-rig.ts";

const skip = qemuUnavailable();
if (skip) console.warn(`snapshot-grace.qemu.test.ts skipped: ${skip}`);

const BUN = process.execPath;
const MAIN = join(import.meta.dir, "../../src/main.ts");

describe.skipIf(skip !== null)(`snapshot grace on real QEMU guests${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let rig: QemuRig | undefined;
  let api: RunningApi | undefined;
  const dir = mkdtempSync(join(tmpdir(), "vst-grace-"));
  afterAll(async () => {
    await api?.close();
    if (rig) {
      await rig.close();
      expect(sweep(rig.prefix)).toEqual([]);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  test(
    "dashboard, CLI in another process, API; resume and halt: the VM is never replaced",
    async () => {
      const snaps = join(dir, "snapshots");
      rig = await qemuRig({ min: 1, max: 2, policy: "threshold", paused: true }, { vm: { port_base: 33000 + Math.floor(Math.random() * 90) * 10, snapshot_dir: snaps } });
      const { run, store, vms, prefix } = rig;
      const g = run.group;
      // As `virtscale up` does: the dashboard's commands and the registry's view of the domains.
      registerVmCommands(store, vms);
      api = await startApi({ listen: { host: "127.0.0.1", port: 0 }, store, vms, config: rig.config, scaler: g });
      const cfgFile = join(dir, "cli.json");
      writeFileSync(cfgFile, JSON.stringify({ auto_scaler_domain_prefix: prefix, vm: { snapshot_dir: snaps } }));
      const conn = Connection.open(QEMU_URI, { readOnly: true });
      const uuidOf = (name: string) => {
        try {
          using d = conn.lookupByName(name);
          return d.uuidString();
        } catch {
          return null;
        }
      };
      const serving = () => g.serving().map((m) => m.name);
      const dump = () => ({ members: g.members().map((m) => [m.name, m.role]), launches: g.summary.launches.length, log: store.events().slice(-14) });
      const takenOut = (name: string) => store.events().some((e) => e.type === "log" && e.message.startsWith(`${name}:`) && e.message.includes("taken out"));

      const stoppedNow = (name: string) => {
        try {
          using d = conn.lookupByName(name);
          return !d.isActive();
        } catch {
          return false;
        }
      };
      /**
       * Run `snap` (resolves when the snapshot is done) and check, every 100 ms while it runs, that nothing replaces
       * `name`. A halt ends with the VM stopped, and then its replacement is due (it leaves the group, still defined:
       * leavesDefined): from the moment libvirt has it stopped, one launch is allowed, none before.
       */
      const underSnapshot = async (name: string, snap: () => Promise<unknown>, halts = false) => {
        const uuid = uuidOf(name);
        const launchesBefore = g.summary.launches.length;
        const allowed = () => (halts && stoppedNow(name) ? 1 : 0);
        let done = false;
        let checks = 0;
        const p = snap().finally(() => (done = true));
        while (!done) {
          const ok = allowed(); // read before the count: a launch seen after a stop was seen is the halt's replacement
          expect(g.summary.launches.length - launchesBefore, JSON.stringify({ ...dump(), launched: g.summary.launches.slice(launchesBefore) })).toBeLessThanOrEqual(ok);
          expect(uuidOf(name)).toBe(uuid);
          checks++;
          await sleep(100);
        }
        const out = await p;
        const ok = allowed();
        expect(g.summary.launches.length - launchesBefore, JSON.stringify({ ...dump(), launched: g.summary.launches.slice(launchesBefore), out })).toBeLessThanOrEqual(ok);
        expect(uuidOf(name)).toBe(uuid);
        expect(takenOut(name)).toBe(false);
        return { uuid: uuid!, launchesBefore, checks, out };
      };
      /** After a resume: it serves on, same domain, nothing launched, for several periods. */
      const servesOn = async (name: string, uuid: string, launches: number) => {
        for (let i = 0; i < 6; i++) {
          await sleep(1000);
          expect(serving()).toEqual([name]);
          expect(uuidOf(name)).toBe(uuid);
          expect(g.summary.launches.length).toBe(launches);
        }
        expect(takenOut(name)).toBe(false);
      };
      /** After a halt: it leaves the group, still defined with its UUID, and another VM serves in its place. */
      const leavesDefined = async (name: string, uuid: string, image: string) => {
        await until(`${name} to leave the group and another VM to serve`, () => !g.members().some((m) => m.name === name) && serving().length === 1, 180_000, dump);
        expect(uuidOf(name)).toBe(uuid);
        expect(existsSync(image)).toBe(true);
        expect(g.summary.left).toContain(name);
        expect(takenOut(name)).toBe(false);
      };
      const cli = (args: string[]) =>
        new Promise<{ code: number | null; lines: any[]; err: string }>((resolve) => {
          const c = spawn(BUN, [MAIN, ...args, "-c", QEMU_URI, "--config", cfgFile, "--json"], { stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          let err = "";
          c.stdout.on("data", (b) => (out += b));
          c.stderr.on("data", (b) => (err += b));
          c.on("exit", (code) => resolve({ code, err, lines: out.split("\n").filter(Boolean).map((l) => JSON.parse(l)) }));
        });
      const methods: string[] = [];

      await until("the first VM to serve", () => serving().length === 1, 180_000, dump);

      // 1. The dashboard's named command (the `s` and `S` keys).
      let name = serving()[0]!;
      let r = await underSnapshot(name, () => store.run("snapshot", [name, "resume", "dash-resume.save"]));
      methods.push(`dashboard resume: ${(r.out as { method: string }).method}`);
      await servesOn(name, r.uuid, r.launchesBefore);
      r = await underSnapshot(name, () => store.run("snapshot", [name, "halt", "dash-halt.save"]), true);
      await leavesDefined(name, r.uuid, join(snaps, "dash-halt.save"));

      // 2. The CLI in another process: it marks the domain before it pauses it.
      name = serving()[0]!;
      r = await underSnapshot(name, () => cli(["snapshot", name, "--resume", "--path", "cli-resume.save"]));
      let res = r.out as Awaited<ReturnType<typeof cli>>;
      expect(res.code, res.err).toBe(0);
      expect(res.lines.map((l) => l.status)).toEqual(["started", "done"]);
      methods.push(`cli resume: ${res.lines[1].method}`);
      await servesOn(name, r.uuid, r.launchesBefore);
      r = await underSnapshot(name, () => cli(["snapshot", name, "--halt", "--path", "cli-halt.save"]), true);
      res = r.out as Awaited<ReturnType<typeof cli>>;
      expect(res.code, res.err).toBe(0);
      await leavesDefined(name, r.uuid, join(snaps, "cli-halt.save"));

      // 3. The API.
      const post = (vm: string, body: unknown) =>
        fetch(`${api!.url}/v1/vms/${vm}/snapshots`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(async (x) => ({ status: x.status, json: (await x.json()) as any }));
      name = serving()[0]!;
      r = await underSnapshot(name, () => post(name, { id: `resume-${rand6()}`, resume: true }));
      let answer = r.out as Awaited<ReturnType<typeof post>>;
      expect(answer.status, JSON.stringify(answer.json)).toBe(201);
      methods.push(`api resume: ${answer.json.method}${answer.json.warning ? ` (${answer.json.warning})` : ""}`);
      await servesOn(name, r.uuid, r.launchesBefore);
      const haltId = `halt-${rand6()}`;
      r = await underSnapshot(name, () => post(name, { id: haltId, resume: false }), true);
      answer = r.out as Awaited<ReturnType<typeof post>>;
      expect(answer.status, JSON.stringify(answer.json)).toBe(201);
      await leavesDefined(name, r.uuid, join(snaps, name, `${haltId}.save`));
      console.log(`save methods: ${methods.join("; ")}`);
      conn.close();
    },
    900_000,
  );
});

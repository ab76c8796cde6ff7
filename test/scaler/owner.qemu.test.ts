// One owner per group and a clean exit, on real QEMU guests (TCG), with
// `virtscale up --json` as a child process, as an operator runs it (issue 13,
// items 3 and 5): a second `up` on the same group refuses naming the owner;
// after kill -9 of the owner, a new `up` takes over, adopts and serves; its
// SIGTERM leaves 0 domains of the group and 0 managed-save images; so does a
// SIGHUP (the terminal closed), which exits 129 after the cleanup. Its own
// prefix (vst-owner-<rand6>) and ports; every domain is swept at the end.
import { afterAll, describe, expect, test } from "bun:test";
import { spawn, type Subprocess } from "bun";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expectedReply } from "../../src/protocol.ts";
import { parseConfig } from "../../src/config.ts";
import { ephemeralUdpPort } from "../../src/vm/ports.ts";
import { askFront } from "./front-client.ts";
import { domainsOn, qemuUnavailable, QEMU_URI, rand6, sweep } from "./qemu-rig.ts";

const skip = qemuUnavailable();
if (skip) console.warn(`owner.qemu.test.ts skipped: ${skip}`);

const ROOT = resolve(import.meta.dir, "../..");
const SAVE_DIR = "/var/lib/libvirt/qemu/save";
const prefix = `vst-owner-${rand6()}`;
const dir = mkdtempSync(join(tmpdir(), "vst-owner-"));
const cfgPath = join(dir, "config.json");
const portBase = 37000 + Math.floor(Math.random() * 90) * 10;
writeFileSync(cfgPath, JSON.stringify({ auto_scaler_domain_prefix: prefix, vm: { port_base: portBase }, scaler: { period_s: 1, ready_timeout_s: 150 } }));
const workScale = parseConfig({}).vm.work_scale;

interface Up {
  proc: Subprocess<"ignore", "pipe", "pipe">;
  events: Record<string, any>[];
  stderr: () => string;
  startedAt: number;
}
const ups: Up[] = [];

function up(extra: string[]): Up {
  const startedAt = performance.now();
  const proc = spawn([process.execPath, "src/main.ts", "up", "-c", QEMU_URI, "--config", cfgPath, "--json", "--min", "1", "--max", "1", ...extra], {
    cwd: ROOT,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const u: Up = { proc, events: [], stderr: () => err, startedAt };
  let err = "";
  void (async () => {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of proc.stdout) {
      buf += dec.decode(chunk);
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const ev = JSON.parse(line) as Record<string, any>;
          (ev as { at?: number }).at = performance.now();
          u.events.push(ev);
        } catch {
          /* not a JSON line */
        }
      }
    }
  })();
  void (async () => {
    for await (const chunk of proc.stderr) err += new TextDecoder().decode(chunk);
  })();
  ups.push(u);
  return u;
}

async function until<T>(what: string, u: Up, find: () => T | undefined, timeoutMs: number): Promise<T> {
  const t0 = performance.now();
  for (;;) {
    const v = find();
    if (v !== undefined) return v;
    if (performance.now() - t0 > timeoutMs) {
      const tail = u.events.filter((e) => e.type !== "tick").slice(-15).map((e) => JSON.stringify(e).slice(0, 300));
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\nevents:\n${tail.join("\n")}\nstderr: ${u.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const servingEvent = (u: Up) => u.events.find((e) => e.type === "vm" && e.to === "serving");
const warmSaved = (u: Up) => u.events.find((e) => e.type === "vm" && /managed-saved into the warm pool/.test(e.detail ?? ""));

const domainsOfPrefix = () => domainsOn(QEMU_URI, prefix).sort();
const saveImages = () => (existsSync(SAVE_DIR) ? readdirSync(SAVE_DIR).filter((f) => f.startsWith(prefix)) : []);

/** One request through the balancer's front: the answer the guest server computes, or null after 3 s. */
const ask = (port: number, n: number) => askFront({ host: "127.0.0.1", port }, n, 3000);

describe.skipIf(skip !== null)(`one owner per group, clean exit, on real QEMU${skip ? ` (skipped: ${skip})` : ""}`, () => {
  afterAll(() => {
    for (const u of ups) if (u.proc.exitCode === null) u.proc.kill(9);
    sweep(prefix);
    for (const f of saveImages()) rmSync(join(SAVE_DIR, f), { force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    "second up refused naming the owner; kill -9 then up: adopts and serves; SIGTERM and SIGHUP leave nothing",
    async () => {
      const front = await ephemeralUdpPort();
      const api = await ephemeralUdpPort(); // a free number; the API binds TCP on it
      const args = ["--source", "warm", "--warm-pool", "1", "--listen", `127.0.0.1:${front}`];

      // 1. The owner: one serving VM and one managed-saved warm-pool VM.
      const a = up([...args, "--api", `127.0.0.1:${api}`]);
      await until("the first up to serve and fill its warm pool", a, () => (servingEvent(a) && warmSaved(a) ? true : undefined), 240_000);
      expect(domainsOfPrefix().length).toBe(2);
      expect(saveImages().length).toBe(1);

      // 2. A second up on the same group: refused at once, naming the owner and how to watch it.
      const b = up(["--listen", `127.0.0.1:${await ephemeralUdpPort()}`]);
      const bCode = await b.proc.exited;
      const refusedMs = performance.now() - b.startedAt;
      await new Promise((r) => setTimeout(r, 50));
      expect(bCode).not.toBe(0);
      expect(b.stderr()).toContain(`group '${prefix}' is owned by pid ${a.proc.pid} on `);
      expect(b.stderr()).toContain(`virtscale top --api 127.0.0.1:${api}`);
      expect(b.events.some((e) => e.type === "vm")).toBe(false); // it touched nothing
      expect(servingEvent(a)).toBeDefined();

      // 3. kill -9 of the owner: its VMs stay (one running, one saved).
      a.proc.kill(9);
      await a.proc.exited;
      expect(domainsOfPrefix().length).toBe(2);

      // 4. up again: takes the group over, adopts both, serves.
      const c = up(args);
      const served = await until("the restarted up to serve", c, () => servingEvent(c), 60_000);
      const msToServing = Math.round(served.at - c.startedAt);
      expect(served.detail).toMatch(/joined the balancer/);
      expect(c.events.some((e) => e.type === "log" && /taking them over|took over the lease/.test(e.message))).toBe(true);
      const adopted = c.events.find((e) => e.type === "log" && /^adopted 2 VM\(s\)/.test(e.message));
      expect(adopted).toBeDefined();
      expect(await ask(front, 7)).toBe(expectedReply(7, workScale));

      // 5. SIGTERM: every VM of the group goes, adopted ones and the warm pool's save image included.
      const tTerm = performance.now();
      c.proc.kill("SIGTERM");
      expect(await c.proc.exited).toBe(0);
      const termMs = Math.round(performance.now() - tTerm);
      const summary = c.events.find((e) => e.type === "summary");
      expect(summary?.group.left).toEqual([]);
      expect(summary?.group.removed.length).toBe(2);
      expect(domainsOfPrefix()).toEqual([]);
      expect(saveImages()).toEqual([]);

      // 6. SIGHUP (the terminal closed): the same cleanup, then exit 129.
      const d = up(args);
      await until("a fresh up to serve and fill its warm pool", d, () => (servingEvent(d) && warmSaved(d) ? true : undefined), 240_000);
      expect(saveImages().length).toBe(1);
      const tHup = performance.now();
      d.proc.kill("SIGHUP");
      expect(await d.proc.exited).toBe(129);
      const hupMs = Math.round(performance.now() - tHup);
      expect(domainsOfPrefix()).toEqual([]);
      expect(saveImages()).toEqual([]);

      console.log(
        `owner.qemu: second up refused in ${Math.round(refusedMs)} ms (process start to exit ${bCode}); after kill -9, up again served in ${msToServing} ms (spawn to adopted VM in the balancer); SIGTERM cleanup ${termMs} ms, SIGHUP cleanup ${hupMs} ms; 0 domains and 0 save images left`,
      );
    },
    900_000,
  );
});

// `virtscale lb` and `virtscale load` end to end: real processes, real UDP.
// Also the balancer under Deno, with the batch engine (Deno.dlopen) and node:dgram.
import { afterEach, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { startFakeBackend, type FakeBackend } from "./backends.ts";
import { testClient } from "./client.ts";

const ROOT = join(import.meta.dir, "../..");
const MAIN = join(ROOT, "src/main.ts");
const DENO = join(ROOT, "node_modules/.bin/deno");

const procs: ChildProcess[] = [];
let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null && p.pid) process.kill(p.pid, "SIGKILL");
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

interface Proc {
  proc: ChildProcess;
  lines: string[];
  /** Resolves with the first line matching re (rejects after ms). */
  waitLine(re: RegExp, ms?: number): Promise<string>;
  exited: Promise<number>;
  stderr: () => string;
}

function start(cmd: string, args: string[]): Proc {
  const proc = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
  procs.push(proc);
  const lines: string[] = [];
  let err = "";
  proc.stderr!.on("data", (d) => (err += d));
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  createInterface({ input: proc.stdout! }).on("line", (l) => {
    lines.push(l);
    for (const w of [...waiters]) if (w.re.test(l)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(l);
    }
  });
  const exited = new Promise<number>((r) => proc.once("exit", (c) => r(c ?? -1)));
  return {
    proc,
    lines,
    stderr: () => err,
    exited,
    waitLine(re, ms = 15000) {
      const have = lines.find((l) => re.test(l));
      if (have) return Promise.resolve(have);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no line matching ${re} within ${ms} ms; stdout:\n${lines.join("\n")}\nstderr:\n${err}`)), ms);
        waiters.push({ re, resolve: (l) => (clearTimeout(t), resolve(l)) });
        exited.then(() => setTimeout(() => reject(new Error(`exited before ${re}; stderr:\n${err}`)), 50));
      });
    },
  };
}

async function backends(n: number, scale = 1): Promise<FakeBackend[]> {
  const out: FakeBackend[] = [];
  for (let i = 0; i < n; i++) {
    const b = await startFakeBackend({ scale });
    cleanup.push(() => b.close());
    out.push(b);
  }
  return out;
}

function tempConfig(obj: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "vst-lb-cmd-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const f = join(dir, "client.json");
  writeFileSync(f, JSON.stringify(obj));
  return f;
}

describe("virtscale lb + virtscale load", () => {
  test("load through lb: every answer correct, spread over both backends, rate changed on stdin", async () => {
    const bs = await backends(2, 1);
    const lb = start(process.execPath, [MAIN, "lb", "--json", "--listen", "127.0.0.1:0", ...bs.flatMap((b) => ["--backend", `127.0.0.1:${b.port}`])]);
    const hello = JSON.parse(await lb.waitLine(/listening on/)) as { listen: string };
    const cfg = tempConfig({ req_num_low: 1, req_num_high: 2000, vm: { work_scale: 1 } });
    const load = start(process.execPath, [MAIN, "load", "--json", "--config", cfg, "--target", hello.listen, "--rate", "low", "--duration", "2.5"]);
    await load.waitLine(/"type":"tick"/);
    load.proc.stdin!.write("load 200/s\n");
    await load.waitLine(/rate 200\/s/);
    const summary = JSON.parse(await load.waitLine(/"type":"summary"/)).load;
    expect(await load.exited).toBe(0);
    expect(summary.sent).toBeGreaterThan(50);
    expect(summary.answered).toBe(summary.sent);
    expect(summary.wrong).toBe(0);
    expect(summary.rate).toBe("200/s");
    expect(bs[0]!.received).toBeGreaterThan(10);
    expect(bs[1]!.received).toBeGreaterThan(10);
    // The balancer's own NDJSON ticks agree.
    const tick = JSON.parse(await lb.waitLine(/"type":"tick".*"answered":[1-9]/)).lb;
    expect(tick.backends.length).toBe(2);
    process.kill(lb.proc.pid!, "SIGTERM");
    expect(await lb.exited).toBe(0);
    const final = JSON.parse(lb.lines.find((l) => l.includes('"type":"summary"'))!).lb;
    expect(final.total.answered).toBe(summary.sent);
    expect(final.total.timedOut).toBe(0);
  }, 60000);

  test("with the real guest server (`virtscale serve`) as backends: every answer correct at the config's scale", async () => {
    const cfg = tempConfig({ req_num_low: 1, req_num_high: 5000, vm: { work_scale: 3 } });
    const servers = [0, 1].map(() => start(process.execPath, [MAIN, "serve", "--config", cfg, "--host", "127.0.0.1", "--port", "0", "--report", "0"]));
    const ports = await Promise.all(servers.map(async (s) => Number(/udp\/(\d+)/.exec(await s.waitLine(/ready udp\/\d+/))![1])));
    const lb = start(process.execPath, [MAIN, "lb", "--json", "--config", cfg, "--listen", "127.0.0.1:0", ...ports.flatMap((p) => ["--backend", `127.0.0.1:${p}`])]);
    const hello = JSON.parse(await lb.waitLine(/listening on/)) as { listen: string };
    // No --scale: the generator checks at the config's vm.work_scale, like the servers compute.
    const load = start(process.execPath, [MAIN, "load", "--json", "--config", cfg, "--target", hello.listen, "--rate", "150/s", "--duration", "1.5"]);
    const summary = JSON.parse(await load.waitLine(/"type":"summary"/)).load;
    expect(await load.exited).toBe(0);
    expect(summary.scale).toBe(3);
    expect(summary.sent).toBeGreaterThan(50);
    expect(summary.answered).toBe(summary.sent);
    expect(summary.wrong).toBe(0);
    process.kill(lb.proc.pid!, "SIGTERM");
    expect(await lb.exited).toBe(0);
    const final = JSON.parse(lb.lines.find((l) => l.includes('"type":"summary"'))!).lb;
    for (const b of final.backends) expect(b.answered).toBeGreaterThan(summary.sent / 4);
    for (const s of servers) process.kill(s.proc.pid!, "SIGTERM");
  }, 60000);

  test("load exits 1 when answers are wrong (scale mismatch) and prints a human line per second", async () => {
    const [b] = await backends(1, 2);
    const cfg = tempConfig({ req_num_low: 1, req_num_high: 500 });
    const load = start(process.execPath, [MAIN, "load", "--config", cfg, "--scale", "1", "--target", `127.0.0.1:${b!.port}`, "--rate", "50/s", "--duration", "1.5"]);
    expect(await load.exited).toBe(1);
    expect(load.lines.some((l) => /^t=1s rate=50\/s sent=\d+/.test(l))).toBe(true);
    expect(load.lines.at(-1)).toMatch(/^summary: .* wrong=[1-9]/);
  }, 30000);

  test("usage errors name what is wrong", async () => {
    const noBackend = start(process.execPath, [MAIN, "lb", "--listen", "127.0.0.1:0"]);
    expect(await noBackend.exited).toBe(2);
    expect(noBackend.stderr()).toMatch(/--backend/);
    const badBackend = start(process.execPath, [MAIN, "lb", "--backend", "nowhere"]);
    expect(await badBackend.exited).toBe(2);
    expect(badBackend.stderr()).toMatch(/--backend: expected HOST:PORT, got 'nowhere'/);
    const badPolicy = start(process.execPath, [MAIN, "lb", "--backend", "127.0.0.1:9", "--policy", "fastest"]);
    expect(await badPolicy.exited).toBe(2);
    expect(badPolicy.stderr()).toMatch(/policy/);
    const badRate = start(process.execPath, [MAIN, "load", "--target", "127.0.0.1:9", "--rate", "warp"]);
    expect(await badRate.exited).toBe(2);
    expect(badRate.stderr()).toMatch(/warp/);
  }, 30000);
});

describe("under Deno", () => {
  const haveDeno = existsSync(DENO);
  if (!haveDeno) console.warn(`skipping Deno test: ${DENO} not found (npm install deno)`);
  // auto: the batch engine (libc through Deno.dlopen); node: node:dgram.
  test.skipIf(!haveDeno).each(["auto", "node"])("virtscale lb runs under Deno (--engine %s) and relays per request", async (engine) => {
    const bs = await backends(2, 1);
    const lb = start(DENO, ["run", "-A", "--sloppy-imports", MAIN, "lb", "--json", "--engine", engine, "--listen", "127.0.0.1:0", ...bs.flatMap((b) => ["--backend", `127.0.0.1:${b.port}`])]);
    const hello = JSON.parse(await lb.waitLine(/listening on/, 60000)) as { listen: string; message: string };
    expect(hello.message).toContain(engine === "auto" ? "engine=batch front=batch" : "engine=node front=node");
    const port = Number(hello.listen.split(":").pop());
    const c = await testClient();
    cleanup.push(() => c.close());
    for (let i = 0; i < 40; i++) c.send(i, port);
    const got = await c.waitFor(40, 5000);
    if (got !== 40) {
      await lb.waitLine(/"type":"tick"/, 2000).catch(() => {});
      console.log("deno lb: got", got, "backends received", bs.map((b) => b.received), "last tick", lb.lines.at(-1));
    }
    expect(got).toBe(40);
    expect(bs.map((b) => b.received)).toEqual([20, 20]);
    c.sendRaw(new Uint8Array(3), port);
    const tick = JSON.parse(await lb.waitLine(/"bad_size":1/, 5000)).lb;
    expect(tick.total.answered).toBe(40);
    // The load generator under Deno too, through the Deno balancer.
    const cfg = tempConfig({ req_num_low: 1, req_num_high: 1000, vm: { work_scale: 1 } });
    const load = start(DENO, ["run", "-A", "--sloppy-imports", MAIN, "load", "--json", "--config", cfg, "--target", hello.listen, "--rate", "100/s", "--duration", "1"]);
    const summary = JSON.parse(await load.waitLine(/"type":"summary"/, 60000)).load;
    if (summary.answered !== summary.sent) console.log("deno load summary", summary, lb.lines.at(-1));
    expect(await load.exited).toBe(0);
    expect(summary.sent).toBeGreaterThan(20);
    expect(summary.answered).toBe(summary.sent);
    process.kill(lb.proc.pid!, "SIGTERM");
    expect(await lb.exited).toBe(0);
  }, 90000);
});

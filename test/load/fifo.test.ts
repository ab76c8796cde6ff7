// The assignment's command FIFO (fifo_communication_file): made when missing,
// read line by line whoever writes (one `echo` after another), removed at
// close if made here; and `virtscale load` driven through it end to end:
// rate changes (high, custom S) and server-list changes (+ / - / clear_servers)
// seen by real UDP fake backends. up's built-in load reads the rate commands
// and refuses the server-list ones (the balancer's backends are the group's).
import { afterEach, describe, expect, test } from "bun:test";
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseConfig } from "../../src/config.ts";
import { registerLoadCommands } from "../../src/load/commands.ts";
import { mkfifo, openFifo } from "../../src/load/fifo.ts";
import { LoadGenerator } from "../../src/load/generator.ts";
import { Store } from "../../src/store.ts";
import { startFakeBackend, type FakeBackend } from "../lb/backends.ts";
import { sleep, until } from "../lb/client.ts";

const MAIN = join(import.meta.dir, "../../src/main.ts");
let cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vst-fifo-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function backend(): Promise<FakeBackend> {
  const b = await startFakeBackend({ scale: 1 });
  cleanup.push(() => b.close());
  return b;
}

describe("openFifo", () => {
  test("made when missing, every writer's lines read in order, removed at close", async () => {
    const path = join(tempDir(), "client_fifo");
    const lines: string[] = [];
    const fifo = openFifo(path, (l) => lines.push(l), { pollMs: 20 });
    cleanup.push(() => fifo.close());
    expect(fifo.created).toBe(true);
    expect(statSync(path).isFIFO()).toBe(true);
    // Each append opens and closes the FIFO, like the assignment's `echo '+ IP PORT' >> client_fifo`.
    appendFileSync(path, "low\n");
    appendFileSync(path, "+ 127.0.0.1 5000\n\n- 127.0.0.1 5000\r\nhi");
    appendFileSync(path, "gh\n");
    expect(await until(() => lines.length === 4, 2000)).toBe(true);
    expect(lines).toEqual(["low", "+ 127.0.0.1 5000", "- 127.0.0.1 5000", "high"]);
    appendFileSync(path, "mid");
    fifo.close();
    // A last line without its newline still counts at close; the FIFO made here is gone.
    expect(lines.at(-1)).toBe("mid");
    expect(existsSync(path)).toBe(false);
  });

  test("a FIFO that was there is read and left; a regular file is refused", () => {
    const dir = tempDir();
    const path = join(dir, "theirs");
    mkfifo(path);
    const fifo = openFifo(path, () => {});
    expect(fifo.created).toBe(false);
    fifo.close();
    expect(statSync(path).isFIFO()).toBe(true);
    expect(() => mkfifo(path)).toThrow(/mkfifo .*theirs: File exists/);
    const file = join(dir, "plain");
    writeFileSync(file, "");
    expect(() => openFifo(file, () => {})).toThrow(/plain: exists and is not a FIFO/);
  });
});

interface Proc {
  proc: ChildProcess;
  lines: string[];
  waitLine(re: RegExp, ms?: number): Promise<string>;
  exited: Promise<number>;
}

function start(args: string[], cwd: string): Proc {
  const proc = spawn(process.execPath, [MAIN, ...args], { stdio: ["pipe", "pipe", "pipe"], cwd, env: { ...process.env, NO_COLOR: "1" } });
  cleanup.push(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  });
  let err = "";
  proc.stderr!.on("data", (d) => (err += d));
  const lines: string[] = [];
  createInterface({ input: proc.stdout! }).on("line", (l) => lines.push(l));
  const exited = new Promise<number>((r) => proc.once("exit", (c) => r(c ?? -1)));
  return {
    proc,
    lines,
    exited,
    async waitLine(re, ms = 15_000) {
      if (!(await until(() => lines.some((l) => re.test(l)), ms, 20))) throw new Error(`no line matching ${re}; stdout:\n${lines.join("\n")}\nstderr:\n${err}`);
      return lines.find((l) => re.test(l))!;
    },
  };
}

const lastTick = (p: Proc) => JSON.parse(p.lines.filter((l) => l.includes('"type":"tick"')).at(-1)!).load;

describe("virtscale load through its FIFO", () => {
  test("rate and server list change by FIFO commands; the FIFO is made and removed", async () => {
    const [b1, b2] = [await backend(), await backend()];
    const dir = tempDir();
    // A relative FIFO name, as client.conf has it ("client_fifo"): relative to the working directory.
    const cfg = join(dir, "client.conf");
    writeFileSync(
      cfg,
      JSON.stringify({
        "__** COMMENT fifo_communication_file": "the client reads its commands from here",
        fifo_communication_file: "client_fifo",
        req_num_low: 1,
        req_num_high: 2000,
        vm: { work_scale: 1 },
        // The assignment's target keys: server_ip:server_port instead of the balancer's front.
        server_ip: "127.0.0.1",
        server_port: b1.port,
        req_load: "100/s",
        load_request_time_period_seconds_high: 0.005,
      }),
    );
    const fifo = join(dir, "client_fifo");
    const load = start(["load", "--json", "--config", cfg, "--duration", "30"], dir);
    await load.waitLine(/reading commands from the FIFO client_fifo \(made here, removed at exit\)/);
    expect(statSync(fifo).isFIFO()).toBe(true);
    await load.waitLine(/"type":"tick"/);
    expect(lastTick(load).servers).toEqual([`127.0.0.1:${b1.port}`]);
    expect(lastTick(load).rate).toBe("100/s");
    expect(b1.received).toBeGreaterThan(0);

    // + IP PORT: requests go round robin over both.
    appendFileSync(fifo, `+ 127.0.0.1 ${b2.port}\n`);
    await load.waitLine(new RegExp(`fifo: \\+ 127\\.0\\.0\\.1:${b2.port}: servers 127\\.0\\.0\\.1:${b1.port}, 127\\.0\\.0\\.1:${b2.port}`));
    expect(await until(() => b2.received > 20, 3000)).toBe(true);

    // - IP PORT: b1 gets nothing new.
    appendFileSync(fifo, `- 127.0.0.1 ${b1.port}\n`);
    await load.waitLine(/fifo: - 127\.0\.0\.1:\d+: servers/);
    await sleep(100);
    const b1Before = b1.received;
    // Rate commands: high (pinned by the config at 0.005 s: 200/s), then the assignment's custom S.
    appendFileSync(fifo, "high\n");
    await load.waitLine(/fifo: load: rate high \(200\/s: config load_request_time_period_seconds_high = 0\.005 s\)/);
    const b2AtHigh = b2.received;
    await sleep(1000);
    expect(b1.received).toBe(b1Before);
    // ~200 a second reach b2 now (generous bounds: a shared machine).
    expect(b2.received - b2AtHigh).toBeGreaterThan(100);
    appendFileSync(fifo, "custom 0.02\n");
    await load.waitLine(/fifo: custom: one request every 0\.02 s \(50\/s\)/);

    // clear_servers: nothing is sent any more.
    appendFileSync(fifo, "clear_servers\n");
    await load.waitLine(/fifo: clear_servers: no servers/);
    await sleep(200);
    const b2Cleared = b2.received;
    await sleep(700);
    expect(b2.received).toBe(b2Cleared);

    // A wrong command is an error line naming it; the run goes on.
    appendFileSync(fifo, "+ 127.0.0.1 notaport\n");
    await load.waitLine(/"type":"error","ts":\d+,"source":"fifo","message":"\+: expected '\+ IP PORT'/);

    load.proc.stdin!.write("quit\n");
    const summary = JSON.parse(await load.waitLine(/"type":"summary"/)).load;
    expect(await load.exited).toBe(0);
    expect(summary.servers).toEqual([]);
    expect(summary.rate).toBe(`${1 / 0.02}/s`);
    expect(summary.phases.map((p: { phase: string }) => p.phase)).toEqual(["100/s", "high", "custom"]);
    expect(summary.wrong).toBe(0);
    expect(summary.sent).toBe(b1.received + b2.received);
    // Made here, so removed at exit.
    expect(existsSync(fifo)).toBe(false);
  }, 60_000);
});

describe("up's built-in load and the FIFO", () => {
  test("rate commands apply; the server list is the balancer's, so + / - / clear_servers are refused saying why", async () => {
    const b = await backend();
    const fifo = join(tempDir(), "fifo");
    const config = parseConfig({ req_num_low: 1, req_num_high: 100, vm: { work_scale: 1 }, fifo_communication_file: fifo });
    const store = new Store();
    const gen = new LoadGenerator({ target: { host: "127.0.0.1", port: b.port }, config, rate: "off" });
    registerLoadCommands(store, gen);
    cleanup.push(() => gen.stop());
    await gen.start();
    const logs = () => store.events().flatMap((e) => (e.type === "log" ? [e.message] : []));
    expect(logs().some((m) => m.includes(`fifo: reading commands from ${fifo} (made here, removed at exit)`))).toBe(true);
    appendFileSync(fifo, "150/s\n+ 127.0.0.1 9\nclear_servers\n");
    expect(await until(() => logs().filter((m) => /balancer's backends are the group's/.test(m)).length === 2, 2000)).toBe(true);
    expect(gen.currentRate.perSecond).toBe(150);
    expect(gen.serverList).toEqual([{ host: "127.0.0.1", port: b.port }]);
    expect(logs().some((m) => /^fifo \S+: \+: the balancer's backends are the group's/.test(m))).toBe(true);
    await gen.stop();
    expect(existsSync(fifo)).toBe(false);
  });
});

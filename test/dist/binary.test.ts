// The single binary: compiled by build.ts, copied ALONE into an empty
// directory (no node_modules, no source tree beside it), it runs every
// subcommand. Real parts throughout: libvirt's test:///default driver, real UDP
// between `serve`, `lb` and `load`, a real terminal (tmux) for the dashboard.
// The commands that boot QEMU guests (image, snapshot, restore, demo) are
// exercised on real VMs by their own *.qemu.test.ts files; here they must at
// least start from the lone binary and answer --help.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createSocket } from "node:dgram";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../../build";
import { decodeReply, encodeRequest, expectedReply } from "../../src/protocol";
import { ephemeralUdpPort } from "../../src/vm/ports";

const dir = mkdtempSync(join(tmpdir(), "vst-dist-"));
const buildDir = mkdtempSync(join(tmpdir(), "vst-dist-build-"));
const bin = join(dir, "virtscale");
const children: ChildProcess[] = [];
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const session = `vst-dist-${randomBytes(3).toString("hex")}`;
// No LIBVIRT_DEFAULT_URI or NODE_PATH leaking in; PATH without node_modules/.bin.
const env = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: dir, TERM: "xterm-256color" };

function run(args: string[], timeout = 30_000) {
  const r = spawnSync(bin, args, { cwd: dir, env, encoding: "utf8", timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function start(args: string[]): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(bin, args, { cwd: dir, env, stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  return { child, out: () => out, err: () => err };
}

async function until(pred: () => boolean, what: string, ms = 20_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const out = join(buildDir, "virtscale");
  await compile(out);
  copyFileSync(out, bin);
  spawnSync("chmod", ["+x", bin]);
}, 180_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  if (hasTmux) spawnSync("tmux", ["kill-session", "-t", session]);
  rmSync(dir, { recursive: true, force: true });
  rmSync(buildDir, { recursive: true, force: true });
});

describe("dist/virtscale copied alone into an empty directory", () => {
  test("the directory holds only the binary", () => {
    expect(readdirSync(dir)).toEqual(["virtscale"]);
    expect(statSync(bin).size).toBeGreaterThan(1_000_000);
  });

  test("--version and --help", () => {
    const v = run(["--version"]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^virtscale \d+\.\d+\.\d+/);
    // The commit is embedded at build time (build.ts define): the lone binary has no git tree beside it.
    expect(v.out).toMatch(/^ {2}commit {3}[0-9a-f]{7,}(-dirty)?$/m);
    expect(v.out).toMatch(/^ {2}runtime {2}bun \d+\.\d+\.\d+/m);
    expect(v.out).toMatch(/^ {2}libvirt {2}\d+\.\d+\.\d+ /m);
    expect(run(["vms", "--version"]).out).toBe(v.out);
    const h = run(["--help"]);
    expect(h.code).toBe(0);
    for (const cmd of ["up", "lb", "load", "serve", "vms", "snapshot", "restore", "image", "demo"]) expect(h.out).toMatch(new RegExp(`^  ${cmd}\\s`, "m"));
  });

  test.each(["up", "lb", "load", "serve", "vms", "snapshot", "restore", "image", "demo"])("%s --help", (cmd) => {
    const r = run([cmd, "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`virtscale ${cmd}:`);
  });

  test("a wrong flag is a usage error that names it", () => {
    const r = run(["vms", "--bogus"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--bogus");
  });

  test("vms --json lists the test driver's domain through the FFI binding", () => {
    const r = run(["vms", "--json", "-c", "test:///default"]);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split("\n").map((l) => JSON.parse(l));
    const t = rows.find((x) => x.name === "test");
    expect(t).toBeDefined();
    expect(t.state).toBe("running");
  });

  test("a libvirt failure shows libvirt's own message", () => {
    const r = run(["vms", "-c", "test:///nonexistent/file.xml"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nonexistent/);
  });

  test("serve answers the protocol; lb spreads it; load checks every answer", async () => {
    const servePort = await ephemeralUdpPort();
    const lbPort = await ephemeralUdpPort();
    const serve = start(["serve", "--port", String(servePort), "--scale", "1"]);
    await until(() => /ready/.test(serve.out() + serve.err()), "serve ready");

    // A direct request first: the guest server's own answer.
    const sock = createSocket("udp4");
    await new Promise<void>((r) => sock.bind(0, "127.0.0.1", r));
    const answer = await new Promise<bigint | null>((resolve) => {
      sock.once("message", (m) => resolve(decodeReply(m)));
      sock.send(encodeRequest(1234), servePort, "127.0.0.1");
    });
    sock.close();
    expect(answer).toBe(expectedReply(1234, 1));

    const lb = start(["lb", "--listen", `127.0.0.1:${lbPort}`, "--backend", `127.0.0.1:${servePort}`]);
    await new Promise((r) => setTimeout(r, 500));
    const load = run(["load", "--target", `127.0.0.1:${lbPort}`, "--rate", "100/s", "--duration", "2", "--scale", "1", "--json"], 30_000);
    expect(load.code).toBe(0);
    const lines = load.out.trim().split("\n").map((l) => JSON.parse(l));
    const last = lines.at(-1);
    expect(last.type).toBe("summary");
    expect(last.load.answered).toBeGreaterThan(50);
    expect(last.load.wrong).toBe(0);
    // Both on the batch UDP engine, whose waker thread is a second entry point embedded in the binary: it must have loaded (no fallback to polling).
    expect(lb.err()).toContain("engine=batch front=batch");
    expect(load.err + lb.err()).not.toContain("waker thread failed");
    lb.child.kill("SIGTERM");
    serve.child.kill("SIGTERM");
  }, 60_000);

  test("up --json on test:///default: NDJSON ticks with the balancer and scaler, then a summary", async () => {
    const r = run(["up", "-c", "test:///default", "--source", "predefined", "--json", "--duration", "3", "--listen", `127.0.0.1:${await ephemeralUdpPort()}`], 30_000);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.every((l) => typeof l.type === "string" && typeof l.ts === "number")).toBe(true);
    expect(lines.some((l) => l.type === "tick" && l.lb && l.scaler)).toBe(true);
    expect(lines.at(-1).type).toBe("summary");
  });

  test.skipIf(!hasTmux)("the dashboard in a real terminal: panels, ? help, q quits and restores the terminal", async () => {
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "env", "-u", "CI", "PS1=vst-prompt$ ", "sh");
    tmux("send-keys", "-t", session, `cd ${dir} && ./virtscale up -c test:///default --source predefined --listen 127.0.0.1:${await ephemeralUdpPort()}; echo "exit=$?"`, "Enter");
    await untilScreen((s) => s.includes("Autoscaler") && s.includes("Balancer"), "the dashboard's panels");
    tmux("send-keys", "-t", session, "?");
    await untilScreen((s) => s.includes("q/Ctrl-C"), "the help overlay");
    tmux("send-keys", "-t", session, "Escape");
    // Wait for the overlay to close: Escape and q arriving in one read are Alt-q to the terminal parser, not q.
    await untilScreen((s) => !s.includes("q/Ctrl-C"), "the help overlay closed");
    tmux("send-keys", "-t", session, "q");
    const s = await untilScreen((x) => x.includes("exit=0"), "exit=0 after q", 30_000);
    expect(s).toContain("vst-prompt$");
    expect(tmux("display", "-p", "-t", session, "#{cursor_flag}").trim()).toBe("1");
  }, 60_000);
});

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr.trim()}`);
  return r.stdout;
}

async function untilScreen(pred: (s: string) => boolean, what: string, ms = 20_000): Promise<string> {
  let s = "";
  await until(() => pred((s = tmux("capture-pane", "-p", "-t", session))), `${what}; screen:\n${s}`, ms).catch((e) => {
    throw new Error(`${(e as Error).message}\n${s}`);
  });
  return s;
}

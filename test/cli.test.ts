// The command line: global options on either side of the command, strict
// option parsing with did-you-mean, exit status 2 for usage errors that name
// the flag, --version on every command. Unit tests of the parser, then the
// real entry point as a process (bun src/main.ts) on libvirt's test driver.
import { describe, expect, test } from "bun:test";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgv, splitGlobalArgs, UsageError, type CommandSpec } from "../src/cli.ts";
import { editDistance, suggest, didYouMean } from "../src/util/suggest.ts";
import { ephemeralUdpPort } from "../src/vm/ports.ts";

const ROOT = join(import.meta.dir, "..");
const env = { ...process.env, LIBVIRT_DEFAULT_URI: "", NO_COLOR: "1" };
delete (env as Record<string, string | undefined>).LIBVIRT_DEFAULT_URI;

function cli(args: string[], timeout = 60_000) {
  const r = spawnSync(process.execPath, ["src/main.ts", ...args], { cwd: ROOT, encoding: "utf8", env, timeout });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const spec: CommandSpec = {
  name: "t",
  summary: "test",
  usage: "[options]\n\n  --listen HOST:PORT  where\n  --keep  keep",
  options: { listen: { type: "string" }, keep: { type: "boolean" }, "warm-pool": { type: "string" } },
};

describe("splitGlobalArgs: the command after global options (virsh's order)", () => {
  test.each([
    [["vms"], "vms", []],
    [["-c", "test:///default", "vms", "--json"], "vms", ["-c", "test:///default", "--json"]],
    [["--connect=test:///default", "vms"], "vms", ["--connect=test:///default"]],
    [["-ctest:///default", "--json", "vms", "x"], "vms", ["-ctest:///default", "--json", "x"]],
    [["--config", "a.json", "--config", "b.json", "up", "--keep"], "up", ["--config", "a.json", "--config", "b.json", "--keep"]],
    [["-V", "vms"], "vms", ["-V"]],
  ])("%j -> %s %j", (argv, command, args) => {
    expect(splitGlobalArgs(argv)).toEqual({ command, args });
  });

  test("an option that is not global ends the scan: the default command (up) gets all of argv", () => {
    expect(splitGlobalArgs(["-c", "x", "--listen", "127.0.0.1:1"])).toEqual({ command: undefined, args: ["-c", "x", "--listen", "127.0.0.1:1"] });
    expect(splitGlobalArgs([])).toEqual({ command: undefined, args: [] });
    expect(splitGlobalArgs(["--json"])).toEqual({ command: undefined, args: ["--json"] });
  });

  test("a -c value that looks like a command is the value, not the command", () => {
    expect(splitGlobalArgs(["-c", "vms", "lb"])).toEqual({ command: "lb", args: ["-c", "vms"] });
  });
});

describe("parseArgv", () => {
  const err = (argv: string[]) => {
    try {
      parseArgv(spec, argv, ["vms", "up"]);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error(`no usage error for ${JSON.stringify(argv)}`);
  };

  test("-c is repeatable: every URI in order (up spreads one group over them); another command refuses a second", () => {
    const p = parseArgv(spec, ["-c", "qemu+tcp://a/system", "--connect=qemu+tcp://b/system"]);
    expect(p.values.connect).toEqual(["qemu+tcp://a/system", "qemu+tcp://b/system"]);
    const r = spawnSync(process.execPath, ["src/main.ts", "-c", "test:///default", "-c", "test:///default", "snapshot", "x"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("-c/--connect given 2 times; only `up` takes several hosts");
  });

  test("global and command options in any order", () => {
    const p = parseArgv(spec, ["--keep", "-c", "test:///default", "--listen=127.0.0.1:1", "--json", "--config", "a", "--config", "b"]);
    expect(p.values).toMatchObject({ keep: true, connect: ["test:///default"], listen: "127.0.0.1:1", json: true, config: ["a", "b"] });
  });

  test("an unknown option names itself and the closest known one", () => {
    expect(err(["--lisen", "x:1"])).toBe("t: unknown option '--lisen'; did you mean '--listen'?");
    expect(err(["--warmpool", "1"])).toBe("t: unknown option '--warmpool'; did you mean '--warm-pool'?");
    expect(err(["--conect", "x"])).toContain("did you mean '--connect'?");
    expect(err(["--zzzzzz"])).toBe("t: unknown option '--zzzzzz'");
    expect(err(["-x"])).toBe("t: unknown option '-x'");
  });

  test("a missing value, a value for a flag, an option taken as a value", () => {
    expect(err(["--listen"])).toBe("--listen: missing its value");
    expect(err(["--keep=yes"])).toBe("--keep takes no value, got '--keep=yes'");
    expect(err(["--listen", "--keep"])).toContain("--listen: missing its value (got the option '--keep'");
    expect(parseArgv(spec, ["--listen=--keep"]).values.listen).toBe("--keep");
  });

  test("positionals where the command takes none; a command name there says where commands go", () => {
    expect(err(["extra"])).toBe("t: unexpected argument 'extra'");
    expect(err(["vms"])).toContain("the command comes before its options");
  });
});

describe("did you mean", () => {
  test("a swap of two letters is one edit", () => {
    expect(editDistance("vsm", "vms")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
  test.each([
    ["vsm", "vms"],
    ["lod", "load"],
    ["snapshto", "snapshot"],
    ["imgae", "image"],
    ["restor", "restore"],
    ["complet", "completion"],
    ["UP", "up"],
  ])("%s -> %s", (word, want) => {
    expect(suggest(word, ["up", "lb", "load", "serve", "vms", "snapshot", "restore", "image", "demo", "completion"])).toBe(want);
  });
  test("nothing when nothing is close (no 'did you mean' for unrelated words)", () => {
    expect(suggest("xyz", ["up", "lb", "vms"])).toBeUndefined();
    expect(suggest("frobnicate", ["listen", "backend"])).toBeUndefined();
    expect(didYouMean("xyz", ["vms"])).toBe("");
    expect(didYouMean("auto_scaler_threshold_load_hihg", ["auto_scaler_threshold_load_high", "auto_scaler_threshold_load_low"])).toBe("; did you mean 'auto_scaler_threshold_load_high'?");
  });
});

describe("virtscale as a process", () => {
  test("global options before the command (virsh's order) and after it give the same answer", () => {
    const before = cli(["-c", "test:///default", "vms", "--json", "--interval", "100"]);
    const after = cli(["vms", "--json", "--interval", "100", "-c", "test:///default"]);
    expect(before.err).toBe("");
    expect(before.code).toBe(0);
    expect(after.code).toBe(0);
    const names = (s: string) => s.trim().split("\n").map((l) => JSON.parse(l).name);
    expect(names(before.out)).toEqual(["test"]);
    expect(names(after.out)).toEqual(names(before.out));
  });

  test("an unknown command suggests the command meant, not the whole usage", () => {
    const r = cli(["vsm"]);
    expect(r.code).toBe(2);
    expect(r.err).toStartWith("virtscale: unknown command 'vsm'; did you mean 'vms'?\n");
    expect(r.err).not.toContain("commands:");
    expect(r.out).toBe("");
  });

  test("an unknown option suggests the option meant, from that command's table", () => {
    const r = cli(["vms", "--intervall", "100"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("vms: unknown option '--intervall'; did you mean '--interval'?");
  });

  test.each([
    [["up", "--listen", "999.1.1.1:40001"], "--listen: '999.1.1.1' is not an IPv4 address"],
    [["up", "-c", "test:///default", "--load", "extreme"], "--load: expected low, mid, high, off or N/s"],
    [["--listen", "127.0.0.1:99999"], "--listen: expected HOST:PORT, got '127.0.0.1:99999'"],
    [["lb", "--backend", "127.0.0.1:1", "--timeout-ms", "soon"], "--timeout-ms: expected an integer"],
    [["lb", "--backend", "127.0.0.1:1", "--policy", "random"], "--policy:"],
    [["load", "--target", "1.2.3:40011"], "--target: '1.2.3' is not an IPv4 address"],
    [["load", "--target", "bad host:1"], "--target: expected HOST:PORT"],
    [["up", "--min", "many"], "--min: expected an integer"],
    [["serve", "--port"], "--port: missing its value"],
    [["completion", "tcsh"], "completion: unknown shell 'tcsh'"],
  ])("usage error %j: exit 2, names the flag", (args, msg) => {
    const r = cli(args);
    expect(r.err).toContain(msg);
    expect(r.code).toBe(2);
  });

  test("--version on its own and on every command: version, commit, runtime, libvirt library, URI", () => {
    const top = cli(["--version"]);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/^virtscale \d+\.\d+\.\d+\n/);
    expect(top.out).toMatch(/^ {2}commit {3}([0-9a-f]{7,}(-dirty)?|unknown.*)$/m);
    expect(top.out).toContain(`  runtime  bun ${Bun.version}`);
    expect(top.out).toMatch(/^ {2}libvirt {2}\d+\.\d+\.\d+ \(libvirt\.so\.0\)$/m);
    for (const cmd of ["vms", "up", "lb", "load", "serve", "image", "demo", "snapshot", "restore", "completion"]) {
      const r = cli([cmd, "--version"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(top.out);
    }
    expect(cli(["-V"]).out).toBe(top.out);
  });

  test("--version --json: one object; a libvirt that cannot load is said so, not an error", () => {
    const j = JSON.parse(cli(["--version", "--json", "-c", "test:///default"]).out);
    expect(j).toMatchObject({ type: "version", version: expect.any(String), runtime: expect.stringMatching(/^bun /), uri: "test:///default", uriSource: "-c" });
    expect(j.libvirt).toMatch(/^\d+\.\d+\.\d+/);
    const r = spawnSync(process.execPath, ["src/main.ts", "--version"], { cwd: ROOT, encoding: "utf8", env: { ...env, VIRTSCALE_LIBVIRT_SO: "libvirt-vst-missing.so.0" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}libvirt {2}not loaded: .*libvirt-vst-missing\.so\.0/m);
  });

  test("help COMMAND, --help after a wrong option, and the top-level help naming completion", () => {
    expect(cli(["help", "vms"]).out).toStartWith("virtscale vms:");
    expect(cli(["-c", "test:///default", "help", "vms"]).out).toStartWith("virtscale vms:");
    const h = cli(["vms", "--bogus", "--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toStartWith("virtscale vms:");
    const top = cli(["--help"]);
    expect(top.out).toMatch(/^ {2}completion\s/m);
    expect(top.out).toContain("-V, --version");
    const unknown = cli(["help", "vsm"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("did you mean 'vms'?");
  });

  const DENO = join(ROOT, "node_modules/.bin/deno");
  test.skipIf(!existsSync(DENO))("under Deno too: global options before the command, --version names the runtime", () => {
    const deno = (args: string[]) => spawnSync(DENO, ["run", "-A", "src/main.ts", ...args], { cwd: ROOT, encoding: "utf8", env, timeout: 120_000 });
    const r = deno(["-c", "test:///default", "vms", "--json", "--interval", "100"]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n")[0]!).name).toBe("test");
    const v = deno(["vms", "--version"]);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^ {2}runtime {2}deno \d+\.\d+\.\d+/m);
    expect(v.stdout).toMatch(/^ {2}libvirt {2}\d+\.\d+\.\d+/m);
    const bad = deno(["vsm"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("did you mean 'vms'?");
  }, 120_000);

  test("host names resolve the same way for every command: load --target localhost reaches a server on 127.0.0.1", async () => {
    const port = await ephemeralUdpPort();
    const serve = spawn(process.execPath, ["src/main.ts", "serve", "--port", String(port), "--host", "127.0.0.1", "--scale", "1", "--report", "0"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      serve.stdout!.on("data", (d) => (out += d));
      const t0 = Date.now();
      while (!out.includes("ready")) {
        if (Date.now() - t0 > 20_000) throw new Error(`serve did not get ready: ${out}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const r = cli(["load", "--target", `localhost:${port}`, "--rate", "50/s", "--duration", "1", "--scale", "1", "--json"]);
      expect(r.code).toBe(0);
      const summary = r.out.trim().split("\n").map((l) => JSON.parse(l)).at(-1);
      expect(summary.type).toBe("summary");
      expect(summary.load.answered).toBeGreaterThan(10);
      expect(summary.load.wrong).toBe(0);
    } finally {
      serve.kill("SIGKILL");
    }
  }, 60_000);

  test("up --listen localhost:PORT binds 127.0.0.1:PORT and says which libvirt URI it chose", async () => {
    const port = await ephemeralUdpPort();
    const r = cli(["up", "-c", "test:///default", "--source", "predefined", "--json", "--duration", "2", "--listen", `localhost:${port}`]);
    expect(r.code).toBe(0);
    const logs = r.out.trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.type === "log").map((l) => l.message as string);
    expect(logs.some((m) => m.includes(`balancer front 127.0.0.1:${port}`))).toBe(true);
    expect(logs).toContain("libvirt test:///default (-c)");
  }, 60_000);
});

// The real program in headless mode: `virtscale up --json` on libvirt's
// test:///default driver, commands on stdin, every stdout line parsed.
import { expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

test("up --json: every stdout line is JSON with type and ts; stdin commands answer; logs stay off stdout", async () => {
  const port = 35100 + Math.floor(Math.random() * 800);
  const child = spawn(process.execPath, ["src/main.ts", "up", "-c", "test:///default", "--source", "predefined", "--json", "--listen", `127.0.0.1:${port}`], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
  child.stderr.on("data", (b: Buffer) => (err += b.toString("utf8")));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const lines = () => out.split("\n").filter((l) => l !== "");
  const waitLine = async (pred: (o: Record<string, unknown>) => boolean, what: string) => {
    const t0 = Date.now();
    while (Date.now() - t0 < 30_000) {
      if (lines().some((l) => pred(JSON.parse(l)))) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; stdout:\n${out}\nstderr:\n${err}`);
  };
  try {
    await waitLine((o) => o.type === "tick", "the first tick");
    child.stdin.write("pause\nfrobnicate now\nscale+1\nsnapshot vst-output-nosuchvm halt\n");
    await waitLine((o) => o.type === "command" && o.name === "frobnicate", "the reply to an unknown command");
    await waitLine((o) => o.type === "command" && o.name === "pause" && o.status === "ok", "pause ok");
    await waitLine((o) => o.type === "command" && o.name === "snapshot", "the snapshot reply");
    child.stdin.write("quit\n");
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
  }
  const parsed = lines().map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const o of parsed) {
    expect(typeof o.type).toBe("string");
    expect(typeof o.ts).toBe("number");
  }
  const types = new Set(parsed.map((o) => o.type));
  for (const t of ["tick", "log", "error", "command"]) expect(types).toContain(t);
  const unknown = parsed.find((o) => o.type === "error" && String(o.message).includes("frobnicate"));
  expect(unknown).toBeDefined();
  // libvirt's own message and error code reach the NDJSON stream (VIR_ERR_NO_DOMAIN = 42).
  const noDomain = parsed.find((o) => o.type === "error" && o.source === "command snapshot");
  expect(noDomain).toMatchObject({ code: 42 });
  expect(String(noDomain!.message)).toContain("Domain not found");
  expect(parsed.find((o) => o.type === "snapshot" && o.status === "failed")).toMatchObject({ name: "vst-output-nosuchvm", action: "save" });
  const tick = parsed.find((o) => o.type === "tick") as { vms: unknown[]; lb: { listen: string }; scaler: { high: number } };
  expect(Array.isArray(tick.vms)).toBe(true);
  expect(tick.lb.listen).toBe(`127.0.0.1:${port}`);
  expect(tick.scaler.high).toBe(80);
}, 60_000);

test("up without --json but with stdout not a terminal also writes NDJSON (no dashboard escape codes)", async () => {
  const port = 35100 + Math.floor(Math.random() * 800);
  const child = spawn(process.execPath, ["src/main.ts", "up", "-c", "test:///default", "--source", "predefined", "--listen", `127.0.0.1:${port}`], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  try {
    const t0 = Date.now();
    while (!out.includes('"type":"tick"') && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
    child.stdin.write("quit\n");
    expect(await exited).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
  }
  expect(out).not.toContain("\x1b[");
  const lines = out.split("\n").filter((l) => l !== "");
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(JSON.parse(l)).toHaveProperty("ts");
}, 60_000);

// `virtscale config print` and `virtscale config check FILE...`, the real CLI.
import { afterAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigSchema } from "../src/config.ts";

const ROOT = join(import.meta.dir, "..");
const dir = mkdtempSync(join(tmpdir(), "vst-config-cmd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof body === "string" ? body : JSON.stringify(body));
  return p;
}
const cli = (...args: string[]) => spawnSync(process.execPath, ["src/main.ts", ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });

describe("config print", () => {
  test("the merged config with every default, the token redacted", () => {
    const a = file("a.json", { scaler: { max: 5 }, api: { token: "0123456789abcdef0123" }, _comment: "ignored" });
    const b = file("b.json", { scaler: { min: 2 }, lb: { timeout_ms: 900 } });
    const r = cli("config", "print", "--config", a, "--config", b);
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c).toEqual({ ...ConfigSchema.parse({ scaler: { max: 5, min: 2 }, lb: { timeout_ms: 900 } }), api: { ...ConfigSchema.parse({}).api, token: "(redacted)" } });
    expect(r.stdout).not.toContain("0123456789abcdef0123");
  });

  test("without files: the defaults; --json: one typed line", () => {
    const r = cli("config", "print", "--json");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: "config", ts: expect.any(Number), config: ConfigSchema.parse({}) });
  });
});

describe("config check", () => {
  test("valid files: FILE: ok for each and for the merge, exit 0", () => {
    const a = file("ok-a.json", { scaler: { max: 4 } });
    const b = file("ok-b.json", { client_request_bytes: 4 });
    const r = cli("config", "check", a, b);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([`${a}: ok`, `${b}: ok`, `${a} + ${b}: ok`]);
  });

  test("each bad key named on its own line, with a did-you-mean; exit 1", () => {
    const good = file("good.json", {});
    const bad = file("bad.json", { scaler: { maxx: 3, min: "two" }, lbb: {}, server_port: 70000 });
    const r = cli("config", "check", good, bad);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`${good}: ok`);
    expect(lines).toContain(`${bad}: scaler.maxx: unknown key; did you mean 'max'?`);
    expect(lines).toContain(`${bad}: lbb: unknown key; did you mean 'lb'?`);
    expect(lines.some((l) => l.startsWith(`${bad}: scaler.min: `))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${bad}: server_port: `))).toBe(true);
  });

  test("not JSON, missing file, --json lines", () => {
    const broken = file("broken.json", '{"scaler": {"max": 3,}}');
    const r = cli("config", "check", broken, join(dir, "nosuch.json"), "--json");
    expect(r.status).toBe(1);
    const out = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ type: "config-check", ts: expect.any(Number), file: broken, ok: false });
    expect(out[0].problems.join(" ")).toMatch(/not valid JSON/);
    expect(out[1]).toMatchObject({ file: join(dir, "nosuch.json"), ok: false });
    expect(out[1].problems.join(" ")).toMatch(/cannot read/);
  });

  test("usage errors exit 2 naming what is wrong", () => {
    expect(cli("config").status).toBe(2);
    const typo = cli("config", "chek", "x.json");
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain("did you mean 'check'?");
    const none = cli("config", "check");
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("missing FILE");
  });
});

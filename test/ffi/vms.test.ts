// `virtscale vms` on test:///default: in-process formatting, and the real CLI
// under Bun and under Deno (from source).
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatTable, listVms } from "../../src/commands/vms.ts";

const ROOT = resolve(import.meta.dir, "../..");
const DENO = [join(ROOT, "node_modules/.bin/deno"), "/usr/local/bin/deno", "/usr/bin/deno"].find((p) => existsSync(p));

function checkNdjson(stdout: string) {
  const lines = stdout.trim().split("\n");
  expect(lines.length).toBe(1);
  const row = JSON.parse(lines[0]!);
  expect(row).toMatchObject({ type: "domain", name: "test", state: "running", vcpus: 2, memoryKiB: 2097152 });
  expect(typeof row.ts).toBe("number");
  expect(row.uuid).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof row.cpuPct).toBe("number");
}

describe("vms", () => {
  test("listVms + table on test:///default", async () => {
    const rows = await listVms("test:///default", 100);
    expect(rows.map((r) => r.name)).toEqual(["test"]);
    expect(rows[0]).toMatchObject({ state: "running", vcpus: 2, memoryKiB: 2097152 });
    const t = formatTable(rows);
    expect(t.split("\n")[0]).toMatch(/^NAME\s+STATE\s+VCPUS\s+MEMORY\s+CPU %$/);
    expect(t).toMatch(/^test\s+running\s+2\s+2\.0 GiB\s+\d+\.\d$/m);
  }, 120_000);

  test("bun src/main.ts vms -c test:///default --json prints NDJSON", () => {
    const r = spawnSync(process.execPath, ["src/main.ts", "vms", "-c", "test:///default", "--json", "--interval", "100"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    checkNdjson(r.stdout);
  }, 120_000);

  test("LIBVIRT_DEFAULT_URI is honoured; a bad URI exits 1 with libvirt's message", () => {
    const ok = spawnSync(process.execPath, ["src/main.ts", "vms", "--json", "--interval", "100"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, LIBVIRT_DEFAULT_URI: "test:///default" } });
    expect(ok.status).toBe(0);
    checkNdjson(ok.stdout);
    const bad = spawnSync(process.execPath, ["src/main.ts", "vms", "-c", "vst-nosuch:///x"], { cwd: ROOT, encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("no connection driver available for vst-nosuch:///x");
    expect(bad.stderr).toContain("VIR_ERR_NO_CONNECT");
    const usage = spawnSync(process.execPath, ["src/main.ts", "vms", "--interval", "5"], { cwd: ROOT, encoding: "utf8" });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("--interval");
  }, 120_000);

  test.skipIf(!DENO)(`deno run -A src/main.ts vms -c test:///default${DENO ? "" : " (SKIPPED: deno not found)"}`, () => {
    const table = spawnSync(DENO!, ["run", "-A", "src/main.ts", "vms", "-c", "test:///default", "--interval", "100"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(table.stderr).toBe("");
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^NAME\s+STATE/);
    expect(table.stdout).toMatch(/^test\s+running\s+2\s+2\.0 GiB/m);
    const json = spawnSync(DENO!, ["run", "-A", "src/main.ts", "vms", "-c", "test:///default", "--json", "--interval", "100"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(json.status).toBe(0);
    checkNdjson(json.stdout);
  }, 120_000);
});

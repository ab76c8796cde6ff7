// Behaviour that needs a fresh process: libvirt prints nothing to stderr on
// failures, a missing libvirt.so.0 names the package, the same binding runs under
// Deno, and AsyncConnection's worker works inside a `bun build --compile` binary.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const BUN = process.execPath;
const DENO = [join(ROOT, "node_modules/.bin/deno"), "/usr/local/bin/deno", "/usr/bin/deno"].find((p) => existsSync(p));
const SMOKE = join(import.meta.dir, "fixtures/smoke.ts");

function expectSmoke(stdout: string, runtime: string) {
  const out = JSON.parse(stdout.trim().split("\n").pop()!);
  expect(out.runtime).toBe(runtime);
  expect(out.lib).toMatch(/^\d+\.\d+\.\d+$/);
  expect(out.domains).toEqual(["test"]);
  expect(out.stats).toEqual([["test", 1]]);
  expect(out.syncError).toEqual([42, "VIR_ERR_NO_DOMAIN", "Domain not found"]);
  expect(out.xmlError).toBe("VIR_ERR_XML_DETAIL");
  expect(out.asyncError).toEqual([42, "VIR_ERR_NO_DOMAIN", "virDomainLookupByName"]);
}

describe("in a child process", () => {
  test("bun: failing calls print nothing on stderr (libvirt's default handler is silenced)", () => {
    const r = spawnSync(BUN, [SMOKE], { encoding: "utf8", timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expectSmoke(r.stdout, "bun");
  }, 120_000);

  test("a missing libvirt.so.0 gives LibvirtMissingError naming the package", () => {
    const r = spawnSync(BUN, [join(import.meta.dir, "fixtures/missing-lib.ts")], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, VIRTSCALE_LIBVIRT_SO: "libvirt-vst-ffi-absent.so.0" },
    });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out.name).toBe("LibvirtMissingError");
    expect(out.message).toContain("libvirt-vst-ffi-absent.so.0 not found");
    expect(out.message).toContain("apt-get install libvirt0");
  }, 120_000);

  test.skipIf(!DENO)(`deno: the same binding and AsyncConnection run under Deno${DENO ? "" : " (SKIPPED: deno not found)"}`, () => {
    const r = spawnSync(DENO!, ["run", "-A", SMOKE], { encoding: "utf8", timeout: 120_000, cwd: ROOT });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expectSmoke(r.stdout, "deno");
  }, 120_000);

  test("bun build --compile with build.ts's worker entrypoints: AsyncConnection works in the binary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vst-ffi-compile-"));
    try {
      const exe = join(dir, "smoke");
      // the worker entrypoints build.ts embeds (and the project root as common root)
      const { WORKER_ENTRYPOINTS } = await import("../../build.ts");
      expect(WORKER_ENTRYPOINTS).toContain("ffi/worker.ts");
      const b = spawnSync(BUN, ["build", "--compile", SMOKE, ...WORKER_ENTRYPOINTS.map((p) => join(ROOT, p)), "--outfile", exe], { encoding: "utf8", cwd: ROOT, timeout: 120_000 });
      expect(b.status).toBe(0);
      const r = spawnSync(exe, [], { encoding: "utf8", cwd: dir, timeout: 60_000 });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expectSmoke(r.stdout, "bun");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

// Snapshot paths stay inside the snapshot directory.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PathError, resolveInside } from "../../src/vm/paths.ts";
import { listSnapshots, writeAtomically } from "../../src/vm/save-files.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "vst-vm-paths-")));
const dir = join(root, "snaps");
const outside = join(root, "outside");
mkdirSync(dir);
mkdirSync(outside);
mkdirSync(join(dir, "sub"));
symlinkSync(outside, join(dir, "escape"));
symlinkSync(join(outside, "nothing-here"), join(dir, "dangling"));
symlinkSync(join(dir, "sub"), join(dir, "inner-link"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("resolveInside", () => {
  test("relative and absolute paths inside are accepted", () => {
    expect(resolveInside(dir, "a.save")).toBe(join(dir, "a.save"));
    expect(resolveInside(dir, "sub/b.save")).toBe(join(dir, "sub", "b.save"));
    expect(resolveInside(dir, join(dir, "c.save"))).toBe(join(dir, "c.save"));
    expect(resolveInside(dir, "sub/../d.save")).toBe(join(dir, "d.save"));
    expect(resolveInside(dir, "inner-link/e.save")).toBe(join(dir, "sub", "e.save"));
  });
  test("'..' out, absolute elsewhere, and symlinks out are refused, naming the path", () => {
    for (const p of ["../x.save", "sub/../../x.save", "/etc/passwd", join(outside, "x.save"), "escape/x.save", "dangling"]) {
      let err: unknown;
      try {
        resolveInside(dir, p);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PathError);
      expect((err as Error).message).toContain(`'${p}'`);
    }
  });
  test("refusals name the directory by its role (the API confines kernel paths with it too)", () => {
    expect(() => resolveInside(dir, "../x.save")).toThrow(`outside the snapshot directory ${dir}`);
    expect(() => resolveInside(dir, "../vmlinux", "kernel directory")).toThrow(`outside the kernel directory ${dir}`);
  });

  test("empty path, NUL byte and the directory itself are refused", () => {
    expect(() => resolveInside(dir, "")).toThrow(PathError);
    expect(() => resolveInside(dir, "a\0b")).toThrow(/NUL/);
    expect(() => resolveInside(dir, ".")).toThrow(/directory itself/);
  });
});

describe("atomic writes", () => {
  test("success renames the partial file; failure leaves nothing that looks complete", async () => {
    const target = join(dir, "atomic.save");
    await writeAtomically(target, async (tmp) => {
      expect(tmp.startsWith(`${target}.partial-`)).toBe(true);
      writeFileSync(tmp, "data");
    });
    expect(readdirSync(dir).filter((f) => f.startsWith("atomic"))).toEqual(["atomic.save"]);
    const failed = join(dir, "failed.save");
    await expect(
      writeAtomically(failed, async (tmp) => {
        writeFileSync(tmp, "half");
        throw new Error("interrupted");
      }),
    ).rejects.toThrow("interrupted");
    expect(readdirSync(dir).filter((f) => f.startsWith("failed"))).toEqual([]);
    writeFileSync(join(dir, "x.save.partial-abcd"), "half");
    expect(listSnapshots(dir).map((s) => s.name)).toEqual(["atomic.save"]);
  });
});

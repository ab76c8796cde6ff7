// No leak: 1,000,000 allocating calls (XML copy + free, lookup + free) leave RSS
// flat. In a child process so its memory and CPU do not disturb other tests.
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { existsSync } from "node:fs";

const BUN = process.execPath;

test("RSS stays flat over 1,000,000 allocating calls (xmlDesc + lookup/free)", () => {
  const r = spawnSync(BUN, [join(import.meta.dir, "fixtures/rss-child.ts"), "1000000"], { encoding: "utf8", timeout: 280_000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  console.log(`rss: ${out.n} calls, before ${(out.before / 2 ** 20).toFixed(1)} MiB, after ${(out.after / 2 ** 20).toFixed(1)} MiB, growth ${out.growthMiB.toFixed(2)} MiB`);
  expect(out.n).toBe(1_000_000);
  expect(out.chars).toBeGreaterThan(1_000_000 * 100); // the calls really returned XML
  expect(out.growthMiB).toBeLessThan(20);
}, 300_000);

const DENO = [join(import.meta.dir, "../../node_modules/.bin/deno"), "/usr/local/bin/deno", "/usr/bin/deno"].find((p) => existsSync(p));

test.skipIf(!DENO)(`deno: RSS stays flat over 200,000 allocating calls${DENO ? "" : " (SKIPPED: deno not found)"}`, () => {
  const r = spawnSync(DENO!, ["run", "-A", join(import.meta.dir, "fixtures/rss-child.ts"), "200000"], { encoding: "utf8", timeout: 200_000 });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout.trim().split("\n").pop()!);
  console.log(`rss (deno): ${out.n} calls, growth ${out.growthMiB.toFixed(2)} MiB`);
  expect(out.n).toBe(200_000);
  expect(out.growthMiB).toBeLessThan(20);
}, 220_000);

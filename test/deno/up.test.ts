// `virtscale up --json` from the source under Deno (Deno.dlopen for libvirt,
// node:dgram for the balancer): the same NDJSON contract as under Bun.
import { describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ephemeralUdpPort } from "../../src/vm/ports.ts";

const ROOT = join(import.meta.dir, "..", "..");
const DENO = join(ROOT, "node_modules", ".bin", "deno");
const hasDeno = existsSync(DENO);

describe.skipIf(!hasDeno)(`up --json under Deno${hasDeno ? "" : " (SKIPPED: deno not installed: npm ci)"}`, () => {
  test("ticks carry the balancer and the scaler, stdin commands are answered, a summary ends the run", async () => {
    const port = await ephemeralUdpPort();
    const r = spawnSync(DENO, ["run", "-A", "src/main.ts", "up", "-c", "test:///default", "--source", "predefined", "--json", "--duration", "4", "--listen", `127.0.0.1:${port}`], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 60_000,
      input: "pause\nbogus-command\n",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.every((l) => typeof l.type === "string" && typeof l.ts === "number")).toBe(true);
    const tick = lines.find((l) => l.type === "tick" && l.lb && l.scaler);
    expect(tick.lb.listen).toBe(`127.0.0.1:${port}`);
    expect(tick.lb.engine).toBe("batch"); // libc recvmmsg/sendmmsg through Deno.dlopen, as on Bun
    expect(tick.lb.frontEngine).toBe("batch");
    expect(lines.some((l) => l.type === "tick" && l.scaler?.paused === true)).toBe(true);
    expect(lines.some((l) => l.type === "error" && /bogus-command/.test(l.message))).toBe(true);
    expect(lines.at(-1).type).toBe("summary");
  }, 90_000);
});

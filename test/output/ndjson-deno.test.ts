// src/output must run on Deno as well as Bun: the NDJSON writer and stdin
// commands, driven through a pipe under `deno run`.
import { expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const DENO = [join(ROOT, "node_modules/.bin/deno"), "/usr/local/bin/deno", "/usr/bin/deno"].find((p) => existsSync(p));

test.skipIf(!DENO)(`deno: runJson writes NDJSON and runs stdin commands${DENO ? "" : " (SKIPPED: deno not found)"}`, () => {
  const dir = mkdtempSync(join(tmpdir(), "vst-output-"));
  try {
    const script = join(dir, "run.ts");
    writeFileSync(
      script,
      `import { Store } from ${JSON.stringify(join(ROOT, "src/store.ts"))};
import { runJson } from ${JSON.stringify(join(ROOT, "src/output/ndjson.ts"))};
const store = new Store();
store.register({ name: "scale+1", help: "", run: () => ({ big: 2n ** 70n }) });
store.register({ name: "quit", help: "", run: () => { setTimeout(() => run.stop(), 20); } });
const run = runJson(store);
store.tick();
`,
    );
    const r = spawnSync(DENO!, ["run", "--allow-all", script], { input: "scale+1\nbogus\nquit\n", encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    for (const l of lines) expect(typeof l.ts).toBe("number");
    expect(lines.find((l) => l.type === "command" && l.name === "scale+1")).toMatchObject({ status: "ok", result: { big: "1180591620717411303424" } });
    expect(lines.find((l) => l.type === "error").message).toContain("unknown command 'bogus'");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);

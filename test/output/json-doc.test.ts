// docs/json.md against the program: every event type src/events.ts declares
// has a section, every example line is valid JSON with type and ts, and every
// field a real run prints is documented. The real runs: `up --json -c
// test:///default` with traffic that is answered (test/output/real-run.ts) and
// stdin commands, `vms --json`, `restore --list --json`, `config --json` and
// the `serve --json` lines of the server that answers. A new field in any of
// them fails here until docs/json.md names it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startUpRun, type Line } from "./real-run.ts";

const root = join(import.meta.dir, "..", "..");
const events = readFileSync(join(root, "src/events.ts"), "utf8");
const doc = readFileSync(join(root, "docs/json.md"), "utf8");

test("every VirtscaleEvent type has a section in docs/json.md", () => {
  const union = events.slice(events.indexOf("export type VirtscaleEvent"), events.indexOf("export type EventType"));
  const types = [...union.matchAll(/type: "([a-z-]+)"/g)].map((m) => m[1]!);
  expect(types.length).toBeGreaterThanOrEqual(8);
  for (const t of types) expect(doc).toContain(`### \`${t}\``);
});

test("the one-line examples in docs/json.md parse and carry type and ts", () => {
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const oneLiners = blocks.flatMap((b) => b.split("\n")).filter((l) => l.startsWith("{") && l.endsWith("}") && !l.includes("…"));
  expect(oneLiners.length).toBeGreaterThanOrEqual(5);
  for (const l of oneLiners) {
    const o = JSON.parse(l);
    expect(typeof o.type).toBe("string");
    expect(typeof o.ts).toBe("number");
  }
});

// ---- documented names, from the doc's own text ----

/** The text of each `### \`TYPE\`` section, up to the next heading (a heading may name several types). */
function sections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = md.split(/^(?=#{2,3} )/m);
  for (const p of parts) {
    if (!p.startsWith("### `")) continue;
    const heading = p.slice(0, p.indexOf("\n")).split(":")[0]!;
    for (const m of heading.matchAll(/`([a-z-]+)`/g)) out.set(m[1]!, p);
  }
  return out;
}
/** Every name in backticks outside code blocks: `a`, `a.b` (both parts), `a?`, `{"a","b"}` (a pair may span a line break). */
function names(text: string): Set<string> {
  const out = new Set<string>();
  const prose = text.replace(/```[\s\S]*?```/g, "");
  for (const m of prose.matchAll(/`([^`]+)`/g)) for (const w of m[1]!.matchAll(/[A-Za-z_][A-Za-z0-9_+-]*/g)) out.add(w[0]);
  return out;
}
const SECTIONS = sections(doc);
/** The view types (VmView, LbCounters, ...) are described once, under `tick`, and `type` and `ts` under the common rules: every line reuses them. */
const COMMON = doc.slice(doc.indexOf("## Common rules"), doc.indexOf("## Event types"));
const VIEWS = new Set([...names(SECTIONS.get("tick") ?? ""), ...names(COMMON)]);
const documented = (type: string) => new Set([...names(SECTIONS.get(type) ?? ""), ...VIEWS]);

/** Fields whose keys are data, not names: drop reasons, VM names, `how` values, a command's free-form result. */
const MAPS = new Set(["dropped", "leftReasons", "medianDecisionToServingMs", "result"]);

/** Every field name in a line, at any depth (array items included), except the keys of MAPS fields. */
function fieldsOf(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) for (const x of v) fieldsOf(x, out);
  else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      if (!MAPS.has(k)) fieldsOf(x, out);
    }
  return out;
}

/** Type -> fields never documented for it, over all lines. */
function undocumented(lines: Line[]): Record<string, string[]> {
  const missing: Record<string, Set<string>> = {};
  for (const l of lines) {
    const type = String(l.type);
    if (!SECTIONS.has(type)) {
      (missing[type] ??= new Set()).add("(no section)");
      continue;
    }
    const known = documented(type);
    for (const f of fieldsOf(l)) if (!known.has(f)) (missing[type] ??= new Set()).add(f);
  }
  return Object.fromEntries(Object.entries(missing).map(([k, v]) => [k, [...v].sort()]));
}

// ---- the real runs ----

describe("every field of a real run is documented in docs/json.md", () => {
  const lines: Line[] = [];
  const dir = mkdtempSync(join(tmpdir(), "vst-jsondoc-"));
  let serveLines: Line[] = [];

  beforeAll(async () => {
    const run = await startUpRun({ prefix: `vst-jsondoc-${Math.random().toString(36).slice(2, 8)}`, args: ["--load", "30/s"] });
    try {
      await run.waitLine((l) => l.type === "vm" && l.to === "serving", "the first VM serving");
      await run.waitLine((l) => l.type === "tick" && ((l.lb as { backends?: unknown[] })?.backends?.length ?? 0) > 0 && ((l.lb as any).total?.answered ?? 0) > 10, "answers");
      // A command of each kind: ok, failed (unknown, and libvirt's error), a result, the help line.
      for (const c of ["pause", "frobnicate", "scale+1", "snapshot vst-jsondoc-nosuchvm halt", "help", "load 40/s"]) run.send(c);
      await run.waitLine((l) => l.type === "command" && l.name === "load", "the reply to load");
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      expect(await run.finish()).toBe(0);
    }
    lines.push(...run.lines);
    serveLines = run.serveLines();
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("up --json -c test:///default", () => {
    const types = new Set(lines.map((l) => l.type));
    for (const t of ["tick", "log", "vm", "scale", "snapshot", "error", "command", "summary"]) expect(types).toContain(t);
    for (const l of lines) expect(typeof l.ts).toBe("number");
    expect(undocumented(lines)).toEqual({});
  });

  test("vm events: every from/to value is named in the vm section", () => {
    const vmDoc = names(SECTIONS.get("vm")!);
    const values = new Set(lines.filter((l) => l.type === "vm").flatMap((l) => [l.from, l.to].filter((x) => x !== undefined).map(String)));
    expect(values).toContain("serving");
    expect([...values].filter((v) => !vmDoc.has(v))).toEqual([]);
  });

  test("serve --json (the server that answered)", () => {
    expect(serveLines.length).toBeGreaterThan(0);
    for (const l of serveLines) expect(typeof l.ts).toBe("number");
    expect(undocumented(serveLines)).toEqual({});
  });

  test("vms --json -c test:///default", () => {
    const r = spawnSync(process.execPath, ["src/main.ts", "vms", "-c", "test:///default", "--json", "--interval", "100"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatchObject({ type: "domain", ts: expect.any(Number) });
    expect(undocumented(rows)).toEqual({});
  });

  test("config print --json, config check --json", () => {
    const bad = join(dir, "bad-config.json");
    writeFileSync(bad, JSON.stringify({ scaler: { maxx: 1 } }));
    const p = spawnSync(process.execPath, ["src/main.ts", "config", "print", "--json"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const c = spawnSync(process.execPath, ["src/main.ts", "config", "check", bad, "--json"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect([p.status, c.status]).toEqual([0, 1]);
    const rows = [...p.stdout.trim().split("\n"), ...c.stdout.trim().split("\n")].map((l) => JSON.parse(l) as Line);
    expect(rows.map((r) => r.type)).toEqual(["config", "config-check"]);
    // The config's own keys are docs/config.md's business: only the line's fields here.
    expect(undocumented(rows.map((r) => (r.type === "config" ? { ...r, config: {} } : r)))).toEqual({});
  });

  test("restore --list --json", () => {
    const snaps = join(dir, "snapshots");
    mkdirSync(snaps);
    writeFileSync(join(snaps, "a.save"), "not a real save image");
    const conf = join(dir, "config.json");
    writeFileSync(conf, JSON.stringify({ vm: { snapshot_dir: snaps } }));
    const r = spawnSync(process.execPath, ["src/main.ts", "restore", "--list", "--json", "-c", "test:///default", "--config", conf], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(0);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: "snapshot-file", ts: expect.any(Number), name: "a.save" });
    expect(undocumented(rows)).toEqual({});
  });
});

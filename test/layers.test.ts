// The layers of README's architecture section, checked on the source: no import
// cycle, and no import from a lower layer to an upper one
// (ffi <- shared base <- net <- lb/vm/guest/load <- scaler <- api/tui/commands/output).
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const ROOT = join(import.meta.dir, "..");

function sources(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) {
        if (f !== "generated" && f !== "node_modules") walk(p);
      } else if (/\.tsx?$/.test(f) && !f.endsWith(".d.ts")) out.push(p);
    }
  };
  for (const d of ["src", "ffi", "tui"]) walk(join(ROOT, d));
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(/(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']/g)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (!spec.startsWith(".")) continue;
    const p = resolve(dirname(file), spec);
    const hit = [p, `${p}.ts`, `${p}.tsx`, join(p, "index.ts")].find((c) => existsSync(c) && statSync(c).isFile());
    if (hit && /\.tsx?$/.test(hit) && !hit.includes("/generated/")) out.push(hit);
  }
  return out;
}

/** Layer of a file: higher may import lower or equal, never the other way. */
function layer(file: string): number {
  const r = relative(ROOT, file);
  if (r.startsWith("ffi/")) return 0;
  if (/^src\/(protocol|config|errors|events|store)(\.ts|\/)/.test(r) || r.startsWith("src/util/")) return 1;
  if (r.startsWith("src/net/")) return 2;
  if (/^src\/(lb|vm|guest|load)\//.test(r)) return 3;
  if (r.startsWith("src/scaler/")) return 4;
  return 5;
}

const graph = new Map(sources().map((f) => [f, imports(f)]));

test("no import points from a lower layer to an upper one", () => {
  const upward: string[] = [];
  for (const [f, deps] of graph) for (const d of deps) if (layer(d) > layer(f)) upward.push(`${relative(ROOT, f)} -> ${relative(ROOT, d)}`);
  expect(upward).toEqual([]);
});

test("no import cycle", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]) => {
    state.set(f, "open");
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === "open") cycles.push([...path.slice(path.indexOf(d)), d].map((p) => relative(ROOT, p)).join(" -> "));
      else if (!state.has(d)) visit(d, [...path, d]);
    }
    state.set(f, "done");
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f, [f]);
  expect(cycles).toEqual([]);
});

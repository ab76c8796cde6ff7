// docs/config.md is what src/commands/config-doc.ts generates from the schema
// (so a key added to src/config/ without regenerating fails here), it names
// every key with its default, and the comment scanner reads what it should.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ConfigSchema } from "../src/config.ts";
import { configDoc, schemaSource } from "../src/commands/config-doc.ts";
import { schemaComments } from "../src/commands/config-comments.ts";

const ROOT = join(import.meta.dir, "..");
const DOC = readFileSync(join(ROOT, "docs/config.md"), "utf8");

/** Every key path of the schema (objects in arrays as `key[].sub`). */
function keyPaths(s: any, prefix = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries<any>(s.properties ?? {})) {
    const p = prefix ? `${prefix}.${k}` : k;
    const item = v.type === "array" && v.items?.type === "object" ? v.items : v;
    if (item.type === "object" && item.properties) out.push(...keyPaths(item, item === v ? p : `${p}[]`));
    else out.push(p);
  }
  return out;
}

describe("docs/config.md", () => {
  test("is up to date with the schema (regenerate: bun src/commands/config-doc.ts > docs/config.md)", () => {
    expect(DOC).toBe(configDoc());
  });

  test("has a row for every key, with its default", () => {
    const js = z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" });
    const paths = keyPaths(js);
    expect(paths.length).toBeGreaterThan(40);
    for (const p of paths) expect(DOC).toContain(`| \`${p}\` |`);
    expect(DOC).toMatch(/\| `auto_scaler_threshold_load_high` \| number 0\.\.100 \| `80` \|/);
    expect(DOC).toMatch(/\| `lb\.timeout_ms` \| integer > 0 \| `2000` \| A request unanswered/);
  });
});

describe("schemaComments", () => {
  test("doc comments, headings, schema references and inline objects", () => {
    const src = `
const hostPort = z.string().regex(/^[^\\s:]+:\\d{1,5}$/, "expected HOST:PORT");
export const InnerSchema = z.strictObject({
  /** One line. */
  a: z.number().default(1),
  b: z.string().regex(/[{}]/, "braces in a regex"),
  /**
   * Two lines
   * of text.
   */
  c: z.strictObject({
    /** Deep. */
    d: z.enum(["x", "y"]).default("x"),
  }).default({ d: "x" }),
});
export const TopSchema = z.strictObject({
  // --- a group ---
  /** Refers. */
  inner: InnerSchema.default(InnerSchema.parse({})),
  e: hostPort.optional(),
}).superRefine((c, ctx) => {
  if (c.e) ctx.addIssue({ code: "custom", path: ["e"], message: \`not \${c.e}\` });
});`;
    const all = schemaComments(src);
    expect([...all.keys()]).toEqual(["InnerSchema", "TopSchema"]);
    const inner = all.get("InnerSchema")!;
    expect([...inner.keys()]).toEqual(["a", "b", "c"]);
    expect(inner.get("a")!.doc).toBe("One line.");
    expect(inner.get("b")!.doc).toBeUndefined();
    expect(inner.get("c")!.doc).toBe("Two lines of text.");
    expect(inner.get("c")!.children!.get("d")!.doc).toBe("Deep.");
    const top = all.get("TopSchema")!;
    expect(top.get("inner")).toMatchObject({ doc: "Refers.", heading: "a group", ref: "InnerSchema" });
    expect(top.get("e")).toMatchObject({ ref: "hostPort" });
  });

  test("src/config/: the sections and their documented keys are found", () => {
    const all = schemaComments(schemaSource());
    for (const s of ["ConfigSchema", "ScalerSchema", "LbSchema", "VmSchema", "ApiSchema"]) expect(all.has(s)).toBe(true);
    expect(all.get("ConfigSchema")!.get("scaler")!.ref).toBe("ScalerSchema");
    expect(all.get("LbSchema")!.get("timeout_ms")!.doc).toContain("timed out");
  });
});

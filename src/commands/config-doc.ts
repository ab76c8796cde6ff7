// docs/config.md, the config reference, generated from the zod schema (keys,
// types, defaults: z.toJSONSchema) and the doc comments of its source in
// src/config/ (config-comments.ts). test/config-doc.test.ts fails when the file is not
// what this prints; regenerate with:  bun src/commands/config-doc.ts > docs/config.md
import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigSchema } from "../config.ts";
import { schemaComments, type KeyDoc } from "./config-comments.ts";

/** The subset of JSON Schema that z.toJSONSchema writes for this config. */
interface Js {
  type?: string | string[];
  properties?: Record<string, Js>;
  items?: Js;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  pattern?: string;
  anyOf?: Js[];
  oneOf?: Js[];
}

/** Integers zod bounds by the safe range when nothing else does: not worth printing. */
const SAFE = Number.MAX_SAFE_INTEGER;

function typeOf(s: Js): string {
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf)!.map(typeOf).join(" \\| ");
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``;
  if (s.enum) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ");
  if (s.type === "array") return `array of ${s.items ? typeOf(s.items) : "any"}`;
  const t = Array.isArray(s.type) ? s.type.join(" \\| ") : (s.type ?? "any");
  const lo = s.minimum !== undefined && s.minimum > -SAFE ? s.minimum : undefined;
  const hi = s.maximum !== undefined && s.maximum < SAFE ? s.maximum : undefined;
  const parts: string[] = [];
  if (lo !== undefined && hi !== undefined) parts.push(`${lo}..${hi}`);
  else if (lo !== undefined) parts.push(`≥ ${lo}`);
  else if (hi !== undefined) parts.push(`≤ ${hi}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`> ${s.exclusiveMinimum}`);
  if (s.exclusiveMaximum !== undefined) parts.push(`< ${s.exclusiveMaximum}`);
  if (s.minLength) parts.push("not empty");
  if (s.pattern) parts.push(`matching \`${s.pattern.replace(/\|/g, "\\|")}\``);
  return parts.length ? `${t} ${parts.join(", ")}` : t;
}

const isObject = (s: Js) => s.type === "object" && s.properties !== undefined;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n\n/g, "<br><br>");

function defaultOf(s: Js): string {
  if (s.default === undefined) return "unset";
  return `\`${JSON.stringify(s.default)}\``;
}

/** The docs of an object's keys: its inline literal's, or the schema constant's it names. */
function docsFor(kd: KeyDoc | undefined, all: Map<string, Map<string, KeyDoc>>): Map<string, KeyDoc> {
  return kd?.children ?? (kd?.ref ? all.get(kd.ref) : undefined) ?? new Map();
}

function section(out: string[], path: string, s: Js, docs: Map<string, KeyDoc>, all: Map<string, Map<string, KeyDoc>>, intro?: string): void {
  const props = Object.entries(s.properties ?? {});
  const scalars = props.filter(([, p]) => !isObject(p) && !(p.type === "array" && p.items && isObject(p.items)));
  const nested = props.filter(([k]) => !scalars.some(([x]) => x === k));
  out.push(`## ${path ? `\`${path}\`` : "Top-level keys"}`, "");
  if (intro) out.push(intro, "");
  let heading: string | undefined;
  let open = false;
  for (const [k, p] of scalars) {
    const kd = docs.get(k);
    if (kd?.heading && kd.heading !== heading) {
      heading = kd.heading;
      if (open) out.push("");
      out.push(`*${heading}*`, "");
      open = false;
    }
    if (!open) out.push("| key | type | default | what |", "|---|---|---|---|");
    open = true;
    out.push(`| \`${path ? path + "." : ""}${k}\` | ${typeOf(p)} | ${defaultOf(p)} | ${cell(kd?.doc ?? "")} |`);
  }
  if (open) out.push("");
  if (nested.length) out.push(`Sections: ${nested.map(([k]) => `[\`${path ? path + "." : ""}${k}\`](#${anchor(path ? `${path}.${k}` : k)})`).join(", ")}.`, "");
  for (const [k, p] of nested) {
    const kd = docs.get(k);
    const sub = path ? `${path}.${k}` : k;
    const item = p.type === "array" ? p.items! : p;
    section(out, p.type === "array" ? `${sub}[]` : sub, item, docsFor(kd, all), all, kd?.doc);
  }
}

/** GitHub's heading anchors: lower case, punctuation but - and _ dropped. */
function anchor(path: string): string {
  return path.toLowerCase().replace(/[^a-z0-9_ -]/g, "");
}

/** The schema's source for the comment scanner: every file of src/config/ (schema.ts and one per section). */
export function schemaSource(): string {
  const dir = new URL("../config/", import.meta.url);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => readFileSync(new URL(f, dir), "utf8"))
    .join("\n");
}

export function configDoc(source = schemaSource()): string {
  const all = schemaComments(source);
  // "input": what a file may say (keys with a default may be left out); a preprocess step has no JSON Schema of its own.
  const js = z.toJSONSchema(ConfigSchema, { io: "input", unrepresentable: "any" }) as Js;
  const out = [
    "# Configuration reference",
    "",
    "<!-- Generated by src/commands/config-doc.ts from the zod schema in src/config/; do not edit.",
    "     Regenerate: bun src/commands/config-doc.ts > docs/config.md (test/config-doc.test.ts checks it). -->",
    "",
    "One JSON object, given with `--config FILE` (repeatable: files are merged left to right, a later key wins,",
    "sections merge key by key). Every key is optional: left out, it has the default below (*unset*: the",
    "feature is off or the value is worked out at run time, as the description says). The assignment's",
    "`client.conf` and `message.conf` are accepted as they are; keys that start with `_` are comments, at any",
    "depth. An unknown key or a wrong type is an error that names the key (with a did-you-mean).",
    "",
    "- `virtscale config print [--config FILE...]`: the merged config with every default filled in, as JSON.",
    "- `virtscale config check FILE...`: validate files; exit 0 when all are valid, else 1 with each bad key named.",
    "",
  ];
  section(out, "", js, all.get("ConfigSchema") ?? new Map(), all);
  return out.join("\n").replace(/\n{3,}/g, "\n\n");
}

if (import.meta.main) process.stdout.write(configDoc());

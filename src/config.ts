// One JSON config. The original assignment's client.conf and message.conf
// are accepted as they are (flat, snake case): every key they define is used
// (or checked), and keys starting with "_" are comments, ignored at any
// depth (client.conf's "__** COMMENT logging_level", "___server_ip").
// virtscale's own settings live in sections. Unknown keys and wrong types are
// errors that name the key, one line each, with a did-you-mean (zod strict
// objects); a JSON syntax error names its line and column.
// The schema is in src/config/ (schema.ts, one file per section); this file
// loads, merges and validates files and turns zod's issues into those lines.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { errorMessage } from "./errors.ts";
import { didYouMean } from "./util/suggest.ts";
import { jsonSyntaxError } from "./util/json-where.ts";
import { ConfigSchema, type Config } from "./config/schema.ts";

export { ConfigSchema, type Config } from "./config/schema.ts";
export { ScalerSchema } from "./config/scaler.ts";
export { LbSchema } from "./config/lb.ts";
export { VmSchema } from "./config/vm.ts";
export { ServiceSchema } from "./config/service.ts";
export { ApiSchema } from "./config/api.ts";

/** Samples of CPU history the store keeps for the chart: graph_history_seconds over the sampling period, undefined when unset (the store's default). */
export function chartHistorySamples(c: Config): number | undefined {
  return c.graph_history_seconds === undefined ? undefined : Math.max(2, Math.ceil(c.graph_history_seconds / c.scaler.period_s));
}

/** virtscale's work function steps for the mean request above which the note below warns (~0.5 s of TCG guest CPU). */
const HEAVY_MEAN_STEPS = 5e7;

/**
 * One line for each key the config sets that virtscale takes otherwise than
 * the assignment did, saying why and what it does here (every key is used or
 * checked; these are the ones a user of client.conf would be surprised by).
 */
export function configNotes(c: Config): string[] {
  const notes: string[] = [];
  if (c.logging_level === "DEBUG") notes.push("logging_level DEBUG: virtscale writes no debug lines; info, warnings and errors are logged");
  if (c.logging_level === "CRITICAL") notes.push("logging_level CRITICAL: virtscale's most severe lines are errors; errors only are logged");
  if (c.logging_file === "/dev/stdout") notes.push("logging_file /dev/stdout: log lines go to stderr (stdout carries the figures and NDJSON)");
  if (c.fifo_communication_file === "/dev/stdin") notes.push("fifo_communication_file /dev/stdin: commands are read from stdin (as always); no FIFO is made");
  if (c.server_up_time !== undefined)
    notes.push(`server_up_time ${c.server_up_time}: a new VM joins once it answers the service check and ${c.server_up_time} s after its start (the assignment's fixed wait; drop the key to join at its first correct answer)`);
  const meanSteps = ((c.req_num_low + c.req_num_high) / 2) * c.vm.work_scale;
  if (c.service.check === "virtscale" && meanSteps > HEAVY_MEAN_STEPS)
    notes.push(
      `req_num_low..req_num_high ${c.req_num_low}..${c.req_num_high} at vm.work_scale ${c.vm.work_scale}: a request is ${meanSteps.toExponential(1)} steps of virtscale's work function on average (the default range: 2.2e+6), many seconds of guest CPU each; these numbers fit the assignment's server.py (service.check pow2mod1021), virtscale's guest wants a smaller range or vm.work_scale`,
    );
  return notes;
}

export class ConfigError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Turn zod issues into one line per key: `scaler.max: expected number,
 * received string`; each unknown key on its own line with the closest known
 * key of its object: `scaler.maxx: unknown key; did you mean 'max'?`.
 */
export function describeIssues(err: z.ZodError): string {
  return err.issues
    .flatMap((i) => {
      if (i.code === "unrecognized_keys") {
        const known = objectKeysAt(i.path);
        return i.keys.map((k) => `${[...i.path, k].join(".")}: unknown key${didYouMean(k, known)}`);
      }
      return [`${i.path.join(".") || "(top level)"}: ${i.message}`];
    })
    .join("\n");
}

/** The keys the schema knows for the object at `path` (empty when the path leads to no object). */
function objectKeysAt(path: readonly PropertyKey[]): string[] {
  let s: z.core.$ZodType = ConfigSchema;
  for (const seg of path) {
    s = unwrapSchema(s);
    if (s instanceof z.ZodArray) s = s.element;
    else if (s instanceof z.ZodObject) {
      const next: z.core.$ZodType | undefined = s.shape[String(seg)];
      if (!next) return [];
      s = next;
    } else return [];
  }
  s = unwrapSchema(s);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function unwrapSchema(s: z.core.$ZodType): z.core.$ZodType {
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
  return s;
}

/** JSON has no comments: client.conf writes them as keys starting with "_". They are dropped at any depth (objects in arrays too). */
export function stripCommentKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripCommentKeys);
  if (!isPlain(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith("_")) out[k] = stripCommentKeys(x);
  return out;
}

export function parseConfig(raw: unknown, file?: string): Config {
  const r = ConfigSchema.safeParse(stripCommentKeys(raw ?? {}));
  if (!r.success) throw new ConfigError(`${file ? file + ": " : ""}${describeIssues(r.error)}`, file);
  return r.data;
}

/** Merge several files left to right (client.conf then message.conf, say); later keys win. */
export function loadConfig(files: string[] = []): Config {
  let merged: Record<string, unknown> = {};
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, "utf8");
    } catch (e) {
      throw new ConfigError(`${f}: cannot read: ${errorMessage(e)}`, f);
    }
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      // The runtimes' messages rarely say where (Bun: "JSON Parse error: Unexpected identifier"): find the spot ourselves.
      const where = jsonSyntaxError(text);
      throw new ConfigError(`${f}: not valid JSON: ${where ? `line ${where.line}, column ${where.column}: ${where.message}` : errorMessage(e)}`, f);
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new ConfigError(`${f}: expected a JSON object`, f);
    // Validate each file on its own too, so an error names the file it is in.
    parseConfig({ ...merged, ...obj }, f);
    merged = deepMerge(merged, obj as Record<string, unknown>);
  }
  return parseConfig(merged, files.at(-1));
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? deepMerge(prev, v) : v;
  }
  return out;
}
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function splitHostPort(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(":");
  const host = s.slice(0, i).replace(/^\[|\]$/g, "");
  return { host, port: Number(s.slice(i + 1)) };
}

// Request bodies: JSON only, size-capped twice (the Content-Length header and
// the bytes actually streamed, so a lying or chunked client cannot get past
// the cap), then validated with a zod schema whose errors name the field.
import type { z } from "zod";
import { ApiError } from "./errors.ts";
import { errorMessage } from "../errors.ts";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The raw bytes of the body, refusing more than `max` (413) before reading it all. */
export async function readCapped(req: Request, max: number): Promise<Uint8Array> {
  const declared = req.headers.get("content-length");
  if (declared !== null) {
    if (!/^\s*\d+\s*$/.test(declared)) throw new ApiError(400, `Content-Length: not a number ('${declared.slice(0, 40)}')`);
    if (Number(declared) > max) throw new ApiError(413, `body of ${Number(declared)} bytes is over the limit of ${max} bytes (api.max_body_bytes)`);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => {});
        throw new ApiError(413, `body is over the limit of ${max} bytes (api.max_body_bytes)`);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, `body could not be read: ${errorMessage(e)}`);
  }
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/**
 * The JSON body of a request. An empty body is `undefined` (the schema then
 * decides whether that is allowed). A body with another content type is 415:
 * besides being wrong, it is what a cross-site form post would send.
 */
export async function readJson(req: Request, max: number): Promise<unknown> {
  const bytes = await readCapped(req, max);
  if (bytes.byteLength === 0) return undefined;
  const type = req.headers.get("content-type");
  if (!type || !JSON_TYPE.test(type)) throw new ApiError(415, `expected Content-Type: application/json, got ${type ? `'${type.slice(0, 60)}'` : "none"}`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "body is not valid UTF-8");
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `malformed JSON: ${errorMessage(e)}`);
  }
}

/** One line per problem, each naming the field: `rpc_port: expected integer, received string`. */
export function describeZod(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const path = i.path.map(String).join(".");
      if (i.code === "unrecognized_keys") return i.keys.map((k) => `${path ? path + "." : ""}${k}: unknown field`).join("; ");
      const field = path || "body";
      if (i.code === "invalid_type" && / received undefined$/.test(i.message)) return `${field}: missing (expected ${i.expected})`;
      return `${field}: ${i.message.replace(/^Invalid input: /, "")}`;
    })
    .join("; ");
}

/** Validate `raw` with `schema`; 400 naming the fields when it does not fit. */
export function validate<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const r = schema.safeParse(raw);
  if (!r.success) throw new ApiError(400, describeZod(r.error));
  return r.data;
}

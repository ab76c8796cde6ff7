// /openapi.json, generated from the route table and the zod schemas the
// handlers validate with (z.toJSONSchema): the document cannot drift from
// what the server does.
import { z } from "zod";
import pkg from "../../package.json" with { type: "json" };
import type { ResponseDoc, RouteDef } from "./route.ts";
import { apiSchemas, ErrorResponse } from "./schemas.ts";

const REF = (id: string) => `#/components/schemas/${id}`;

function components(): Record<string, unknown> {
  const clean = (all: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [id, s] of Object.entries(all)) {
      const { $schema: _s, id: _i, $id: _d, ...rest } = s as Record<string, unknown>;
      out[id] = rest;
    }
    return out;
  };
  const opts = { target: "draft-2020-12" as const, unrepresentable: "any" as const, uri: REF };
  // Request bodies are described as clients send them (defaults make fields optional), responses as sent.
  const output = clean(z.toJSONSchema(apiSchemas, { ...opts, io: "output" }).schemas);
  const input = clean(z.toJSONSchema(apiSchemas, { ...opts, io: "input" }).schemas);
  for (const id of Object.keys(output)) if (/Request$|Patch$/.test(id)) output[id] = input[id];
  return output;
}

function refTo(schema: z.ZodType): Record<string, unknown> {
  const id = apiSchemas.get(schema)?.id;
  if (id) return { $ref: REF(id) };
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
}

export function openApiDoc(routes: RouteDef[], opts: { tokenRequired: boolean }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters = [
      ...Object.entries(r.params ?? {}).map(([name, description]) => ({ name, in: "path", required: true, description, schema: { type: "string" } })),
      ...Object.entries(r.query ?? {}).map(([name, description]) => ({ name, in: "query", required: false, description, schema: { type: "string" } })),
    ];
    const responses: Record<string, unknown> = {};
    // What every route can answer besides its own: the token check, and the body checks of routes that take one.
    const common: Record<number, string> = opts.tokenRequired ? { 401: "missing or wrong bearer token" } : { 403: "the Host header is not a loopback name" };
    if (r.request) Object.assign(common, { 413: "body over api.max_body_bytes", 415: "body is not application/json" });
    const all: Record<string, ResponseDoc> = { ...Object.fromEntries(Object.entries(common).map(([k, d]) => [k, { description: d, schema: ErrorResponse }])), ...r.responses };
    for (const [status, doc] of Object.entries(all)) {
      const type = doc.contentType ?? "application/json";
      responses[status] = {
        description: doc.description,
        content: { [type]: { schema: doc.schema ? refTo(doc.schema) : type.startsWith("application/json") ? {} : { type: "string" } } },
      };
    }
    (paths[r.path] ??= {})[r.method.toLowerCase()] = {
      operationId: `${r.method.toLowerCase()}${r.path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      summary: r.summary,
      ...(r.description && { description: r.description }),
      tags: r.tags,
      ...(parameters.length && { parameters }),
      ...(r.request && {
        requestBody: { required: r.request.required, content: { "application/json": { schema: refTo(r.request.schema) } } },
      }),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "virtscale HTTP API",
      version: pkg.version,
      description:
        "Create, snapshot, restore and watch the VMs of a virtscale group. Errors are always {\"error\":{\"code\",\"reason\",\"description\"}}. /create and /snapshot keep the original web server's shapes.",
    },
    servers: [{ url: "/" }],
    ...(opts.tokenRequired && { security: [{ bearer: [] }] }),
    paths,
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "api.token / VIRTSCALE_API_TOKEN; required when bound to a non-loopback address" } },
    },
  };
}

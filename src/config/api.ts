// The config's `api` section: the HTTP API (listen address, token, body limit).
// docs/config.md is generated from this schema and its doc comments
// (src/commands/config-doc.ts); src/config/schema.ts puts the sections together.
import { z } from "zod";
import { hostPort } from "./fields.ts";

export const ApiSchema = z.strictObject({
  /** The HTTP API's address when --api is not given; unset: no API. */
  listen: hostPort.optional(),
  /** Required when listen is not loopback; also read from VIRTSCALE_API_TOKEN. */
  token: z.string().min(16).optional(),
  /** Largest request body the API reads (413 beyond). */
  max_body_bytes: z.number().int().positive().default(64 * 1024),
});

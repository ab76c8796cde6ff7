// The config's `service` section: what an answer of the servers is checked
// against (readiness, health probes, load generator).
// docs/config.md is generated from this schema and its doc comments
// (src/commands/config-doc.ts); src/config/schema.ts puts the sections together.
import { z } from "zod";
import { SERVICE_CHECKS } from "../protocol/service.ts";

/** What the servers are: how readiness, health probes and the load generator check an answer (src/protocol/service.ts). */
export const ServiceSchema = z.strictObject({
  /** "virtscale": virtscale's guest (checked exactly); "pow2mod1021": the assignment's server.py (2**n mod 1021); "any": any 8-byte answer (unverified). */
  check: z.enum(SERVICE_CHECKS).default("virtscale"),
});

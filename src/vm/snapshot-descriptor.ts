// The pair the original API called "cpu snapshot" and "memory snapshot".
// libvirt's save image holds memory, vCPU and device state together, so:
//   memory_snapshot_path = the libvirt save image (virDomainSaveFlags)
//   cpu_snapshot_path    = a small JSON descriptor: which domain (name, uuid,
//                          port), which image and its SHA-256
// A restore reads the descriptor, checks the image's hash, then restores the
// image; a pair that does not belong together is refused (409) before libvirt
// is asked to do anything.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { z } from "zod";
import { errorMessage } from "../errors.ts";
import { writeAtomically } from "./save-files.ts";

/** The small JSON file that travels with a save image (the original API's "cpu snapshot"). */
export const SnapshotDescriptor = z.object({
  format: z.literal("virtscale-snapshot/1"),
  id: z.string(),
  domain: z.string(),
  uuid: z.string(),
  group: z.string(),
  port: z.number().int(),
  image: z.string().describe("the save image, relative to the snapshot directory"),
  image_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  image_bytes: z.number().int().min(0),
  created: z.string(),
  resumed: z.boolean(),
  save_ms: z.number().optional(),
  method: z.enum(["save", "snapshot", "save+restore"]).optional().describe("how it was taken: virDomainSave (halt), an external snapshot, or save + restore (the VM stopped meanwhile)"),
});
export type SnapshotDescriptor = z.infer<typeof SnapshotDescriptor>;

/**
 * A snapshot request that cannot be done, by kind: `invalid` (a bad path or
 * file, API 400), `missing` (404), `conflict` (the VM's state, a pair that
 * does not belong together: 409). Messages name the field they are about.
 */
export class SnapshotError extends Error {
  constructor(
    readonly kind: "invalid" | "missing" | "conflict",
    message: string,
  ) {
    super(message);
    this.name = "SnapshotError";
  }
}

/** SHA-256 of a file, read in chunks so the event loop keeps serving. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on("data", (c) => h.update(c))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")));
  });
}

/** Write the descriptor through a temp file + rename (a rename replaces a symlink, never follows it). */
export function writeDescriptor(path: string, d: SnapshotDescriptor): Promise<void> {
  return writeAtomically(path, async (tmp) => writeFileSync(tmp, JSON.stringify(d, null, 2) + "\n", { flag: "wx", mode: 0o600 }));
}

const MAX_DESCRIPTOR_BYTES = 64 * 1024;

/** Read and check a descriptor; `field` names the request field in errors. */
export function readDescriptor(path: string, field: string): SnapshotDescriptor {
  if (!existsSync(path)) throw new SnapshotError("missing", `${field}: no such snapshot descriptor`);
  const st = statSync(path);
  if (!st.isFile()) throw new SnapshotError("invalid", `${field}: not a regular file`);
  if (st.size > MAX_DESCRIPTOR_BYTES) throw new SnapshotError("invalid", `${field}: not a snapshot descriptor (${st.size} bytes; is this the memory image?)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new SnapshotError("invalid", `${field}: not a snapshot descriptor (not JSON: ${errorMessage(e)})`);
  }
  const r = SnapshotDescriptor.safeParse(raw);
  if (!r.success) throw new SnapshotError("invalid", `${field}: not a snapshot descriptor (${r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")})`);
  return r.data;
}

/** Check that the image at `imagePath` is the one the descriptor describes (size, then SHA-256). */
export async function verifyPair(d: SnapshotDescriptor, imagePath: string): Promise<void> {
  if (!existsSync(imagePath)) throw new SnapshotError("missing", `memory_snapshot_path: no such save image`);
  const st = statSync(imagePath);
  if (!st.isFile()) throw new SnapshotError("invalid", `memory_snapshot_path: not a regular file`);
  const mismatch = (what: string) =>
    new SnapshotError("conflict", `memory_snapshot_path does not belong to cpu_snapshot_path: ${what} (the descriptor describes snapshot '${d.id}' of ${d.domain})`);
  if (st.size !== d.image_bytes) throw mismatch(`the image has ${st.size} bytes, the descriptor says ${d.image_bytes}`);
  const sum = await sha256File(imagePath);
  if (sum !== d.image_sha256) throw mismatch(`its SHA-256 is ${sum}, the descriptor says ${d.image_sha256}`);
}

/** Every readable descriptor under `dir` (a few levels deep), newest first; others are skipped. */
export function findDescriptors(dir: string, opts: { maxDepth?: number; maxFiles?: number } = {}): { path: string; d: SnapshotDescriptor }[] {
  const out: { path: string; d: SnapshotDescriptor }[] = [];
  const maxDepth = opts.maxDepth ?? 3;
  let budget = opts.maxFiles ?? 5000;
  const walk = (p: string, depth: number) => {
    let ents;
    try {
      ents = readdirSync(p, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      if (budget-- <= 0) return;
      const full = join(p, e.name);
      if (e.isDirectory() && depth < maxDepth) walk(full, depth + 1);
      else if (e.isFile() && e.name.endsWith(".json") && !e.name.includes(".partial-")) {
        try {
          out.push({ path: full, d: readDescriptor(full, relative(dir, full)) });
        } catch {
          /* not a descriptor: other files may live here */
        }
      }
    }
  };
  walk(dir, 0);
  return out.sort((a, b) => b.d.created.localeCompare(a.d.created));
}

// Save files: written atomically (libvirt saves to `<path>.partial-<rand>` in
// the same directory, then it is renamed), so an interrupted save never leaves
// a file that looks complete; and listed for the restore picker.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, renameSync, statSync, unlinkSync } from "node:fs";
import { join } from "node:path";

export function partialPath(target: string): string {
  return `${target}.partial-${randomBytes(4).toString("hex")}`;
}

/** Run `write(tmp)`, then rename tmp to target; remove tmp when anything fails. */
export async function writeAtomically<T>(target: string, write: (tmp: string) => Promise<T>): Promise<T> {
  const tmp = partialPath(target);
  try {
    const r = await write(tmp);
    renameSync(tmp, target);
    return r;
  } catch (e) {
    try {
      if (existsSync(tmp)) unlinkSync(tmp);
    } catch {
      /* keep the original error */
    }
    throw e;
  }
}

export interface SnapshotFile {
  path: string;
  name: string;
  bytes: number;
  mtime: number;
}

/** Complete save files in a directory, newest first (partial files are skipped). */
export function listSnapshots(dir: string): SnapshotFile[] {
  if (!existsSync(dir)) return [];
  const out: SnapshotFile[] = [];
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    if (!ent.isFile() || ent.name.includes(".partial-")) continue;
    const p = join(dir, ent.name);
    const st = statSync(p);
    out.push({ path: p, name: ent.name, bytes: st.size, mtime: st.mtimeMs });
  }
  return out.sort((a, b) => b.mtime - a.mtime);
}

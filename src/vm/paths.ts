// Where virtscale keeps snapshots, and confinement of user-given paths to it:
// a path from the CLI, the dashboard or the HTTP API may only name a file
// inside the configured snapshot directory (no `..`, no absolute path
// elsewhere, no symlink that leads out).
import { existsSync, lstatSync, mkdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

export class PathError extends Error {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = "PathError";
  }
}

/** Whether virtscale runs as root (system-wide directories, may install and start things). */
export const isRoot = (): boolean => process.getuid?.() === 0;

/** /var/lib/virtscale/snapshots as root, else ~/.local/share/virtscale/snapshots (config vm.snapshot_dir overrides). */
export function defaultSnapshotDir(): string {
  if (isRoot()) return "/var/lib/virtscale/snapshots";
  return join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "virtscale", "snapshots");
}

function inside(base: string, p: string): boolean {
  const rel = relative(base, p);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel) && rel.split(sep)[0] !== "..");
}

/**
 * The absolute path of `userPath` inside `dir` (relative paths are taken from
 * `dir`). Throws PathError naming the path when it would leave `dir`: through
 * `..`, as an absolute path elsewhere, or through a symlink (the deepest
 * existing ancestor is resolved with realpath; an existing final symlink is
 * resolved too). The file itself need not exist. `what` names the directory
 * in those errors.
 */
export function resolveInside(dir: string, userPath: string, what = "snapshot directory"): string {
  if (typeof userPath !== "string" || userPath.trim() === "") throw new PathError("empty path", String(userPath));
  if (userPath.includes("\0")) throw new PathError(`path '${userPath.replace(/\0/g, "\\0")}' contains a NUL byte`, userPath);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
  const base = realpathSync(dir);
  const wanted = resolve(base, userPath);
  const out = (why: string) => new PathError(`path '${userPath}' ${why} the ${what} ${base}`, userPath);
  if (!inside(base, wanted)) throw out("is outside");
  // Resolve symlinks of whatever part exists.
  let existing = wanted;
  const rest: string[] = [];
  // lstat, not exists: a dangling symlink counts as present (and then fails realpath below).
  const present = (p: string) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  };
  while (!present(existing)) {
    rest.unshift(basename(existing));
    const up = dirname(existing);
    if (up === existing) break;
    existing = up;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    throw out("cannot be resolved inside");
  }
  if (!inside(base, real)) throw out("leads (through a symlink) outside");
  const final = join(real, ...rest);
  if (final === base) throw new PathError(`path '${userPath}' names the snapshot directory itself, not a file in it`, userPath);
  return final;
}

// Files under virtscale's run directory that one process at a time holds
// with flock(2) (ffi/flock.ts): the group lease (src/scaler/lease.ts) and the
// host's loopback port claims (ports.ts). The kernel drops a flock when its
// holder exits, however it exits, so a held lock means a live holder.
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tryLockExclusive, unlock } from "../../ffi/flock.ts";

/**
 * Where the lock files live: $VIRTSCALE_RUN_DIR, else /run/virtscale (root;
 * tmpfs, so a reboot clears it), else $XDG_RUNTIME_DIR/virtscale, else
 * /tmp/virtscale-UID. Created on first use.
 */
export function runDir(): string {
  const env = process.env.VIRTSCALE_RUN_DIR;
  const uid = process.getuid?.() ?? 0;
  const dir = env || (uid === 0 ? "/run/virtscale" : process.env.XDG_RUNTIME_DIR ? join(process.env.XDG_RUNTIME_DIR, "virtscale") : join(tmpdir(), `virtscale-${uid}`));
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  return dir;
}

/** One lock file, opened (created if needed) but not locked yet. */
export class LockFile {
  #fd: number | null;
  #held = false;

  constructor(readonly path: string) {
    // "a+": create without truncating (the holder's contents stay readable); O_CLOEXEC by libuv/Bun: children never inherit the lock.
    this.#fd = openSync(path, "a+", 0o644);
  }

  get held(): boolean {
    return this.#held;
  }

  /** Take the lock without waiting; false when another process (or another open of the file) holds it. */
  tryLock(): boolean {
    if (this.#fd === null) throw new Error(`${this.path}: lock file closed`);
    if (this.#held) return true;
    if (!tryLockExclusive(this.#fd, this.path)) return false;
    // The holder before us may have removed the file between our open and our lock: then we hold a lock on a
    // file nobody else can find. Only a lock on the inode the path names now counts.
    let samePath = false;
    try {
      samePath = statSync(this.path).ino === fstatSync(this.#fd).ino;
    } catch {
      /* removed: not the same */
    }
    if (!samePath) {
      unlock(this.#fd);
      closeSync(this.#fd);
      this.#fd = openSync(this.path, "a+", 0o644);
      return this.tryLock();
    }
    this.#held = true;
    return true;
  }

  /** Take the lock, waiting up to timeoutMs (polling: a blocking flock would stall this thread). */
  async lock(timeoutMs: number): Promise<void> {
    const t0 = Date.now();
    while (!this.tryLock()) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`${this.path}: still locked by another process after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** The file's contents ("" when empty or gone). */
  read(): string {
    try {
      return readFileSync(this.path, "utf8");
    } catch {
      return "";
    }
  }

  /** Replace the contents; only while held. */
  write(text: string): void {
    if (!this.#held) throw new Error(`${this.path}: not locked by this process`);
    writeFileSync(this.path, text, { mode: 0o644 });
  }

  /** Drop the lock and close; with remove, the file goes first (while still locked, so nobody takes a lock on a file being removed). */
  release(opts: { remove?: boolean } = {}): void {
    if (this.#fd === null) return;
    if (this.#held && opts.remove) rmSync(this.path, { force: true });
    if (this.#held) unlock(this.#fd);
    closeSync(this.#fd);
    this.#fd = null;
    this.#held = false;
  }
}

// One owner per group. A group's lease is two things:
//  - a lock file per (libvirt URI, group) in the run directory
//    (src/vm/lock-file.ts: /run/virtscale/GROUP@HASH.lock), held with flock for
//    the life of the process and naming it (pid, start time, host, API
//    address): a second `up` on this host finds it held and refuses at once,
//    naming the owner; the kernel drops it when the owner dies, even by
//    kill -9, and the next `up` takes over and adopts what the owner left;
//  - an owner mark on each VM of the group (src/vm/owner.ts: host, pid, boot
//    id, since), which is what an instance on another host (qemu+ssh://), or
//    one that reaches the same libvirtd by another URI, sees. A mark naming a
//    live process on this host refuses too; one naming a process on another
//    host refuses unless --force (that process cannot be checked from here);
//    a mark whose process or boot is gone is taken over.
// test: URIs need no lock file: the test driver lives inside its process, so
// no other process can see, let alone own, its domains.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Connection } from "../../ffi/index.ts";
import { LockFile, runDir } from "../vm/lock-file.ts";
import type { OwnerMark } from "../vm/metadata.ts";
import { bootId, groupOwnerMarks, ownerState, procStart, selfMark, writeOwnerMark } from "../vm/owner.ts";

/** What the lock file says of its holder. */
export interface LeaseRecord {
  group: string;
  uri: string;
  pid: number;
  /** /proc/PID/stat start time (clock ticks after boot). */
  pstart?: number;
  host: string;
  boot: string;
  /** When it took the group (ms since the epoch). */
  since: number;
  /** Where its HTTP API serves (for `virtscale top --api`), once it does. */
  api?: string;
  /** Its balancer's front address. */
  front?: string;
}

/** A second owner refused: the message names the owner and what to do. */
export class GroupOwnedError extends Error {
  constructor(
    message: string,
    readonly owner: { pid: number; host: string; since: number },
  ) {
    super(message);
    this.name = "GroupOwnedError";
  }
}

/** The lock file of (uri, group): the group's name, readable, and a short hash of the URI (a group of that name on another libvirt is another group). */
export function leasePath(dir: string, uri: string, group: string): string {
  const safe = group.replace(/[^A-Za-z0-9._-]/g, "_");
  return join(dir, `${safe}@${createHash("sha256").update(uri).digest("hex").slice(0, 8)}.lock`);
}

function ago(since: number, now: number): string {
  const s = Math.max(0, Math.round((now - since) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${(s / 3600).toFixed(1)} h ago`;
}

/** "pid 123 on box since 2025-11-21T09:00:00.000Z (42 s ago)" */
export function describeOwner(o: { pid: number; host: string; since: number }, now = Date.now()): string {
  return `pid ${o.pid} on ${o.host} since ${new Date(o.since).toISOString()} (${ago(o.since, now)})`;
}

function parseRecord(text: string): LeaseRecord | null {
  try {
    const r = JSON.parse(text) as LeaseRecord;
    return typeof r?.pid === "number" && typeof r.host === "string" && typeof r.since === "number" ? r : null;
  } catch {
    return null;
  }
}

export interface AcquireOptions {
  group: string;
  uri: string;
  /** The run directory (default runDir()). */
  dir?: string;
  now?: () => number;
}

export class GroupLease {
  readonly record: LeaseRecord;
  /** What taking the group involved (a stale lease or stale marks taken over), for the run's log. */
  readonly notes: string[] = [];
  #file: LockFile | null;
  #mark: OwnerMark;
  /** The holder before us, whose lock was free: gone, whatever its pid looks like now. */
  #previous: LeaseRecord | null = null;

  private constructor(record: LeaseRecord, file: LockFile | null) {
    this.record = record;
    this.#file = file;
    this.#mark = selfMark(record.since);
  }

  /**
   * Take the group's lease, or throw GroupOwnedError naming the live owner.
   * A lease whose holder is gone (the lock is free) is taken over, and noted.
   */
  static acquire(o: AcquireOptions): GroupLease {
    const now = o.now ?? Date.now;
    const pstart = procStart(process.pid);
    const record: LeaseRecord = { group: o.group, uri: o.uri, pid: process.pid, ...(pstart !== undefined ? { pstart } : {}), host: hostname(), boot: bootId(), since: now() };
    if (o.uri.startsWith("test:")) return new GroupLease(record, null);
    const file = new LockFile(leasePath(o.dir ?? runDir(), o.uri, o.group));
    if (!file.tryLock()) {
      const holder = parseRecord(file.read());
      file.release();
      // Held but not yet written (the holder is between its lock and its write): still a live owner.
      const who = holder ?? { pid: 0, host: hostname(), since: now() };
      throw new GroupOwnedError(refusal(o.group, who, now()), who);
    }
    const before = parseRecord(file.read());
    const lease = new GroupLease(record, file);
    lease.#write();
    if (before && before.pid !== process.pid) {
      lease.#previous = before;
      lease.notes.push(`group '${o.group}': took over the lease of ${describeOwner(before, now())}, which is gone (its lock was free); adopting what it left`);
    }
    return lease;
  }

  /** Add what others should know (the API address once it serves) to the lock file. */
  update(fields: Pick<LeaseRecord, "api" | "front">): void {
    Object.assign(this.record, fields);
    if (this.#file) this.#write();
  }

  #write(): void {
    this.#file!.write(JSON.stringify(this.record) + "\n");
  }

  /**
   * Read the owner marks on the group's VMs: a live process on this host or
   * one on another host (unless force) owns the group: GroupOwnedError. Marks
   * whose process is gone are noted; they are overwritten as the group
   * adopts the VMs.
   */
  checkMarks(conn: Connection, opts: { force?: boolean; now?: number } = {}): void {
    const now = opts.now ?? Date.now();
    const stale = new Map<string, { why: string; vms: string[] }>();
    for (const { name, mark } of groupOwnerMarks(conn, this.record.group)) {
      if (!mark) continue;
      const prev = this.#previous;
      // The holder of this very lease, whose lock the kernel dropped: gone, even while its pid lingers (a zombie, say).
      const s = prev && prev.pid === mark.pid && prev.host === mark.host && prev.boot === mark.boot ? { state: "stale" as const, why: `pid ${mark.pid} is gone (its lease was free)` } : ownerState(mark);
      if (s.state === "self") continue;
      if (s.state === "live") {
        throw new GroupOwnedError(
          `group '${this.record.group}' is owned by ${describeOwner(mark, now)} (the owner mark on VM '${name}'; it reaches libvirt by another URI than ${this.record.uri}); stop it first (kill -TERM ${mark.pid})`,
          mark,
        );
      }
      if (s.state === "foreign") {
        if (!opts.force) {
          throw new GroupOwnedError(
            `group '${this.record.group}' is owned by ${describeOwner(mark, now)} (the owner mark on VM '${name}'); this host cannot tell whether that process still runs: stop it there first, or, if it is gone, take the group over with --force`,
            mark,
          );
        }
        const key = `${mark.host}:${mark.pid}`;
        const e = stale.get(key) ?? { why: `--force: taking over from ${describeOwner(mark, now)}`, vms: [] };
        e.vms.push(name);
        stale.set(key, e);
        continue;
      }
      const key = `${mark.host}:${mark.pid}`;
      const e = stale.get(key) ?? { why: `their owner, ${s.why}`, vms: [] };
      e.vms.push(name);
      stale.set(key, e);
    }
    for (const { why, vms } of stale.values()) this.notes.push(`group '${this.record.group}': owner marks on ${vms.join(", ")}: ${why}; taking them over`);
  }

  /** Mark a VM as this process's (on every VM the group creates, resumes or adopts). */
  claim(conn: Connection, name: string): void {
    writeOwnerMark(conn, name, this.#mark);
  }

  /** Give the group up: the lock file goes (the marks stay: they name a process that is gone, which the next owner takes over). */
  release(): void {
    this.#file?.release({ remove: true });
    this.#file = null;
  }

  /**
   * The group was not taken after all (its marks name another owner): the
   * file says again what it said before, so the next one still learns whose
   * lease was free, then the lock goes.
   */
  giveBack(): void {
    if (!this.#file) return;
    if (this.#previous) {
      this.#file.write(JSON.stringify(this.#previous) + "\n");
      this.#file.release();
    } else this.#file.release({ remove: true });
    this.#file = null;
  }
}

/** The refusal: who owns the group, how to watch it, how to stop it. */
export function refusal(group: string, who: { pid: number; host: string; since: number; api?: string }, now = Date.now()): string {
  if (!who.pid) return `group '${group}' is owned by another virtscale process that is starting right now; try again in a moment`;
  const owned = `group '${group}' is owned by ${describeOwner(who, now)}`;
  const stop = `kill -TERM ${who.pid}: it removes its VMs as it ends`;
  if (who.api) return `${owned}; watch it with \`virtscale top --api ${who.api}\`, or stop it first (${stop})`;
  return `${owned}; stop it first (${stop}); it serves no HTTP API, so \`virtscale top\` cannot watch it (start it with --api HOST:PORT for that)`;
}

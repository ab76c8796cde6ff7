// Who owns a group's VMs, as the domains themselves say it: the owner mark
// (src/vm/metadata.ts, namespace OWNER_MARK_NS) that the owning process writes
// on each VM, and whether the process a mark names still runs. On this host
// that is checked (pid, its start time, the boot id); a mark from another
// host cannot be checked from here.
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { DomainMetadataType, DomainModificationImpact, ErrorNumber, LibvirtError, type Connection, type Domain } from "../../ffi/index.ts";
import { METADATA_NS, OWNER_MARK_NS, OWNER_MARK_PREFIX, ownerMarkXml, parseMetadataXml, parseOwnerMark, type OwnerMark } from "./metadata.ts";
import { pidAlive } from "./operations.ts";

/** This boot of this host (/proc/sys/kernel/random/boot_id); "" where there is none. */
export function bootId(): string {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return "";
  }
}

/** A process's start time in clock ticks after boot (/proc/PID/stat field 22), or undefined when it cannot be read. */
export function procStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces or ")": count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether process `pid` runs on this host: it exists and is not a zombie (a
 * process killed with -9 stays one until its parent reaps it, and
 * kill(pid, 0) still succeeds on it).
 */
export function processRuns(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z" && state !== "X";
  } catch (e) {
    // Gone between the two looks; unreadable otherwise (no /proc): kill(0) said it is there.
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/** The mark this process writes. */
export function selfMark(since: number): OwnerMark {
  const pstart = procStart(process.pid);
  return { host: hostname(), pid: process.pid, ...(pstart !== undefined ? { pstart } : {}), boot: bootId(), since };
}

/**
 * What a mark means from here: "self" (this process), "live" (a running
 * process on this host), "stale" (with why: its process or its boot is gone),
 * or "foreign" (another host: its process cannot be checked from here).
 */
export type OwnerState = { state: "self" } | { state: "live" } | { state: "stale"; why: string } | { state: "foreign" };

export function ownerState(m: OwnerMark, here: { host?: string; boot?: string; pid?: number; alive?: (pid: number) => boolean; start?: (pid: number) => number | undefined } = {}): OwnerState {
  const host = here.host ?? hostname();
  if (m.host !== host) return { state: "foreign" };
  const boot = here.boot ?? bootId();
  if (m.boot && boot && m.boot !== boot) return { state: "stale", why: `pid ${m.pid} ran before this host rebooted (boot ${m.boot.slice(0, 8)})` };
  if (m.pid === (here.pid ?? process.pid)) return { state: "self" };
  if (!(here.alive ?? processRuns)(m.pid)) return { state: "stale", why: `pid ${m.pid} is gone` };
  const start = (here.start ?? procStart)(m.pid);
  if (m.pstart !== undefined && start !== undefined && start !== m.pstart) return { state: "stale", why: `pid ${m.pid} is another process now (started later)` };
  return { state: "live" };
}

const isNoDomain = (e: unknown) => e instanceof LibvirtError && e.code === ErrorNumber.NO_DOMAIN;

/** The live definition when the domain runs, the persistent one when it has one (a managed-saved VM is inactive). */
function impact(d: Domain): number {
  let f = 0;
  if (d.isActive()) f |= DomainModificationImpact.LIVE;
  if (d.isPersistent()) f |= DomainModificationImpact.CONFIG;
  return f;
}

/** `f` on the domain `name` (freed after); `gone` when there is no such domain, before or while `f` runs. */
function onDomain<T>(conn: Connection, name: string, gone: T, f: (d: Domain) => T): T {
  let d: Domain;
  try {
    d = conn.lookupByName(name);
  } catch (e) {
    if (isNoDomain(e)) return gone;
    throw e;
  }
  try {
    return f(d);
  } catch (e) {
    if (isNoDomain(e)) return gone;
    throw e;
  } finally {
    d.free();
  }
}

/** Write `mark` on the domain (live and config). A domain gone meanwhile is not an error: nothing is left to mark. */
export function writeOwnerMark(conn: Connection, name: string, mark: OwnerMark): boolean {
  return onDomain(conn, name, false, (d) => {
    d.setMetadata(DomainMetadataType.ELEMENT, ownerMarkXml(mark), OWNER_MARK_PREFIX, OWNER_MARK_NS, impact(d));
    return true;
  });
}

/** The owner mark of one domain; null when it has none (or is gone). */
export function readOwnerMark(conn: Connection, name: string): OwnerMark | null {
  return onDomain(conn, name, null, ownerOf);
}

function ownerOf(d: Domain): OwnerMark | null {
  try {
    return parseOwnerMark(d.getMetadata(DomainMetadataType.ELEMENT, OWNER_MARK_NS));
  } catch (e) {
    // Gone between listing and reading: it has no owner any more.
    if (isNoDomain(e)) return null;
    throw e;
  }
}

/** Every domain of `group` (virtscale metadata with that group) and its owner mark (null: none). */
export function groupOwnerMarks(conn: Connection, group: string): { name: string; mark: OwnerMark | null }[] {
  const out: { name: string; mark: OwnerMark | null }[] = [];
  for (const d of conn.listAllDomains()) {
    try {
      let meta;
      try {
        meta = parseMetadataXml(d.getMetadata(DomainMetadataType.ELEMENT, METADATA_NS));
      } catch (e) {
        if (isNoDomain(e)) continue; // gone between listing and reading
        throw e;
      }
      if (meta?.group !== group) continue;
      out.push({ name: d.name(), mark: ownerOf(d) });
    } finally {
      d.free();
    }
  }
  return out;
}

// Operations on a VM as other processes see them: the mark in the domain's
// metadata (src/vm/metadata.ts, namespace OP_MARK_NS). The store's registry
// (src/store.ts Operations) covers this process; a `virtscale snapshot` in
// another shell is not in it, so it marks the domain before it pauses it and
// clears the mark after, and the group of a running `up` reads the mark before
// it takes a paused or stopped member for dead. A mark protects its VM only
// while its process lives (same host) and for at most MARK_BOUND_MS: a CLI
// killed mid-save must not keep a VM out of the scaler's hands for ever.
import { hostname } from "node:os";
import { DomainMetadataType, DomainModificationImpact, ErrorNumber, LibvirtError, domainStateName, type Connection, type Domain } from "../../ffi/index.ts";
import type { DomainInspection, Operation } from "../store.ts";
import { OP_MARK_NS, OP_MARK_PREFIX, operationMarkXml, parseOperationMark, type OperationMark } from "./metadata.ts";

/** How long another process's mark keeps its VM busy at most (a save of a 256 MiB TCG guest takes ~2 s here). */
export const MARK_BOUND_MS = 120_000;

const isNoDomain = (e: unknown) => e instanceof LibvirtError && e.code === ErrorNumber.NO_DOMAIN;

/** The mark for an operation this process runs. */
export function markFor(op: Operation, state: OperationMark["state"] = "running", path?: string): OperationMark {
  return {
    state,
    kind: op.kind,
    by: op.by,
    ...(op.mode ? { mode: op.mode } : {}),
    pid: process.pid,
    host: hostname(),
    since: state === "running" ? op.since : Date.now(),
    ...(path !== undefined ? { path } : {}),
  };
}

/** An operation as the registry describes it, from another process's mark. */
export function markOperation(vm: string, m: OperationMark): Operation {
  return {
    vm,
    kind: m.kind,
    by: m.by,
    since: m.since,
    label: `${m.by} pid ${m.pid}: ${m.kind} ${vm}`,
    ...(m.mode ? { mode: m.mode } : {}),
    pid: m.pid,
    host: m.host,
  };
}

/**
 * Live and persistent definition both: a halt leaves the domain inactive,
 * and from then on libvirt reads metadata from its persistent config.
 */
function impact(d: Domain): number {
  let f = 0;
  if (d.isActive()) f |= DomainModificationImpact.LIVE;
  if (d.isPersistent()) f |= DomainModificationImpact.CONFIG;
  return f;
}

function withDomain<T>(conn: Connection, name: string, fn: (d: Domain) => T): T {
  const d = conn.lookupByName(name);
  try {
    return fn(d);
  } finally {
    d.free();
  }
}

/** The domain's mark (live definition when it runs, else its config); null when none. */
export function readMark(conn: Connection, name: string): OperationMark | null {
  return withDomain(conn, name, (d) => parseOperationMark(d.getMetadata(DomainMetadataType.ELEMENT, OP_MARK_NS)));
}

/** Set (or with null, remove) the mark. */
export function writeMark(conn: Connection, name: string, mark: OperationMark | null): void {
  withDomain(conn, name, (d) => {
    const xml = mark ? operationMarkXml(mark) : null;
    d.setMetadata(DomainMetadataType.ELEMENT, xml, mark ? OP_MARK_PREFIX : null, OP_MARK_NS, impact(d));
  });
}

/** Remove the mark from the live definition and the config (a restored image brings back the live XML it was saved with). */
export function clearMark(conn: Connection, name: string): void {
  withDomain(conn, name, (d) => {
    const f = impact(d);
    // One at a time: a transient domain has no config, an inactive one no live definition.
    for (const flag of [DomainModificationImpact.LIVE, DomainModificationImpact.CONFIG]) {
      if (f & flag) d.setMetadata(DomainMetadataType.ELEMENT, null, null, OP_MARK_NS, flag);
    }
  });
}

/** Whether process `pid` runs on this host (EPERM: it does, as another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Why another process's operation no longer protects its VM, or null while
 * it does: its process is gone (checked on this host only: a pid on another
 * host means nothing here), or it has lasted past the bound.
 */
export function markStale(op: Operation, now: number, opts: { boundMs?: number; host?: string; alive?: (pid: number) => boolean } = {}): string | null {
  const bound = opts.boundMs ?? MARK_BOUND_MS;
  const who = `${op.by} pid ${op.pid} on ${op.host}`;
  if (op.pid !== undefined && op.host === (opts.host ?? hostname()) && !(opts.alive ?? pidAlive)(op.pid)) return `its ${op.kind} mark names ${who}, which is gone`;
  const age = now - op.since;
  if (age > bound) return `its ${op.kind} by ${who} has lasted ${(age / 1000).toFixed(0)} s, past the ${(bound / 1000).toFixed(0)} s bound`;
  return null;
}

/** The domain now: state, another process's operation, a halt left by a snapshot; null when it is not defined. */
export function inspectDomain(conn: Connection, name: string): DomainInspection | null {
  try {
    return withDomain(conn, name, (d) => {
      const state = domainStateName(d.state().state);
      const m = parseOperationMark(d.getMetadata(DomainMetadataType.ELEMENT, OP_MARK_NS));
      return {
        state,
        mark: m && m.state === "running" ? markOperation(name, m) : null,
        halted: m && m.state === "halted" ? { path: m.path ?? "", since: m.since } : null,
      };
    });
  } catch (e) {
    if (isNoDomain(e)) return null;
    throw e;
  }
}

// Worker thread behind AsyncConnection: owns its own connection and runs the
// blocking libvirt calls (start, save, restore, the bulk stats sample, the
// domain listing, ...) so the caller's event loop keeps running. One request
// at a time, in arrival order. The connection comes back by itself after a
// loss (ffi/keeper.ts): reads run again on the new connection at once, other
// calls only when the request never reached the daemon.
//
// The same module is also libvirt's event loop thread (ffi/event-loop.ts)
// when its first message says so: one worker entrypoint to bundle.
import { ConnectionKeeper, KEEPALIVE, type Retry } from "./keeper.ts";
import type { Domain, SaveOptions } from "./domain.ts";
import type { Connection } from "./connection.ts";
import { LibvirtError } from "./errors.ts";
import { listDomains, type ListDomainsOptions } from "./listing.ts";
import { startEventLoop } from "./event-loop.ts";
import {
  virDomainGetSchedulerParameters, virDomainManagedSaveDefineXML, virDomainManagedSaveGetXMLDesc, virDomainSetSchedulerParameters, virNodeGetCPUStats, virNodeGetFreeMemory, virNodeGetInfo, type TypedParamIn,
} from "./node.ts";
import type { AsyncRequest, AsyncResponse, LoopCommand } from "./async-protocol.ts";
import { virStoragePoolLookupByName, virStoragePoolRefresh, virStorageVolCreateXML, virStorageVolDelete, virStorageVolLookupByPath } from "./storage.ts";

declare const self: { onmessage: ((ev: MessageEvent) => void) | null; postMessage(msg: unknown): void; close(): void };

let keeper: ConnectionKeeper | null = null;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function on<T>(fn: (c: Connection) => T, retry: Retry = "unsent"): T {
  if (!keeper) throw new Error("AsyncConnection is not open");
  return keeper.run(fn, retry);
}

function withDomain<T>(ref: unknown, fn: (d: Domain) => T, retry: Retry = "unsent"): T {
  if (typeof ref !== "string" || ref === "") throw new TypeError(`domain name or UUID expected, got ${JSON.stringify(ref)}`);
  return on((c) => {
    const d = UUID.test(ref) ? c.lookupByUUIDString(ref) : c.lookupByName(ref);
    try {
      return fn(d);
    } finally {
      d.free();
    }
  }, retry);
}

const num = (v: unknown) => (typeof v === "number" ? v : 0);

function handle(op: AsyncRequest["op"], a: unknown[]): unknown {
  switch (op) {
    case "open": {
      keeper?.close();
      const opts = (a[1] ?? {}) as { readOnly?: boolean };
      keeper = new ConnectionKeeper(a[0] as string, { readOnly: opts.readOnly, keepAlive: KEEPALIVE });
      return keeper.get().uri;
    }
    case "close":
      keeper?.close();
      keeper = null;
      return null;
    case "cpuStats":
      return on((c) => c.cpuStats(num(a[0]), (a[1] as string[] | null) ?? undefined), "always");
    case "listDomains":
      return on((c) => listDomains(c, (a[0] ?? {}) as ListDomainsOptions), "always");
    case "defineXML":
      return on((c) => {
        const d = c.defineXML(String(a[0]));
        try {
          return { name: d.name(), uuid: d.uuidString() };
        } finally {
          d.free();
        }
      });
    case "createXML":
      return on((c) => {
        const d = c.createXML(String(a[0]), num(a[1]));
        try {
          return { name: d.name(), uuid: d.uuidString(), id: d.id() };
        } finally {
          d.free();
        }
      });
    case "start":
      return withDomain(a[0], (d) => d.create(num(a[1])));
    case "shutdown":
      return withDomain(a[0], (d) => d.shutdown());
    case "destroy":
      return withDomain(a[0], (d) => d.destroy());
    case "undefine":
      return withDomain(a[0], (d) => d.undefine(num(a[1])));
    case "save":
      return withDomain(a[0], (d) => d.save(String(a[1]), (a[2] ?? {}) as SaveOptions));
    case "restore":
      return on((c) => c.restore(String(a[0]), (a[1] ?? {}) as SaveOptions));
    case "managedSave":
      return withDomain(a[0], (d) => d.managedSave(num(a[1])));
    case "suspend":
      return withDomain(a[0], (d) => d.suspend());
    case "resume":
      return withDomain(a[0], (d) => d.resume());
    case "nodeGetInfo":
      return on((c) => virNodeGetInfo(c), "always");
    case "nodeGetCPUStats":
      return on((c) => virNodeGetCPUStats(c, typeof a[0] === "number" ? a[0] : undefined), "always");
    case "nodeGetFreeMemory":
      return on((c) => virNodeGetFreeMemory(c), "always");
    case "domainSetSchedulerParameters":
      return withDomain(a[0], (d) => virDomainSetSchedulerParameters(d, a[1] as TypedParamIn[], num(a[2])));
    case "domainGetSchedulerParameters":
      return withDomain(a[0], (d) => virDomainGetSchedulerParameters(d, num(a[1])), "always");
    case "isActive":
      return withDomain(a[0], (d) => d.isActive(), "always");
    case "managedSaveGetXMLDesc":
      return withDomain(a[0], (d) => virDomainManagedSaveGetXMLDesc(d, num(a[1])), "always");
    case "managedSaveDefineXML":
      return withDomain(a[0], (d) => virDomainManagedSaveDefineXML(d, String(a[1]), num(a[2])));
    case "storageVolCreateXML":
      return on((c) => {
        using pool = virStoragePoolLookupByName(c, String(a[0]));
        using vol = virStorageVolCreateXML(pool, String(a[1]), num(a[2]));
        return { name: vol.name(), path: vol.path() };
      });
    case "storageVolDelete":
      return on((c) => {
        using vol = virStorageVolLookupByPath(c, String(a[0]));
        virStorageVolDelete(vol, num(a[1]));
      });
    case "storagePoolRefresh":
      return on((c) => {
        using pool = virStoragePoolLookupByName(c, String(a[0]));
        virStoragePoolRefresh(pool);
      });
    case "snapshotCreateXML":
      return withDomain(a[0], (d) => {
        const snap = d.snapshotCreateXML(String(a[1]), num(a[2]));
        try {
          return snap.name();
        } finally {
          snap.free();
        }
      });
  }
  throw new Error(`unknown AsyncConnection operation '${op}'`);
}

self.onmessage = (ev: MessageEvent) => {
  if ((ev.data as LoopCommand)?.kind === "loop") {
    // From now on this thread runs libvirt's event loop; it answers loop commands only.
    startEventLoop(self);
    return;
  }
  const req = ev.data as AsyncRequest;
  let res: AsyncResponse;
  try {
    res = { id: req.id, ok: true, value: handle(req.op, req.args) ?? null };
  } catch (e) {
    res = e instanceof LibvirtError
      ? { id: req.id, ok: false, libvirt: e.toFields() }
      : { id: req.id, ok: false, name: (e as Error)?.name ?? "Error", message: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage(res);
};

// Tell the caller we are listening: a message posted while this module was still
// evaluating (the FFI adapter loads with top-level await) could otherwise be lost.
self.postMessage({ ready: true });

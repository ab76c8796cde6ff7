// Worker thread behind AsyncConnection: owns its own Connection and runs the
// blocking libvirt calls (start, save, restore, ...) so the caller's event loop
// keeps running. One request at a time, in arrival order.
import { Connection } from "./connection.ts";
import type { Domain, SaveOptions } from "./domain.ts";
import { LibvirtError } from "./errors.ts";
import type { AsyncRequest, AsyncResponse } from "./async-protocol.ts";

declare const self: { onmessage: ((ev: MessageEvent) => void) | null; postMessage(msg: unknown): void; close(): void };

let conn: Connection | null = null;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function connection(): Connection {
  if (!conn) throw new Error("AsyncConnection is not open");
  return conn;
}

function withDomain<T>(ref: unknown, fn: (d: Domain) => T): T {
  if (typeof ref !== "string" || ref === "") throw new TypeError(`domain name or UUID expected, got ${JSON.stringify(ref)}`);
  const c = connection();
  const d = UUID.test(ref) ? c.lookupByUUIDString(ref) : c.lookupByName(ref);
  try {
    return fn(d);
  } finally {
    d.free();
  }
}

const num = (v: unknown) => (typeof v === "number" ? v : 0);

function handle(op: AsyncRequest["op"], a: unknown[]): unknown {
  switch (op) {
    case "open":
      conn?.close();
      conn = Connection.open(a[0] as string);
      return conn.uri;
    case "close":
      conn?.close();
      conn = null;
      return null;
    case "defineXML": {
      const d = connection().defineXML(String(a[0]));
      try {
        return { name: d.name(), uuid: d.uuidString() };
      } finally {
        d.free();
      }
    }
    case "createXML": {
      const d = connection().createXML(String(a[0]), num(a[1]));
      try {
        return { name: d.name(), uuid: d.uuidString(), id: d.id() };
      } finally {
        d.free();
      }
    }
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
      return connection().restore(String(a[0]), (a[1] ?? {}) as SaveOptions);
    case "managedSave":
      return withDomain(a[0], (d) => d.managedSave(num(a[1])));
    case "suspend":
      return withDomain(a[0], (d) => d.suspend());
    case "resume":
      return withDomain(a[0], (d) => d.resume());
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

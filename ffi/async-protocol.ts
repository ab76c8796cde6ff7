// Messages between the caller thread and ffi/worker.ts. One worker module
// plays two roles, chosen by its first message: the slow calls of an
// AsyncConnection (requests and answers by id), or libvirt's event loop
// (ffi/event-loop.ts, driven by ffi/events.ts: lifecycle and connection events).
import type { LibvirtErrorFields } from "./errors.ts";

export type AsyncOp =
  | "open" | "close" | "defineXML" | "createXML" | "start" | "shutdown" | "destroy" | "undefine"
  | "save" | "restore" | "managedSave" | "suspend" | "resume" | "snapshotCreateXML"
  | "cpuStats" | "listDomains"
  | "nodeGetInfo" | "nodeGetCPUStats" | "nodeGetFreeMemory" | "domainSetSchedulerParameters" | "domainGetSchedulerParameters"
  | "managedSaveGetXMLDesc" | "managedSaveDefineXML" | "isActive"
  | "storageVolCreateXML" | "storageVolDelete" | "storagePoolRefresh";

export interface AsyncRequest {
  id: number;
  op: AsyncOp;
  args: unknown[];
}

export type AsyncResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; libvirt: LibvirtErrorFields }
  | { id: number; ok: false; name: string; message: string };

/** A failure as it crosses the thread boundary. */
export type WireError = { libvirt: LibvirtErrorFields } | { name: string; message: string };

// ---- event loop role ----

/** Caller -> worker. `loop` (first message) turns the worker into the event loop. */
export type LoopCommand =
  | { kind: "loop" }
  | { kind: "watch"; watch: number; uri: string; reconnect?: boolean }
  | { kind: "unwatch"; watch: number }
  /** Watch a local process (a domain's QEMU) for its exit: a pidfd in the same loop. */
  | { kind: "process"; token: number; pid: number }
  | { kind: "unprocess"; token: number }
  | { kind: "stop" };

/** Worker -> caller. `at`: Date.now() on the worker when libvirt called back. */
export type LoopMessage =
  /** `timer`: the loop's wake-up timer; the caller sets it to 0 (virEventUpdateTimeout, thread-safe) to have a command read at once. */
  | { kind: "loop"; ok: true; timer: number }
  | { kind: "loop"; ok: false; error: WireError }
  | { kind: "watched"; watch: number; ok: true }
  | { kind: "watched"; watch: number; ok: false; error: WireError }
  | { kind: "unwatched"; watch: number }
  | { kind: "lifecycle"; watch: number; name: string; uuid: string; event: number; detail: number; at: number }
  | { kind: "connection"; watch: number; state: "lost" | "open"; reason?: string; error?: string; at: number }
  /** The watched process ended (or was already gone: `already`); or it cannot be watched (`error`). */
  | { kind: "exited"; token: number; pid: number; already: boolean; at: number }
  | { kind: "process"; token: number; ok: false; error: string }
  | { kind: "stopped" };

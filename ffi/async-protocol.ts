// Messages between AsyncConnection (caller thread) and ffi/worker.ts.
import type { LibvirtErrorFields } from "./errors.ts";

export type AsyncOp =
  | "open" | "close" | "defineXML" | "createXML" | "start" | "shutdown" | "destroy" | "undefine"
  | "save" | "restore" | "managedSave" | "suspend" | "resume" | "snapshotCreateXML";

export interface AsyncRequest {
  id: number;
  op: AsyncOp;
  args: unknown[];
}

export type AsyncResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; libvirt: LibvirtErrorFields }
  | { id: number; ok: false; name: string; message: string };

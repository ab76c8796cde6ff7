// The one error shape every API answer uses (contract):
//   {"error":{"code":400,"reason":"Bad Request","description":"..."}}
// and the mapping from what handlers throw (our ApiError, libvirt's errors,
// path confinement errors, the snapshot use case's refusals, a busy VM) to a
// status. 500 is kept for libvirt failures, with libvirt's own message and
// code in the description; a full disk is a 507 with that message.
import { ErrorNumber, LibvirtError } from "../../ffi/index.ts";
import { BusyError } from "../store.ts";
import { RunEndingError } from "../scaler/owned-vms.ts";
import { PathError } from "../vm/paths.ts";
import { SnapshotError } from "../vm/snapshot-descriptor.ts";
import { json } from "./route.ts";
import { errorMessage } from "../errors.ts";

export const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  500: "Internal Server Error",
  503: "Service Unavailable",
  507: "Insufficient Storage",
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = "ApiError";
  }
}

export interface ErrorBody {
  error: { code: number; reason: string; description: string };
}

export function errorBody(status: number, description: string): ErrorBody {
  return { error: { code: status, reason: REASONS[status] ?? "Error", description } };
}

export function errorResponse(status: number, description: string, headers: Record<string, string> = {}): Response {
  return json(status, errorBody(status, description), headers);
}

/** libvirt error codes that say "the request does not fit the VM's state or does not exist", not "libvirt broke". */
const LIBVIRT_STATUS: Record<number, number> = {
  [ErrorNumber.NO_DOMAIN]: 404,
  [ErrorNumber.OPERATION_INVALID]: 409,
  [ErrorNumber.DOM_EXIST]: 409,
};

export function describeLibvirt(e: LibvirtError): string {
  return `libvirt: ${e.libvirtMessage} (code ${e.code} ${e.codeName}, domain ${e.domain} ${e.domainName}, in ${e.func})`;
}

/**
 * What a thrown value means for the client. `field` names the request field a
 * path came from, so a PathError says which field was refused.
 */
const SNAPSHOT_STATUS: Record<SnapshotError["kind"], number> = { invalid: 400, missing: 404, conflict: 409 };

/** libvirt's or the system's "the disk is full" (ENOSPC, EDQUOT): libvirt passes the errno's text on in its message. */
const NO_SPACE = /no space left on device|disk quota exceeded/i;
const NO_SPACE_CODES = new Set(["ENOSPC", "EDQUOT"]);

export function toApiError(e: unknown, field?: string): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof PathError) return new ApiError(400, `${field ? field + ": " : ""}${e.message}`);
  if (e instanceof SnapshotError) return new ApiError(SNAPSHOT_STATUS[e.kind], e.message);
  if (e instanceof BusyError) return new ApiError(409, e.message);
  // The run is ending (its VMs are being removed): the service is going away, not broken.
  if (e instanceof RunEndingError) return new ApiError(503, e.message);
  if (e instanceof LibvirtError) return new ApiError(NO_SPACE.test(e.libvirtMessage) ? 507 : (LIBVIRT_STATUS[e.code] ?? 500), describeLibvirt(e));
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === "string" && NO_SPACE_CODES.has(code)) return new ApiError(507, `no space left: ${errorMessage(e)}`);
  // libvirt errors that crossed the worker boundary keep their fields even if not the class.
  const maybe = e as { name?: string; code?: unknown; libvirtMessage?: unknown };
  if (maybe && maybe.name === "LibvirtError" && typeof maybe.code === "number") return toApiError(new LibvirtError(maybe as never));
  return new ApiError(500, `internal error: ${errorMessage(e)}`);
}

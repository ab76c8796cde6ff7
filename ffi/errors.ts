// libvirt failures as typed JS errors. libvirt keeps the last error in
// thread-local storage, so it is read right after the failing call, on the
// same thread, before any other libvirt call can overwrite it.
import { ErrorDomain, ErrorDomain_NAMES, ErrorNumber, ErrorNumber_NAMES, ErrorLevel_NAMES } from "./generated/enums.ts";

export interface LibvirtErrorFields {
  code: number;
  domain: number;
  level: number;
  message: string;
  func: string;
  str1?: string | null;
  str2?: string | null;
  str3?: string | null;
  int1?: number;
  int2?: number;
}

export class LibvirtError extends Error {
  /** virErrorNumber, e.g. 42 (VIR_ERR_NO_DOMAIN). */
  readonly code: number;
  /** virErrorDomain: which part of libvirt raised it, e.g. 12 (VIR_FROM_TEST). */
  readonly domain: number;
  readonly codeName: string;
  readonly domainName: string;
  /** virErrorLevel: 1 warning, 2 error. */
  readonly level: number;
  readonly levelName: string;
  /** The C function that failed, e.g. "virDomainLookupByName". */
  readonly func: string;
  /** libvirt's own message, unchanged. */
  readonly libvirtMessage: string;
  readonly str1: string | null;
  readonly str2: string | null;
  readonly str3: string | null;
  readonly int1: number;
  readonly int2: number;

  constructor(f: LibvirtErrorFields) {
    const codeName = ErrorNumber_NAMES[f.code] ?? `VIR_ERR_${f.code}`;
    super(`${f.message} (${f.func}: ${codeName})`);
    this.name = "LibvirtError";
    this.code = f.code;
    this.domain = f.domain;
    this.codeName = codeName;
    this.domainName = ErrorDomain_NAMES[f.domain] ?? `VIR_FROM_${f.domain}`;
    this.level = f.level;
    this.levelName = ErrorLevel_NAMES[f.level] ?? String(f.level);
    this.func = f.func;
    this.libvirtMessage = f.message;
    this.str1 = f.str1 ?? null;
    this.str2 = f.str2 ?? null;
    this.str3 = f.str3 ?? null;
    this.int1 = f.int1 ?? 0;
    this.int2 = f.int2 ?? 0;
  }

  /** Plain fields, for crossing a Worker boundary (structured clone drops class identity). */
  toFields(): LibvirtErrorFields {
    return {
      code: this.code, domain: this.domain, level: this.level, message: this.libvirtMessage, func: this.func,
      str1: this.str1, str2: this.str2, str3: this.str3, int1: this.int1, int2: this.int2,
    };
  }
}

/** libvirt.so.0 could not be loaded. */
export class LibvirtMissingError extends Error {
  constructor(path: string, cause: string) {
    super(`${path} not found or not loadable (${cause}): install the libvirt client library, e.g. apt-get install libvirt0`);
    this.name = "LibvirtMissingError";
  }
}

/** The installed libvirt lacks a function the binding knows (older libvirt). */
export class LibvirtSymbolError extends LibvirtError {
  constructor(symbol: string) {
    super({ code: 3 /* VIR_ERR_NO_SUPPORT */, domain: 0, level: 2, message: `symbol ${symbol} not in this libvirt`, func: symbol });
    this.name = "LibvirtSymbolError";
  }
}

/** A method was called on a libvirt object after free()/close(). */
export class UseAfterFreeError extends Error {
  constructor(kind: string, what: string) {
    super(`${kind} ${what} was already ${kind === "Connection" ? "closed" : "freed"}`);
    this.name = "UseAfterFreeError";
  }
}

// What a dead transport to the daemon looks like (libvirtd restarted or killed,
// socket closed, keepalive timeout): raised by the client's RPC layer itself,
// e.g. "Cannot write data: Broken pipe", "internal error: client socket is
// closed", "End of file while reading data: Input/output error".
const LOST_CODES = new Set<number>([ErrorNumber.SYSTEM_ERROR, ErrorNumber.INTERNAL_ERROR, ErrorNumber.RPC]);
const LOST_TEXT = /broken pipe|client socket is closed|end of file while reading|connection reset by peer|keepalive timeout|not connected|cannot recv data/i;
/** Failures raised before the request left this process: the daemon never saw it, so any call may be retried. */
const UNSENT_TEXT = /cannot write data|client socket is closed|broken pipe/i;

/**
 * Whether `e` says the connection to the daemon is gone (then reopen it), as
 * opposed to the call failing on its own (no such domain, bad XML, ...).
 */
export function isConnectionLost(e: unknown): e is LibvirtError {
  if (!(e instanceof LibvirtError)) return false;
  if (e.domain === ErrorDomain.RPC && LOST_CODES.has(e.code)) return true;
  return (e.code === ErrorNumber.SYSTEM_ERROR || e.code === ErrorNumber.INTERNAL_ERROR) && LOST_TEXT.test(e.libvirtMessage);
}

/** A lost connection noticed while sending: the request never reached the daemon (safe to send again on a new connection). */
export function isUnsent(e: unknown): boolean {
  return isConnectionLost(e) && UNSENT_TEXT.test(e.libvirtMessage);
}

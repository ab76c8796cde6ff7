// virConnectPtr wrapper: open/close, host facts, domain lookup/define, and bulk
// statistics. Lost connections are detected by polling (see onClose).
import { C, runtime, check, checkPtr, cstr, cstrOrNull, takeString, borrowString, lastError, takePointerArray, versionString, type Ptr } from "./lib.ts";
import { Handle } from "./handle.ts";
import { Domain, type SaveOptions } from "./domain.ts";
import { decodeStatsList, type DomainStats, type DomainStatsRecord } from "./stats.ts";
import { cpuStats } from "./cpu.ts";

export interface NodeInfo {
  model: string;
  memoryKiB: number;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

export type CloseReason = "error" | "eof" | "keepalive" | "client";

const u64out = new BigUint64Array(1);
const outPtr = new BigUint64Array(1);
const nodeInfo64 = new Uint8Array(64);
const nodeView = new DataView(nodeInfo64.buffer);

/**
 * virConnectClose drops our reference. libvirt keeps the C connection until the
 * last child (Domain, snapshot) holding a reference is freed, so closing a
 * Connection with live Domains is safe: those keep working until freed.
 */
const closeConnection = (p: Ptr) => {
  C.virConnectClose(p);
};

export class Connection extends Handle {
  protected readonly kind = "Connection";
  readonly uri: string;
  #pollers = new Set<ReturnType<typeof setInterval>>();

  private constructor(p: Ptr, uri: string) {
    super(p, closeConnection);
    this.uri = uri;
  }

  protected override describe(): string {
    return `'${this.uri}'`;
  }

  /**
   * Opens `uri` (default: $LIBVIRT_DEFAULT_URI, else libvirt's own default).
   * Any libvirt URI: test:///default, qemu:///system, qemu+ssh://host/system, ...
   */
  static open(uri?: string | null, opts: { readOnly?: boolean } = {}): Connection {
    const name = uri ?? (globalThis as any).process?.env?.LIBVIRT_DEFAULT_URI ?? null;
    const p = opts.readOnly ? C.virConnectOpenReadOnly(cstrOrNull(name)) : C.virConnectOpen(cstrOrNull(name));
    if (runtime.isNull(p)) throw lastError(opts.readOnly ? "virConnectOpenReadOnly" : "virConnectOpen");
    const actual = takeString(C.virConnectGetURI(p)) ?? name ?? "";
    return new Connection(p, actual);
  }

  close(): void {
    for (const t of this.#pollers) clearInterval(t);
    this.#pollers.clear();
    this.releaseOnce();
  }

  /** `using` closes like close(): its pollers stop too, not only the reference. */
  override [Symbol.dispose](): void {
    this.close();
  }

  get closed(): boolean {
    return this.released;
  }

  /**
   * virConnectSetKeepAlive: the client pings the daemon every intervalS when
   * idle and closes the connection after `count` unanswered pings, which also
   * ends a call that is waiting on a peer that went silent (a network that drops
   * packets) instead of waiting for TCP to give up. Needs libvirt's event loop
   * registered in this process (ffi/event-loop.ts, DomainEvents); false (and
   * nothing set) without it, or on drivers without a transport.
   */
  setKeepAlive(intervalS: number, count: number): boolean {
    if (C.virConnectSetKeepAlive(this.ptr, intervalS, count) < 0) {
      C.virResetLastError();
      return false;
    }
    return true;
  }

  /** virConnectIsAlive: false once the transport to the daemon is gone (remote drivers). */
  isAlive(): boolean {
    return check(C.virConnectIsAlive(this.ptr), "virConnectIsAlive") === 1;
  }

  /**
   * Calls `cb` once when the connection is lost. virConnectRegisterCloseCallback
   * only fires with a libvirt event loop running on some thread, which FFI cannot
   * do safely, so this polls instead: every `intervalMs`, virConnectIsAlive and a
   * cheap round trip (virConnectGetLibVersion, an RPC on remote drivers, which is
   * what notices a closed socket when no event loop reads it). Returns an
   * unsubscribe function. The timer does not keep the process alive.
   */
  onClose(cb: (reason: CloseReason) => void, intervalMs = 1000): () => void {
    const t = setInterval(() => {
      if (this.released) return stop();
      let reason: CloseReason | null = null;
      if (C.virConnectIsAlive(this.ptr) !== 1) reason = "eof";
      else if (C.virConnectGetLibVersion(this.ptr, u64out) < 0) {
        const err = lastError("virConnectGetLibVersion");
        reason = err.domainName === "VIR_FROM_RPC" || err.code === 38 /* VIR_ERR_SYSTEM_ERROR */ ? "eof" : "error";
      }
      if (reason) {
        stop();
        cb(reason);
      }
    }, intervalMs);
    (t as any).unref?.();
    this.#pollers.add(t);
    const stop = () => {
      clearInterval(t);
      this.#pollers.delete(t);
    };
    return stop;
  }

  /** libvirt library version, e.g. "9.0.0". */
  libVersion(): string {
    check(C.virConnectGetLibVersion(this.ptr, u64out), "virConnectGetLibVersion");
    return versionString(u64out[0]!);
  }

  hypervisorVersion(): string {
    check(C.virConnectGetVersion(this.ptr, u64out), "virConnectGetVersion");
    return versionString(u64out[0]!);
  }

  hypervisorType(): string {
    return borrowString(checkPtr(C.virConnectGetType(this.ptr), "virConnectGetType"))!;
  }

  hostname(): string {
    return takeString(checkPtr(C.virConnectGetHostname(this.ptr), "virConnectGetHostname"))!;
  }

  nodeInfo(): NodeInfo {
    check(C.virNodeGetInfo(this.ptr, nodeInfo64), "virNodeGetInfo");
    // struct _virNodeInfo { char model[32]; unsigned long memory; unsigned int cpus; int mhz, nodes, sockets, cores, threads; }
    const end = nodeInfo64.indexOf(0);
    return {
      model: new TextDecoder().decode(nodeInfo64.subarray(0, end < 0 || end > 32 ? 32 : end)),
      memoryKiB: Number(nodeView.getBigUint64(32, true)),
      cpus: nodeView.getUint32(40, true),
      mhz: nodeView.getInt32(44, true),
      nodes: nodeView.getInt32(48, true),
      sockets: nodeView.getInt32(52, true),
      cores: nodeView.getInt32(56, true),
      threads: nodeView.getInt32(60, true),
    };
  }

  capabilities(): string {
    return takeString(checkPtr(C.virConnectGetCapabilities(this.ptr), "virConnectGetCapabilities"))!;
  }

  /** All domains (ConnectListAllDomainsFlags filter); the caller frees each (or `using`). */
  listAllDomains(flags = 0): Domain[] {
    const n = check(C.virConnectListAllDomains(this.ptr, outPtr, flags), "virConnectListAllDomains");
    return takePointerArray(runtime.ptrFromAddr(outPtr[0]!), n).map((p) => new Domain(p, this));
  }

  lookupByName(name: string): Domain {
    return new Domain(checkPtr(C.virDomainLookupByName(this.ptr, cstr(name)), "virDomainLookupByName"), this);
  }

  lookupByUUIDString(uuid: string): Domain {
    return new Domain(checkPtr(C.virDomainLookupByUUIDString(this.ptr, cstr(uuid)), "virDomainLookupByUUIDString"), this);
  }

  lookupById(id: number): Domain {
    return new Domain(checkPtr(C.virDomainLookupByID(this.ptr, id), "virDomainLookupByID"), this);
  }

  /** Defines a persistent domain (not started). */
  defineXML(xml: string, flags = 0): Domain {
    const p = flags
      ? C.virDomainDefineXMLFlags(this.ptr, cstr(xml), flags)
      : C.virDomainDefineXML(this.ptr, cstr(xml));
    return new Domain(checkPtr(p, flags ? "virDomainDefineXMLFlags" : "virDomainDefineXML"), this);
  }

  /** Creates and starts a transient domain (DomainCreateFlags). Slow on QEMU: prefer AsyncConnection. */
  createXML(xml: string, flags = 0): Domain {
    return new Domain(checkPtr(C.virDomainCreateXML(this.ptr, cstr(xml), flags), "virDomainCreateXML"), this);
  }

  /** virDomainRestoreFlags. Slow: prefer AsyncConnection. */
  restore(path: string, opts: SaveOptions = {}): void {
    check(C.virDomainRestoreFlags(this.ptr, cstr(path), cstrOrNull(opts.dxml), opts.flags ?? 0), "virDomainRestoreFlags");
  }

  saveImageGetXMLDesc(path: string, flags = 0): string {
    return takeString(
      checkPtr(C.virDomainSaveImageGetXMLDesc(this.ptr, cstr(path), flags), "virDomainSaveImageGetXMLDesc"),
    )!;
  }

  /** virConnectGetAllDomainStats: `stats` is a DomainStatsTypes mask, `flags` ConnectGetAllDomainStatsFlags. */
  getAllDomainStats(stats: number, flags = 0): DomainStatsRecord[] {
    const n = check(C.virConnectGetAllDomainStats(this.ptr, stats, outPtr, flags), "virConnectGetAllDomainStats");
    const list = runtime.ptrFromAddr(outPtr[0]!);
    try {
      return decodeStatsList(list, n);
    } finally {
      C.virDomainStatsRecordListFree(list);
    }
  }

  /** ffi/cpu.ts cpuStats on this connection: what the monitor samples (AsyncConnection has the same call on its worker). */
  cpuStats(flags = 0, complete?: Iterable<string>): DomainStats[] {
    return cpuStats(this, flags, complete);
  }

  /** virDomainListGetStats for the given domains (all must belong to this connection). */
  domainListGetStats(domains: Domain[], stats: number, flags = 0): DomainStatsRecord[] {
    const arr = new BigUint64Array(domains.length + 1); // NULL-terminated
    for (let i = 0; i < domains.length; i++) arr[i] = runtime.addrOf(domains[i]!.ptr);
    const n = check(C.virDomainListGetStats(arr, stats, outPtr, flags), "virDomainListGetStats");
    const list = runtime.ptrFromAddr(outPtr[0]!);
    try {
      return decodeStatsList(list, n);
    } finally {
      C.virDomainStatsRecordListFree(list);
    }
  }
}

// virtscale's libvirt binding: bun:ffi / Deno.dlopen over libvirt.so.0.
// See ffi/README.md for ownership rules, threads and lost-connection detection.
export { Connection, type NodeInfo, type CloseReason } from "./connection.ts";
export { Domain, type DomainInfo, type InterfaceAddresses, type SaveOptions } from "./domain.ts";
export { DomainSnapshot } from "./snapshot.ts";
export { type DomainStatsRecord, type StatValue } from "./stats.ts";
export { LibvirtError, LibvirtMissingError, LibvirtSymbolError, UseAfterFreeError, type LibvirtErrorFields } from "./errors.ts";
export { AsyncConnection } from "./async.ts";
export * from "./generated/enums.ts";
export { domainStateName } from "./names.ts";
export { runtime } from "./runtime/index.ts";

// virtscale's libvirt binding: bun:ffi / Deno.dlopen over libvirt.so.0.
// See ffi/README.md for ownership rules, threads and lost-connection detection.
export { Connection, type NodeInfo, type CloseReason } from "./connection.ts";
export { Domain, type DomainInfo, type InterfaceAddresses, type SaveOptions } from "./domain.ts";
export { DomainSnapshot } from "./snapshot.ts";
export {
  domainStats,
  type DomainStats,
  type DomainStatsBalloon,
  type DomainStatsCpu,
  type DomainStatsRecord,
  type DomainStatsState,
  type DomainStatsVcpu,
  type StatValue,
} from "./stats.ts";
export { CPU_STATS, cpuStats, withInfo, type CpuStatsSource } from "./cpu.ts";
export { LibvirtError, LibvirtMissingError, LibvirtSymbolError, UseAfterFreeError, isConnectionLost, isUnsent, type LibvirtErrorFields } from "./errors.ts";
export { AsyncConnection } from "./async.ts";
export { DomainEvents, type LifecycleEvent, type ConnectionEvent, type ProcessExit } from "./events.ts";
export { ConnectionKeeper, KEEPALIVE, type KeeperOptions, type Retry } from "./keeper.ts";
export { listDomains, type DomainListing, type ListDomainsOptions } from "./listing.ts";
export {
  virNodeGetInfo, virNodeGetCPUStats, virNodeGetFreeMemory, virDomainSetSchedulerParameters, virDomainGetSchedulerParameters, virDomainManagedSaveGetXMLDesc, virDomainManagedSaveDefineXML, type TypedParamIn,
} from "./node.ts";
export {
  StoragePool, StorageVol, type StorageVolInfo, virStoragePoolLookupByName, virStoragePoolLookupByTargetPath, virStoragePoolLookupByVolume, virStoragePoolRefresh, virStoragePoolCreateXML, virStoragePoolDestroy, virStorageVolCreateXML, virStorageVolDelete, virStorageVolLookupByName, virStorageVolLookupByPath,
} from "./storage.ts";
export * from "./generated/enums.ts";
export { domainStateName, lifecycleEventName, lifecycleDetailName } from "./names.ts";
export { runtime } from "./runtime/index.ts";

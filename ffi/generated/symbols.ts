// GENERATED FILE, DO NOT EDIT. The libvirt C functions the binding can call, with their ABI types.
// Regenerate with `bun run gen:ffi` (ffi/gen/generate.ts) from libvirt-api.xml (libvirt-dev).
import type { Ptr, Buf, SymbolDef } from "../runtime/types.ts";

/** 509 functions. Types: ptr = pointer libvirt gave us, buf = JS Uint8Array (strings, out-params). */
export const SYMBOLS = {
  virConnCopyLastError: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virErrorPtr to
    ],
    returns: "i32", // int
  },
  virConnectBaselineCPU: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char ** xmlCPUs
      "u32", // unsigned int ncpus
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectBaselineHypervisorCPU: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * emulator
      "buf", // const char * arch
      "buf", // const char * machine
      "buf", // const char * virttype
      "buf", // const char ** xmlCPUs
      "u32", // unsigned int ncpus
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectClose: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectCompareCPU: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectCompareHypervisorCPU: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * emulator
      "buf", // const char * arch
      "buf", // const char * machine
      "buf", // const char * virttype
      "buf", // const char * xmlCPU
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectDomainEventDeregister: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virConnectDomainEventCallback cb
    ],
    returns: "i32", // int
  },
  virConnectDomainEventDeregisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int callbackID
    ],
    returns: "i32", // int
  },
  virConnectDomainEventRegisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virDomainPtr dom
      "i32", // int eventID
      "ptr", // virConnectDomainEventGenericCallback cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback freecb
    ],
    returns: "i32", // int
  },
  virConnectDomainXMLFromNative: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * nativeFormat
      "buf", // const char * nativeConfig
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectDomainXMLToNative: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * nativeFormat
      "buf", // const char * domainXml
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectFindStoragePoolSources: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * type
      "buf", // const char * srcSpec
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectGetAllDomainStats: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int stats
      "buf", // virDomainStatsRecordPtr ** retStats
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectGetCapabilities: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "ptr", // char *
  },
  virConnectGetCPUModelNames: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * arch
      "buf", // char *** models
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectGetDomainCapabilities: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * emulatorbin
      "buf", // const char * arch
      "buf", // const char * machine
      "buf", // const char * virttype
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectGetHostname: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "ptr", // char *
  },
  virConnectGetLibVersion: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // unsigned long * libVer
    ],
    returns: "i32", // int
  },
  virConnectGetMaxVcpus: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * type
    ],
    returns: "i32", // int
  },
  virConnectGetStoragePoolCapabilities: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectGetSysinfo: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virConnectGetType: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "ptr", // const char *
  },
  virConnectGetURI: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "ptr", // char *
  },
  virConnectGetVersion: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // unsigned long * hvVer
    ],
    returns: "i32", // int
  },
  virConnectIsAlive: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectIsEncrypted: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectIsSecure: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectListAllDomains: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virDomainPtr ** domains
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListAllInterfaces: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virInterfacePtr ** ifaces
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListAllNetworks: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virNetworkPtr ** nets
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListAllNodeDevices: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virNodeDevicePtr ** devices
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListAllNWFilterBindings: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virNWFilterBindingPtr ** bindings
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListAllNWFilters: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virNWFilterPtr ** filters
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListAllSecrets: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virSecretPtr ** secrets
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListAllStoragePools: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virStoragePoolPtr ** pools
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectListDefinedDomains: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectListDefinedInterfaces: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectListDefinedNetworks: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectListDefinedStoragePools: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectListDomains: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // int * ids
      "i32", // int maxids
    ],
    returns: "i32", // int
  },
  virConnectListInterfaces: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectListNetworks: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectListNWFilters: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectListSecrets: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** uuids
      "i32", // int maxuuids
    ],
    returns: "i32", // int
  },
  virConnectListStoragePools: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virConnectNetworkEventDeregisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int callbackID
    ],
    returns: "i32", // int
  },
  virConnectNetworkEventRegisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virNetworkPtr net
      "i32", // int eventID
      "ptr", // virConnectNetworkEventGenericCallback cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback freecb
    ],
    returns: "i32", // int
  },
  virConnectNodeDeviceEventDeregisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int callbackID
    ],
    returns: "i32", // int
  },
  virConnectNodeDeviceEventRegisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virNodeDevicePtr dev
      "i32", // int eventID
      "ptr", // virConnectNodeDeviceEventGenericCallback cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback freecb
    ],
    returns: "i32", // int
  },
  virConnectNumOfDefinedDomains: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfDefinedInterfaces: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfDefinedNetworks: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfDefinedStoragePools: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfDomains: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfInterfaces: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfNetworks: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfNWFilters: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfSecrets: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectNumOfStoragePools: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectOpen: {
    args: [
      "buf", // const char * name
    ],
    returns: "ptr", // virConnectPtr
  },
  virConnectOpenAuth: {
    args: [
      "buf", // const char * name
      "buf", // virConnectAuthPtr auth
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virConnectPtr
  },
  virConnectOpenReadOnly: {
    args: [
      "buf", // const char * name
    ],
    returns: "ptr", // virConnectPtr
  },
  virConnectRef: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "i32", // int
  },
  virConnectRegisterCloseCallback: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virConnectCloseFunc cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback freecb
    ],
    returns: "i32", // int
  },
  virConnectSecretEventDeregisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int callbackID
    ],
    returns: "i32", // int
  },
  virConnectSecretEventRegisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virSecretPtr secret
      "i32", // int eventID
      "ptr", // virConnectSecretEventGenericCallback cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback freecb
    ],
    returns: "i32", // int
  },
  virConnectSetIdentity: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virConnectSetKeepAlive: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int interval
      "u32", // unsigned int count
    ],
    returns: "i32", // int
  },
  virConnectStoragePoolEventDeregisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int callbackID
    ],
    returns: "i32", // int
  },
  virConnectStoragePoolEventRegisterAny: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virStoragePoolPtr pool
      "i32", // int eventID
      "ptr", // virConnectStoragePoolEventGenericCallback cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback freecb
    ],
    returns: "i32", // int
  },
  virConnectUnregisterCloseCallback: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // virConnectCloseFunc cb
    ],
    returns: "i32", // int
  },
  virConnGetLastError: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "ptr", // virErrorPtr
  },
  virConnResetLastError: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "void", // void
  },
  virConnSetErrorFunc: {
    args: [
      "ptr", // virConnectPtr conn
      "ptr", // void * userData
      "ptr", // virErrorFunc handler
    ],
    returns: "void", // void
  },
  virCopyLastError: {
    args: [
      "buf", // virErrorPtr to
    ],
    returns: "i32", // int
  },
  virDefaultErrorFunc: {
    args: [
      "buf", // virErrorPtr err
    ],
    returns: "void", // void
  },
  virDomainAbortJob: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainAbortJobFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainAddIOThread: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int iothread_id
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainAgentSetResponseTimeout: {
    args: [
      "ptr", // virDomainPtr domain
      "i32", // int timeout
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainAttachDevice: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * xml
    ],
    returns: "i32", // int
  },
  virDomainAttachDeviceFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainAuthorizedSSHKeysGet: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * user
      "buf", // char *** keys
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainAuthorizedSSHKeysSet: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * user
      "buf", // const char ** keys
      "u32", // unsigned int nkeys
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBackupBegin: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * backupXML
      "buf", // const char * checkpointXML
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBackupGetXMLDesc: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainBlockCommit: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // const char * base
      "buf", // const char * top
      "u64", // unsigned long bandwidth
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockCopy: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // const char * destxml
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockJobAbort: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockJobSetSpeed: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "u64", // unsigned long bandwidth
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockPeek: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "u64", // unsigned long long offset
      "u64", // size_t size
      "ptr", // void * buffer
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockPull: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "u64", // unsigned long bandwidth
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockRebase: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // const char * base
      "u64", // unsigned long bandwidth
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockResize: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "u64", // unsigned long long size
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainBlockStats: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // virDomainBlockStatsPtr stats
      "u64", // size_t size
    ],
    returns: "i32", // int
  },
  virDomainBlockStatsFlags: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainCheckpointCreateXML: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainCheckpointPtr
  },
  virDomainCheckpointDelete: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainCheckpointFree: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
    ],
    returns: "i32", // int
  },
  virDomainCheckpointGetConnect: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
    ],
    returns: "ptr", // virConnectPtr
  },
  virDomainCheckpointGetDomain: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainCheckpointGetName: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
    ],
    returns: "ptr", // const char *
  },
  virDomainCheckpointGetParent: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainCheckpointPtr
  },
  virDomainCheckpointGetXMLDesc: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainCheckpointListAllChildren: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
      "buf", // virDomainCheckpointPtr ** children
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainCheckpointLookupByName: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * name
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainCheckpointPtr
  },
  virDomainCheckpointRef: {
    args: [
      "ptr", // virDomainCheckpointPtr checkpoint
    ],
    returns: "i32", // int
  },
  virDomainCoreDump: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * to
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainCoreDumpWithFormat: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * to
      "u32", // unsigned int dumpformat
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainCreate: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainCreateLinux: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainCreateWithFiles: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int nfiles
      "buf", // int * files
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainCreateWithFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainCreateXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainCreateXMLWithFiles: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int nfiles
      "buf", // int * files
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainDefineXMLFlags: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainDelIOThread: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int iothread_id
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainDestroy: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainDestroyFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainDetachDevice: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * xml
    ],
    returns: "i32", // int
  },
  virDomainDetachDeviceAlias: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * alias
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainDetachDeviceFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainFDAssociate: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * name
      "u32", // unsigned int nfds
      "buf", // int * fds
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainFree: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainFSFreeze: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char ** mountpoints
      "u32", // unsigned int nmountpoints
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainFSInfoFree: {
    args: [
      "ptr", // virDomainFSInfoPtr info
    ],
    returns: "void", // void
  },
  virDomainFSThaw: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char ** mountpoints
      "u32", // unsigned int nmountpoints
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainFSTrim: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * mountPoint
      "u64", // unsigned long long minimum
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetAutostart: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // int * autostart
    ],
    returns: "i32", // int
  },
  virDomainGetBlkioParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetBlockInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * disk
      "buf", // virDomainBlockInfoPtr info
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetBlockIoTune: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetBlockJobInfo: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // virDomainBlockJobInfoPtr info
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetConnect: {
    args: [
      "ptr", // virDomainPtr dom
    ],
    returns: "ptr", // virConnectPtr
  },
  virDomainGetControlInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virDomainControlInfoPtr info
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetCPUStats: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "u32", // unsigned int nparams
      "i32", // int start_cpu
      "u32", // unsigned int ncpus
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetDiskErrors: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // virDomainDiskErrorPtr errors
      "u32", // unsigned int maxerrors
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetEmulatorPinInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // unsigned char * cpumap
      "i32", // int maplen
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetFSInfo: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // virDomainFSInfoPtr ** info
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetGuestInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int types
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetGuestVcpus: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr * params
      "buf", // unsigned int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetHostname: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainGetID: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "u32", // unsigned int
  },
  virDomainGetInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virDomainInfoPtr info
    ],
    returns: "i32", // int
  },
  virDomainGetInterfaceParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * device
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetIOThreadInfo: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // virDomainIOThreadInfoPtr ** info
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetJobInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virDomainJobInfoPtr info
    ],
    returns: "i32", // int
  },
  virDomainGetJobStats: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // int * type
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetLaunchSecurityInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetMaxMemory: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "u64", // unsigned long
  },
  virDomainGetMaxVcpus: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainGetMemoryParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetMessages: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // char *** msgs
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetMetadata: {
    args: [
      "ptr", // virDomainPtr domain
      "i32", // int type
      "buf", // const char * uri
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainGetName: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "ptr", // const char *
  },
  virDomainGetNumaParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetOSType: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "ptr", // char *
  },
  virDomainGetPerfEvents: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetSchedulerParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
    ],
    returns: "i32", // int
  },
  virDomainGetSchedulerParametersFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetSchedulerType: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // int * nparams
    ],
    returns: "ptr", // char *
  },
  virDomainGetSecurityLabel: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virSecurityLabelPtr seclabel
    ],
    returns: "i32", // int
  },
  virDomainGetSecurityLabelList: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virSecurityLabelPtr * seclabels
    ],
    returns: "i32", // int
  },
  virDomainGetState: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // int * state
      "buf", // int * reason
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetTime: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // long long * seconds
      "buf", // unsigned int * nseconds
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetUUID: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // unsigned char * uuid
    ],
    returns: "i32", // int
  },
  virDomainGetUUIDString: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // char * buf
    ],
    returns: "i32", // int
  },
  virDomainGetVcpuPinInfo: {
    args: [
      "ptr", // virDomainPtr domain
      "i32", // int ncpumaps
      "buf", // unsigned char * cpumaps
      "i32", // int maplen
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetVcpus: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virVcpuInfoPtr info
      "i32", // int maxinfo
      "buf", // unsigned char * cpumaps
      "i32", // int maplen
    ],
    returns: "i32", // int
  },
  virDomainGetVcpusFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainGetXMLDesc: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainHasCurrentSnapshot: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainHasManagedSaveImage: {
    args: [
      "ptr", // virDomainPtr dom
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainInjectNMI: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainInterfaceAddresses: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // virDomainInterfacePtr ** ifaces
      "u32", // unsigned int source
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainInterfaceFree: {
    args: [
      "ptr", // virDomainInterfacePtr iface
    ],
    returns: "void", // void
  },
  virDomainInterfaceStats: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * device
      "buf", // virDomainInterfaceStatsPtr stats
      "u64", // size_t size
    ],
    returns: "i32", // int
  },
  virDomainIOThreadInfoFree: {
    args: [
      "ptr", // virDomainIOThreadInfoPtr info
    ],
    returns: "void", // void
  },
  virDomainIsActive: {
    args: [
      "ptr", // virDomainPtr dom
    ],
    returns: "i32", // int
  },
  virDomainIsPersistent: {
    args: [
      "ptr", // virDomainPtr dom
    ],
    returns: "i32", // int
  },
  virDomainIsUpdated: {
    args: [
      "ptr", // virDomainPtr dom
    ],
    returns: "i32", // int
  },
  virDomainListAllCheckpoints: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virDomainCheckpointPtr ** checkpoints
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainListAllSnapshots: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virDomainSnapshotPtr ** snaps
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainListGetStats: {
    args: [
      "buf", // virDomainPtr * doms
      "u32", // unsigned int stats
      "buf", // virDomainStatsRecordPtr ** retStats
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainLookupByID: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int id
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainLookupByName: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * name
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainLookupByUUID: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const unsigned char * uuid
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainLookupByUUIDString: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * uuidstr
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainManagedSave: {
    args: [
      "ptr", // virDomainPtr dom
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainManagedSaveDefineXML: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * dxml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainManagedSaveGetXMLDesc: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainManagedSaveRemove: {
    args: [
      "ptr", // virDomainPtr dom
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMemoryPeek: {
    args: [
      "ptr", // virDomainPtr dom
      "u64", // unsigned long long start
      "u64", // size_t size
      "ptr", // void * buffer
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMemoryStats: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // virDomainMemoryStatPtr stats
      "u32", // unsigned int nr_stats
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrate: {
    args: [
      "ptr", // virDomainPtr domain
      "ptr", // virConnectPtr dconn
      "u64", // unsigned long flags
      "buf", // const char * dname
      "buf", // const char * uri
      "u64", // unsigned long bandwidth
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainMigrate2: {
    args: [
      "ptr", // virDomainPtr domain
      "ptr", // virConnectPtr dconn
      "buf", // const char * dxml
      "u64", // unsigned long flags
      "buf", // const char * dname
      "buf", // const char * uri
      "u64", // unsigned long bandwidth
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainMigrate3: {
    args: [
      "ptr", // virDomainPtr domain
      "ptr", // virConnectPtr dconn
      "buf", // virTypedParameterPtr params
      "u32", // unsigned int nparams
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainMigrateGetCompressionCache: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // unsigned long long * cacheSize
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrateGetMaxDowntime: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // unsigned long long * downtime
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrateGetMaxSpeed: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // unsigned long * bandwidth
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrateSetCompressionCache: {
    args: [
      "ptr", // virDomainPtr domain
      "u64", // unsigned long long cacheSize
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrateSetMaxDowntime: {
    args: [
      "ptr", // virDomainPtr domain
      "u64", // unsigned long long downtime
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrateSetMaxSpeed: {
    args: [
      "ptr", // virDomainPtr domain
      "u64", // unsigned long bandwidth
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrateStartPostCopy: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainMigrateToURI: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * duri
      "u64", // unsigned long flags
      "buf", // const char * dname
      "u64", // unsigned long bandwidth
    ],
    returns: "i32", // int
  },
  virDomainMigrateToURI2: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * dconnuri
      "buf", // const char * miguri
      "buf", // const char * dxml
      "u64", // unsigned long flags
      "buf", // const char * dname
      "u64", // unsigned long bandwidth
    ],
    returns: "i32", // int
  },
  virDomainMigrateToURI3: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * dconnuri
      "buf", // virTypedParameterPtr params
      "u32", // unsigned int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainOpenChannel: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * name
      "ptr", // virStreamPtr st
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainOpenConsole: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * dev_name
      "ptr", // virStreamPtr st
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainOpenGraphics: {
    args: [
      "ptr", // virDomainPtr dom
      "u32", // unsigned int idx
      "i32", // int fd
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainOpenGraphicsFD: {
    args: [
      "ptr", // virDomainPtr dom
      "u32", // unsigned int idx
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainPinEmulator: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // unsigned char * cpumap
      "i32", // int maplen
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainPinIOThread: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int iothread_id
      "buf", // unsigned char * cpumap
      "i32", // int maplen
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainPinVcpu: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int vcpu
      "buf", // unsigned char * cpumap
      "i32", // int maplen
    ],
    returns: "i32", // int
  },
  virDomainPinVcpuFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int vcpu
      "buf", // unsigned char * cpumap
      "i32", // int maplen
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainPMSuspendForDuration: {
    args: [
      "ptr", // virDomainPtr dom
      "u32", // unsigned int target
      "u64", // unsigned long long duration
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainPMWakeup: {
    args: [
      "ptr", // virDomainPtr dom
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainReboot: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainRef: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainRename: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * new_name
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainReset: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainRestore: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * from
    ],
    returns: "i32", // int
  },
  virDomainRestoreFlags: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * from
      "buf", // const char * dxml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainRestoreParams: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainResume: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainRevertToSnapshot: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSave: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * to
    ],
    returns: "i32", // int
  },
  virDomainSaveFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * to
      "buf", // const char * dxml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSaveImageDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * file
      "buf", // const char * dxml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSaveImageGetXMLDesc: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * file
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainSaveParams: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainScreenshot: {
    args: [
      "ptr", // virDomainPtr domain
      "ptr", // virStreamPtr stream
      "u32", // unsigned int screen
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainSendKey: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int codeset
      "u32", // unsigned int holdtime
      "buf", // unsigned int * keycodes
      "i32", // int nkeycodes
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSendProcessSignal: {
    args: [
      "ptr", // virDomainPtr domain
      "i64", // long long pid_value
      "u32", // unsigned int signum
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetAutostart: {
    args: [
      "ptr", // virDomainPtr domain
      "i32", // int autostart
    ],
    returns: "i32", // int
  },
  virDomainSetBlkioParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetBlockIoTune: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * disk
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetBlockThreshold: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * dev
      "u64", // unsigned long long threshold
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetGuestVcpus: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * cpumap
      "i32", // int state
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetInterfaceParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * device
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetIOThreadParams: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int iothread_id
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetLaunchSecurityState: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetLifecycleAction: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int type
      "u32", // unsigned int action
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetMaxMemory: {
    args: [
      "ptr", // virDomainPtr domain
      "u64", // unsigned long memory
    ],
    returns: "i32", // int
  },
  virDomainSetMemory: {
    args: [
      "ptr", // virDomainPtr domain
      "u64", // unsigned long memory
    ],
    returns: "i32", // int
  },
  virDomainSetMemoryFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u64", // unsigned long memory
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetMemoryParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetMemoryStatsPeriod: {
    args: [
      "ptr", // virDomainPtr domain
      "i32", // int period
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetMetadata: {
    args: [
      "ptr", // virDomainPtr domain
      "i32", // int type
      "buf", // const char * metadata
      "buf", // const char * key
      "buf", // const char * uri
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetNumaParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetPerfEvents: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetSchedulerParameters: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
    ],
    returns: "i32", // int
  },
  virDomainSetSchedulerParametersFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetTime: {
    args: [
      "ptr", // virDomainPtr dom
      "i64", // long long seconds
      "u32", // unsigned int nseconds
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetUserPassword: {
    args: [
      "ptr", // virDomainPtr dom
      "buf", // const char * user
      "buf", // const char * password
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetVcpu: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * vcpumap
      "i32", // int state
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSetVcpus: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int nvcpus
    ],
    returns: "i32", // int
  },
  virDomainSetVcpusFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int nvcpus
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainShutdown: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainShutdownFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotCreateXML: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainSnapshotPtr
  },
  virDomainSnapshotCurrent: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainSnapshotPtr
  },
  virDomainSnapshotDelete: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotFree: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
    ],
    returns: "i32", // int
  },
  virDomainSnapshotGetConnect: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
    ],
    returns: "ptr", // virConnectPtr
  },
  virDomainSnapshotGetDomain: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
    ],
    returns: "ptr", // virDomainPtr
  },
  virDomainSnapshotGetName: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
    ],
    returns: "ptr", // const char *
  },
  virDomainSnapshotGetParent: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainSnapshotPtr
  },
  virDomainSnapshotGetXMLDesc: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virDomainSnapshotHasMetadata: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotIsCurrent: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotListAllChildren: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "buf", // virDomainSnapshotPtr ** snaps
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotListChildrenNames: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "buf", // char ** names
      "i32", // int nameslen
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotListNames: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // char ** names
      "i32", // int nameslen
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotLookupByName: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * name
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virDomainSnapshotPtr
  },
  virDomainSnapshotNum: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotNumChildren: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainSnapshotRef: {
    args: [
      "ptr", // virDomainSnapshotPtr snapshot
    ],
    returns: "i32", // int
  },
  virDomainStartDirtyRateCalc: {
    args: [
      "ptr", // virDomainPtr domain
      "i32", // int seconds
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainStatsRecordListFree: {
    args: [
      "ptr", // virDomainStatsRecordPtr * stats
    ],
    returns: "void", // void
  },
  virDomainSuspend: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainUndefine: {
    args: [
      "ptr", // virDomainPtr domain
    ],
    returns: "i32", // int
  },
  virDomainUndefineFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virDomainUpdateDeviceFlags: {
    args: [
      "ptr", // virDomainPtr domain
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virEventAddHandle: {
    args: [
      "i32", // int fd
      "i32", // int events
      "ptr", // virEventHandleCallback cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback ff
    ],
    returns: "i32", // int
  },
  virEventAddTimeout: {
    args: [
      "i32", // int timeout
      "ptr", // virEventTimeoutCallback cb
      "ptr", // void * opaque
      "ptr", // virFreeCallback ff
    ],
    returns: "i32", // int
  },
  virEventRegisterDefaultImpl: {
    args: [
    ],
    returns: "i32", // int
  },
  virEventRemoveHandle: {
    args: [
      "i32", // int watch
    ],
    returns: "i32", // int
  },
  virEventRemoveTimeout: {
    args: [
      "i32", // int timer
    ],
    returns: "i32", // int
  },
  virEventRunDefaultImpl: {
    args: [
    ],
    returns: "i32", // int
  },
  virEventUpdateHandle: {
    args: [
      "i32", // int watch
      "i32", // int events
    ],
    returns: "void", // void
  },
  virEventUpdateTimeout: {
    args: [
      "i32", // int timer
      "i32", // int timeout
    ],
    returns: "void", // void
  },
  virFreeError: {
    args: [
      "buf", // virErrorPtr err
    ],
    returns: "void", // void
  },
  virGetLastError: {
    args: [
    ],
    returns: "ptr", // virErrorPtr
  },
  virGetLastErrorCode: {
    args: [
    ],
    returns: "i32", // int
  },
  virGetLastErrorDomain: {
    args: [
    ],
    returns: "i32", // int
  },
  virGetLastErrorMessage: {
    args: [
    ],
    returns: "ptr", // const char *
  },
  virGetVersion: {
    args: [
      "buf", // unsigned long * libVer
      "buf", // const char * type
      "buf", // unsigned long * typeVer
    ],
    returns: "i32", // int
  },
  virInitialize: {
    args: [
    ],
    returns: "i32", // int
  },
  virInterfaceChangeBegin: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virInterfaceChangeCommit: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virInterfaceChangeRollback: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virInterfaceCreate: {
    args: [
      "ptr", // virInterfacePtr iface
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virInterfaceDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virInterfacePtr
  },
  virInterfaceDestroy: {
    args: [
      "ptr", // virInterfacePtr iface
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virInterfaceFree: {
    args: [
      "ptr", // virInterfacePtr iface
    ],
    returns: "i32", // int
  },
  virInterfaceGetConnect: {
    args: [
      "ptr", // virInterfacePtr iface
    ],
    returns: "ptr", // virConnectPtr
  },
  virInterfaceGetMACString: {
    args: [
      "ptr", // virInterfacePtr iface
    ],
    returns: "ptr", // const char *
  },
  virInterfaceGetName: {
    args: [
      "ptr", // virInterfacePtr iface
    ],
    returns: "ptr", // const char *
  },
  virInterfaceGetXMLDesc: {
    args: [
      "ptr", // virInterfacePtr iface
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virInterfaceIsActive: {
    args: [
      "ptr", // virInterfacePtr iface
    ],
    returns: "i32", // int
  },
  virInterfaceLookupByMACString: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * macstr
    ],
    returns: "ptr", // virInterfacePtr
  },
  virInterfaceLookupByName: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * name
    ],
    returns: "ptr", // virInterfacePtr
  },
  virInterfaceRef: {
    args: [
      "ptr", // virInterfacePtr iface
    ],
    returns: "i32", // int
  },
  virInterfaceUndefine: {
    args: [
      "ptr", // virInterfacePtr iface
    ],
    returns: "i32", // int
  },
  virNetworkCreate: {
    args: [
      "ptr", // virNetworkPtr network
    ],
    returns: "i32", // int
  },
  virNetworkCreateXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkCreateXMLFlags: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkDefineXMLFlags: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkDestroy: {
    args: [
      "ptr", // virNetworkPtr network
    ],
    returns: "i32", // int
  },
  virNetworkDHCPLeaseFree: {
    args: [
      "ptr", // virNetworkDHCPLeasePtr lease
    ],
    returns: "void", // void
  },
  virNetworkFree: {
    args: [
      "ptr", // virNetworkPtr network
    ],
    returns: "i32", // int
  },
  virNetworkGetAutostart: {
    args: [
      "ptr", // virNetworkPtr network
      "buf", // int * autostart
    ],
    returns: "i32", // int
  },
  virNetworkGetBridgeName: {
    args: [
      "ptr", // virNetworkPtr network
    ],
    returns: "ptr", // char *
  },
  virNetworkGetConnect: {
    args: [
      "ptr", // virNetworkPtr net
    ],
    returns: "ptr", // virConnectPtr
  },
  virNetworkGetDHCPLeases: {
    args: [
      "ptr", // virNetworkPtr network
      "buf", // const char * mac
      "buf", // virNetworkDHCPLeasePtr ** leases
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNetworkGetName: {
    args: [
      "ptr", // virNetworkPtr network
    ],
    returns: "ptr", // const char *
  },
  virNetworkGetUUID: {
    args: [
      "ptr", // virNetworkPtr network
      "buf", // unsigned char * uuid
    ],
    returns: "i32", // int
  },
  virNetworkGetUUIDString: {
    args: [
      "ptr", // virNetworkPtr network
      "buf", // char * buf
    ],
    returns: "i32", // int
  },
  virNetworkGetXMLDesc: {
    args: [
      "ptr", // virNetworkPtr network
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virNetworkIsActive: {
    args: [
      "ptr", // virNetworkPtr net
    ],
    returns: "i32", // int
  },
  virNetworkIsPersistent: {
    args: [
      "ptr", // virNetworkPtr net
    ],
    returns: "i32", // int
  },
  virNetworkListAllPorts: {
    args: [
      "ptr", // virNetworkPtr network
      "buf", // virNetworkPortPtr ** ports
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNetworkLookupByName: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * name
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkLookupByUUID: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const unsigned char * uuid
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkLookupByUUIDString: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * uuidstr
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkPortCreateXML: {
    args: [
      "ptr", // virNetworkPtr net
      "buf", // const char * xmldesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNetworkPortPtr
  },
  virNetworkPortDelete: {
    args: [
      "ptr", // virNetworkPortPtr port
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNetworkPortFree: {
    args: [
      "ptr", // virNetworkPortPtr port
    ],
    returns: "i32", // int
  },
  virNetworkPortGetNetwork: {
    args: [
      "ptr", // virNetworkPortPtr port
    ],
    returns: "ptr", // virNetworkPtr
  },
  virNetworkPortGetParameters: {
    args: [
      "ptr", // virNetworkPortPtr port
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNetworkPortGetUUID: {
    args: [
      "ptr", // virNetworkPortPtr port
      "buf", // unsigned char * uuid
    ],
    returns: "i32", // int
  },
  virNetworkPortGetUUIDString: {
    args: [
      "ptr", // virNetworkPortPtr port
      "buf", // char * buf
    ],
    returns: "i32", // int
  },
  virNetworkPortGetXMLDesc: {
    args: [
      "ptr", // virNetworkPortPtr port
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virNetworkPortLookupByUUID: {
    args: [
      "ptr", // virNetworkPtr net
      "buf", // const unsigned char * uuid
    ],
    returns: "ptr", // virNetworkPortPtr
  },
  virNetworkPortLookupByUUIDString: {
    args: [
      "ptr", // virNetworkPtr net
      "buf", // const char * uuidstr
    ],
    returns: "ptr", // virNetworkPortPtr
  },
  virNetworkPortRef: {
    args: [
      "ptr", // virNetworkPortPtr port
    ],
    returns: "i32", // int
  },
  virNetworkPortSetParameters: {
    args: [
      "ptr", // virNetworkPortPtr port
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNetworkRef: {
    args: [
      "ptr", // virNetworkPtr network
    ],
    returns: "i32", // int
  },
  virNetworkSetAutostart: {
    args: [
      "ptr", // virNetworkPtr network
      "i32", // int autostart
    ],
    returns: "i32", // int
  },
  virNetworkUndefine: {
    args: [
      "ptr", // virNetworkPtr network
    ],
    returns: "i32", // int
  },
  virNetworkUpdate: {
    args: [
      "ptr", // virNetworkPtr network
      "u32", // unsigned int command
      "u32", // unsigned int section
      "i32", // int parentIndex
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeAllocPages: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int npages
      "buf", // unsigned int * pageSizes
      "buf", // unsigned long long * pageCounts
      "i32", // int startCell
      "u32", // unsigned int cellCount
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeDeviceCreate: {
    args: [
      "ptr", // virNodeDevicePtr dev
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeDeviceCreateXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNodeDevicePtr
  },
  virNodeDeviceDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNodeDevicePtr
  },
  virNodeDeviceDestroy: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceDetachFlags: {
    args: [
      "ptr", // virNodeDevicePtr dev
      "buf", // const char * driverName
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeDeviceDettach: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceFree: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceGetAutostart: {
    args: [
      "ptr", // virNodeDevicePtr dev
      "buf", // int * autostart
    ],
    returns: "i32", // int
  },
  virNodeDeviceGetName: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "ptr", // const char *
  },
  virNodeDeviceGetParent: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "ptr", // const char *
  },
  virNodeDeviceGetXMLDesc: {
    args: [
      "ptr", // virNodeDevicePtr dev
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virNodeDeviceIsActive: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceIsPersistent: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceListCaps: {
    args: [
      "ptr", // virNodeDevicePtr dev
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virNodeDeviceLookupByName: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * name
    ],
    returns: "ptr", // virNodeDevicePtr
  },
  virNodeDeviceLookupSCSIHostByWWN: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * wwnn
      "buf", // const char * wwpn
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNodeDevicePtr
  },
  virNodeDeviceNumOfCaps: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceReAttach: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceRef: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceReset: {
    args: [
      "ptr", // virNodeDevicePtr dev
    ],
    returns: "i32", // int
  },
  virNodeDeviceSetAutostart: {
    args: [
      "ptr", // virNodeDevicePtr dev
      "i32", // int autostart
    ],
    returns: "i32", // int
  },
  virNodeDeviceUndefine: {
    args: [
      "ptr", // virNodeDevicePtr dev
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeGetCellsFreeMemory: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // unsigned long long * freeMems
      "i32", // int startCell
      "i32", // int maxCells
    ],
    returns: "i32", // int
  },
  virNodeGetCPUMap: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // unsigned char ** cpumap
      "buf", // unsigned int * online
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeGetCPUStats: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int cpuNum
      "buf", // virNodeCPUStatsPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeGetFreeMemory: {
    args: [
      "ptr", // virConnectPtr conn
    ],
    returns: "u64", // unsigned long long
  },
  virNodeGetFreePages: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int npages
      "buf", // unsigned int * pages
      "i32", // int startCell
      "u32", // unsigned int cellCount
      "buf", // unsigned long long * counts
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeGetInfo: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virNodeInfoPtr info
    ],
    returns: "i32", // int
  },
  virNodeGetMemoryParameters: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virTypedParameterPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeGetMemoryStats: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int cellNum
      "buf", // virNodeMemoryStatsPtr params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeGetSecurityModel: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virSecurityModelPtr secmodel
    ],
    returns: "i32", // int
  },
  virNodeGetSEVInfo: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeListDevices: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * cap
      "buf", // char ** const names
      "i32", // int maxnames
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeNumOfDevices: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * cap
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeSetMemoryParameters: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNodeSuspendForDuration: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int target
      "u64", // unsigned long long duration
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virNWFilterBindingCreateXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNWFilterBindingPtr
  },
  virNWFilterBindingDelete: {
    args: [
      "ptr", // virNWFilterBindingPtr binding
    ],
    returns: "i32", // int
  },
  virNWFilterBindingFree: {
    args: [
      "ptr", // virNWFilterBindingPtr binding
    ],
    returns: "i32", // int
  },
  virNWFilterBindingGetFilterName: {
    args: [
      "ptr", // virNWFilterBindingPtr binding
    ],
    returns: "ptr", // const char *
  },
  virNWFilterBindingGetPortDev: {
    args: [
      "ptr", // virNWFilterBindingPtr binding
    ],
    returns: "ptr", // const char *
  },
  virNWFilterBindingGetXMLDesc: {
    args: [
      "ptr", // virNWFilterBindingPtr binding
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virNWFilterBindingLookupByPortDev: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * portdev
    ],
    returns: "ptr", // virNWFilterBindingPtr
  },
  virNWFilterBindingRef: {
    args: [
      "ptr", // virNWFilterBindingPtr binding
    ],
    returns: "i32", // int
  },
  virNWFilterDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
    ],
    returns: "ptr", // virNWFilterPtr
  },
  virNWFilterDefineXMLFlags: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virNWFilterPtr
  },
  virNWFilterFree: {
    args: [
      "ptr", // virNWFilterPtr nwfilter
    ],
    returns: "i32", // int
  },
  virNWFilterGetName: {
    args: [
      "ptr", // virNWFilterPtr nwfilter
    ],
    returns: "ptr", // const char *
  },
  virNWFilterGetUUID: {
    args: [
      "ptr", // virNWFilterPtr nwfilter
      "buf", // unsigned char * uuid
    ],
    returns: "i32", // int
  },
  virNWFilterGetUUIDString: {
    args: [
      "ptr", // virNWFilterPtr nwfilter
      "buf", // char * buf
    ],
    returns: "i32", // int
  },
  virNWFilterGetXMLDesc: {
    args: [
      "ptr", // virNWFilterPtr nwfilter
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virNWFilterLookupByName: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * name
    ],
    returns: "ptr", // virNWFilterPtr
  },
  virNWFilterLookupByUUID: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const unsigned char * uuid
    ],
    returns: "ptr", // virNWFilterPtr
  },
  virNWFilterLookupByUUIDString: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * uuidstr
    ],
    returns: "ptr", // virNWFilterPtr
  },
  virNWFilterRef: {
    args: [
      "ptr", // virNWFilterPtr nwfilter
    ],
    returns: "i32", // int
  },
  virNWFilterUndefine: {
    args: [
      "ptr", // virNWFilterPtr nwfilter
    ],
    returns: "i32", // int
  },
  virResetError: {
    args: [
      "ptr", // virErrorPtr err
    ],
    returns: "void", // void
  },
  virResetLastError: {
    args: [
    ],
    returns: "void", // void
  },
  virSaveLastError: {
    args: [
    ],
    returns: "ptr", // virErrorPtr
  },
  virSecretDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virSecretPtr
  },
  virSecretFree: {
    args: [
      "ptr", // virSecretPtr secret
    ],
    returns: "i32", // int
  },
  virSecretGetConnect: {
    args: [
      "ptr", // virSecretPtr secret
    ],
    returns: "ptr", // virConnectPtr
  },
  virSecretGetUsageID: {
    args: [
      "ptr", // virSecretPtr secret
    ],
    returns: "ptr", // const char *
  },
  virSecretGetUsageType: {
    args: [
      "ptr", // virSecretPtr secret
    ],
    returns: "i32", // int
  },
  virSecretGetUUID: {
    args: [
      "ptr", // virSecretPtr secret
      "buf", // unsigned char * uuid
    ],
    returns: "i32", // int
  },
  virSecretGetUUIDString: {
    args: [
      "ptr", // virSecretPtr secret
      "buf", // char * buf
    ],
    returns: "i32", // int
  },
  virSecretGetValue: {
    args: [
      "ptr", // virSecretPtr secret
      "buf", // size_t * value_size
      "u32", // unsigned int flags
    ],
    returns: "ptr", // unsigned char *
  },
  virSecretGetXMLDesc: {
    args: [
      "ptr", // virSecretPtr secret
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virSecretLookupByUsage: {
    args: [
      "ptr", // virConnectPtr conn
      "i32", // int usageType
      "buf", // const char * usageID
    ],
    returns: "ptr", // virSecretPtr
  },
  virSecretLookupByUUID: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const unsigned char * uuid
    ],
    returns: "ptr", // virSecretPtr
  },
  virSecretLookupByUUIDString: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * uuidstr
    ],
    returns: "ptr", // virSecretPtr
  },
  virSecretRef: {
    args: [
      "ptr", // virSecretPtr secret
    ],
    returns: "i32", // int
  },
  virSecretSetValue: {
    args: [
      "ptr", // virSecretPtr secret
      "buf", // const unsigned char * value
      "u64", // size_t value_size
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virSecretUndefine: {
    args: [
      "ptr", // virSecretPtr secret
    ],
    returns: "i32", // int
  },
  virSetErrorFunc: {
    args: [
      "ptr", // void * userData
      "ptr", // virErrorFunc handler
    ],
    returns: "void", // void
  },
  virStoragePoolBuild: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStoragePoolCreate: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStoragePoolCreateXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virStoragePoolPtr
  },
  virStoragePoolDefineXML: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * xml
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virStoragePoolPtr
  },
  virStoragePoolDelete: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStoragePoolDestroy: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "i32", // int
  },
  virStoragePoolFree: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "i32", // int
  },
  virStoragePoolGetAutostart: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // int * autostart
    ],
    returns: "i32", // int
  },
  virStoragePoolGetConnect: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "ptr", // virConnectPtr
  },
  virStoragePoolGetInfo: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // virStoragePoolInfoPtr info
    ],
    returns: "i32", // int
  },
  virStoragePoolGetName: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "ptr", // const char *
  },
  virStoragePoolGetUUID: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // unsigned char * uuid
    ],
    returns: "i32", // int
  },
  virStoragePoolGetUUIDString: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // char * buf
    ],
    returns: "i32", // int
  },
  virStoragePoolGetXMLDesc: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virStoragePoolIsActive: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "i32", // int
  },
  virStoragePoolIsPersistent: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "i32", // int
  },
  virStoragePoolListAllVolumes: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // virStorageVolPtr ** vols
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStoragePoolListVolumes: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // char ** const names
      "i32", // int maxnames
    ],
    returns: "i32", // int
  },
  virStoragePoolLookupByName: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * name
    ],
    returns: "ptr", // virStoragePoolPtr
  },
  virStoragePoolLookupByTargetPath: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * path
    ],
    returns: "ptr", // virStoragePoolPtr
  },
  virStoragePoolLookupByUUID: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const unsigned char * uuid
    ],
    returns: "ptr", // virStoragePoolPtr
  },
  virStoragePoolLookupByUUIDString: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * uuidstr
    ],
    returns: "ptr", // virStoragePoolPtr
  },
  virStoragePoolLookupByVolume: {
    args: [
      "ptr", // virStorageVolPtr vol
    ],
    returns: "ptr", // virStoragePoolPtr
  },
  virStoragePoolNumOfVolumes: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "i32", // int
  },
  virStoragePoolRef: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "i32", // int
  },
  virStoragePoolRefresh: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStoragePoolSetAutostart: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "i32", // int autostart
    ],
    returns: "i32", // int
  },
  virStoragePoolUndefine: {
    args: [
      "ptr", // virStoragePoolPtr pool
    ],
    returns: "i32", // int
  },
  virStorageVolCreateXML: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // const char * xmlDesc
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virStorageVolPtr
  },
  virStorageVolCreateXMLFrom: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // const char * xmlDesc
      "ptr", // virStorageVolPtr clonevol
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virStorageVolPtr
  },
  virStorageVolDelete: {
    args: [
      "ptr", // virStorageVolPtr vol
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStorageVolDownload: {
    args: [
      "ptr", // virStorageVolPtr vol
      "ptr", // virStreamPtr stream
      "u64", // unsigned long long offset
      "u64", // unsigned long long length
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStorageVolFree: {
    args: [
      "ptr", // virStorageVolPtr vol
    ],
    returns: "i32", // int
  },
  virStorageVolGetConnect: {
    args: [
      "ptr", // virStorageVolPtr vol
    ],
    returns: "ptr", // virConnectPtr
  },
  virStorageVolGetInfo: {
    args: [
      "ptr", // virStorageVolPtr vol
      "buf", // virStorageVolInfoPtr info
    ],
    returns: "i32", // int
  },
  virStorageVolGetInfoFlags: {
    args: [
      "ptr", // virStorageVolPtr vol
      "buf", // virStorageVolInfoPtr info
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStorageVolGetKey: {
    args: [
      "ptr", // virStorageVolPtr vol
    ],
    returns: "ptr", // const char *
  },
  virStorageVolGetName: {
    args: [
      "ptr", // virStorageVolPtr vol
    ],
    returns: "ptr", // const char *
  },
  virStorageVolGetPath: {
    args: [
      "ptr", // virStorageVolPtr vol
    ],
    returns: "ptr", // char *
  },
  virStorageVolGetXMLDesc: {
    args: [
      "ptr", // virStorageVolPtr vol
      "u32", // unsigned int flags
    ],
    returns: "ptr", // char *
  },
  virStorageVolLookupByKey: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * key
    ],
    returns: "ptr", // virStorageVolPtr
  },
  virStorageVolLookupByName: {
    args: [
      "ptr", // virStoragePoolPtr pool
      "buf", // const char * name
    ],
    returns: "ptr", // virStorageVolPtr
  },
  virStorageVolLookupByPath: {
    args: [
      "ptr", // virConnectPtr conn
      "buf", // const char * path
    ],
    returns: "ptr", // virStorageVolPtr
  },
  virStorageVolRef: {
    args: [
      "ptr", // virStorageVolPtr vol
    ],
    returns: "i32", // int
  },
  virStorageVolResize: {
    args: [
      "ptr", // virStorageVolPtr vol
      "u64", // unsigned long long capacity
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStorageVolUpload: {
    args: [
      "ptr", // virStorageVolPtr vol
      "ptr", // virStreamPtr stream
      "u64", // unsigned long long offset
      "u64", // unsigned long long length
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStorageVolWipe: {
    args: [
      "ptr", // virStorageVolPtr vol
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStorageVolWipePattern: {
    args: [
      "ptr", // virStorageVolPtr vol
      "u32", // unsigned int algorithm
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStreamAbort: {
    args: [
      "ptr", // virStreamPtr stream
    ],
    returns: "i32", // int
  },
  virStreamEventRemoveCallback: {
    args: [
      "ptr", // virStreamPtr stream
    ],
    returns: "i32", // int
  },
  virStreamEventUpdateCallback: {
    args: [
      "ptr", // virStreamPtr stream
      "i32", // int events
    ],
    returns: "i32", // int
  },
  virStreamFinish: {
    args: [
      "ptr", // virStreamPtr stream
    ],
    returns: "i32", // int
  },
  virStreamFree: {
    args: [
      "ptr", // virStreamPtr stream
    ],
    returns: "i32", // int
  },
  virStreamNew: {
    args: [
      "ptr", // virConnectPtr conn
      "u32", // unsigned int flags
    ],
    returns: "ptr", // virStreamPtr
  },
  virStreamRecv: {
    args: [
      "ptr", // virStreamPtr stream
      "buf", // char * data
      "u64", // size_t nbytes
    ],
    returns: "i32", // int
  },
  virStreamRecvFlags: {
    args: [
      "ptr", // virStreamPtr stream
      "buf", // char * data
      "u64", // size_t nbytes
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStreamRecvHole: {
    args: [
      "ptr", // virStreamPtr stream
      "buf", // long long * length
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virStreamRef: {
    args: [
      "ptr", // virStreamPtr stream
    ],
    returns: "i32", // int
  },
  virStreamSend: {
    args: [
      "ptr", // virStreamPtr stream
      "buf", // const char * data
      "u64", // size_t nbytes
    ],
    returns: "i32", // int
  },
  virStreamSendHole: {
    args: [
      "ptr", // virStreamPtr stream
      "i64", // long long length
      "u32", // unsigned int flags
    ],
    returns: "i32", // int
  },
  virTypedParamsAddBoolean: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "i32", // int value
    ],
    returns: "i32", // int
  },
  virTypedParamsAddDouble: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "f64", // double value
    ],
    returns: "i32", // int
  },
  virTypedParamsAddFromString: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "i32", // int type
      "buf", // const char * value
    ],
    returns: "i32", // int
  },
  virTypedParamsAddInt: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "i32", // int value
    ],
    returns: "i32", // int
  },
  virTypedParamsAddLLong: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "i64", // long long value
    ],
    returns: "i32", // int
  },
  virTypedParamsAddString: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "buf", // const char * value
    ],
    returns: "i32", // int
  },
  virTypedParamsAddStringList: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "buf", // const char ** values
    ],
    returns: "i32", // int
  },
  virTypedParamsAddUInt: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "u32", // unsigned int value
    ],
    returns: "i32", // int
  },
  virTypedParamsAddULLong: {
    args: [
      "buf", // virTypedParameterPtr * params
      "buf", // int * nparams
      "buf", // int * maxparams
      "buf", // const char * name
      "u64", // unsigned long long value
    ],
    returns: "i32", // int
  },
  virTypedParamsClear: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
    ],
    returns: "void", // void
  },
  virTypedParamsFree: {
    args: [
      "ptr", // virTypedParameterPtr params
      "i32", // int nparams
    ],
    returns: "void", // void
  },
  virTypedParamsGet: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
    ],
    returns: "ptr", // virTypedParameterPtr
  },
  virTypedParamsGetBoolean: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
      "buf", // int * value
    ],
    returns: "i32", // int
  },
  virTypedParamsGetDouble: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
      "buf", // double * value
    ],
    returns: "i32", // int
  },
  virTypedParamsGetInt: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
      "buf", // int * value
    ],
    returns: "i32", // int
  },
  virTypedParamsGetLLong: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
      "buf", // long long * value
    ],
    returns: "i32", // int
  },
  virTypedParamsGetString: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
      "buf", // const char ** value
    ],
    returns: "i32", // int
  },
  virTypedParamsGetUInt: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
      "buf", // unsigned int * value
    ],
    returns: "i32", // int
  },
  virTypedParamsGetULLong: {
    args: [
      "buf", // virTypedParameterPtr params
      "i32", // int nparams
      "buf", // const char * name
      "buf", // unsigned long long * value
    ],
    returns: "i32", // int
  },
} as const satisfies Record<string, SymbolDef>;

export type SymbolName = keyof typeof SYMBOLS;

/** Typed JS signatures of the functions above. */
export interface LibvirtSymbols {
  virConnCopyLastError(conn: Ptr | null, to: Buf | null): number;
  virConnectBaselineCPU(conn: Ptr | null, xmlCPUs: Buf | null, ncpus: number, flags: number): Ptr;
  virConnectBaselineHypervisorCPU(conn: Ptr | null, emulator: Buf | null, arch: Buf | null, machine: Buf | null, virttype: Buf | null, xmlCPUs: Buf | null, ncpus: number, flags: number): Ptr;
  virConnectClose(conn: Ptr | null): number;
  virConnectCompareCPU(conn: Ptr | null, xmlDesc: Buf | null, flags: number): number;
  virConnectCompareHypervisorCPU(conn: Ptr | null, emulator: Buf | null, arch: Buf | null, machine: Buf | null, virttype: Buf | null, xmlCPU: Buf | null, flags: number): number;
  virConnectDomainEventDeregister(conn: Ptr | null, cb: Ptr | null): number;
  virConnectDomainEventDeregisterAny(conn: Ptr | null, callbackID: number): number;
  virConnectDomainEventRegisterAny(conn: Ptr | null, dom: Ptr | null, eventID: number, cb: Ptr | null, opaque: Ptr | null, freecb: Ptr | null): number;
  virConnectDomainXMLFromNative(conn: Ptr | null, nativeFormat: Buf | null, nativeConfig: Buf | null, flags: number): Ptr;
  virConnectDomainXMLToNative(conn: Ptr | null, nativeFormat: Buf | null, domainXml: Buf | null, flags: number): Ptr;
  virConnectFindStoragePoolSources(conn: Ptr | null, type: Buf | null, srcSpec: Buf | null, flags: number): Ptr;
  virConnectGetAllDomainStats(conn: Ptr | null, stats: number, retStats: Buf | null, flags: number): number;
  virConnectGetCapabilities(conn: Ptr | null): Ptr;
  virConnectGetCPUModelNames(conn: Ptr | null, arch: Buf | null, models: Buf | null, flags: number): number;
  virConnectGetDomainCapabilities(conn: Ptr | null, emulatorbin: Buf | null, arch: Buf | null, machine: Buf | null, virttype: Buf | null, flags: number): Ptr;
  virConnectGetHostname(conn: Ptr | null): Ptr;
  virConnectGetLibVersion(conn: Ptr | null, libVer: Buf | null): number;
  virConnectGetMaxVcpus(conn: Ptr | null, type: Buf | null): number;
  virConnectGetStoragePoolCapabilities(conn: Ptr | null, flags: number): Ptr;
  virConnectGetSysinfo(conn: Ptr | null, flags: number): Ptr;
  virConnectGetType(conn: Ptr | null): Ptr;
  virConnectGetURI(conn: Ptr | null): Ptr;
  virConnectGetVersion(conn: Ptr | null, hvVer: Buf | null): number;
  virConnectIsAlive(conn: Ptr | null): number;
  virConnectIsEncrypted(conn: Ptr | null): number;
  virConnectIsSecure(conn: Ptr | null): number;
  virConnectListAllDomains(conn: Ptr | null, domains: Buf | null, flags: number): number;
  virConnectListAllInterfaces(conn: Ptr | null, ifaces: Buf | null, flags: number): number;
  virConnectListAllNetworks(conn: Ptr | null, nets: Buf | null, flags: number): number;
  virConnectListAllNodeDevices(conn: Ptr | null, devices: Buf | null, flags: number): number;
  virConnectListAllNWFilterBindings(conn: Ptr | null, bindings: Buf | null, flags: number): number;
  virConnectListAllNWFilters(conn: Ptr | null, filters: Buf | null, flags: number): number;
  virConnectListAllSecrets(conn: Ptr | null, secrets: Buf | null, flags: number): number;
  virConnectListAllStoragePools(conn: Ptr | null, pools: Buf | null, flags: number): number;
  virConnectListDefinedDomains(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectListDefinedInterfaces(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectListDefinedNetworks(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectListDefinedStoragePools(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectListDomains(conn: Ptr | null, ids: Buf | null, maxids: number): number;
  virConnectListInterfaces(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectListNetworks(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectListNWFilters(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectListSecrets(conn: Ptr | null, uuids: Buf | null, maxuuids: number): number;
  virConnectListStoragePools(conn: Ptr | null, names: Buf | null, maxnames: number): number;
  virConnectNetworkEventDeregisterAny(conn: Ptr | null, callbackID: number): number;
  virConnectNetworkEventRegisterAny(conn: Ptr | null, net: Ptr | null, eventID: number, cb: Ptr | null, opaque: Ptr | null, freecb: Ptr | null): number;
  virConnectNodeDeviceEventDeregisterAny(conn: Ptr | null, callbackID: number): number;
  virConnectNodeDeviceEventRegisterAny(conn: Ptr | null, dev: Ptr | null, eventID: number, cb: Ptr | null, opaque: Ptr | null, freecb: Ptr | null): number;
  virConnectNumOfDefinedDomains(conn: Ptr | null): number;
  virConnectNumOfDefinedInterfaces(conn: Ptr | null): number;
  virConnectNumOfDefinedNetworks(conn: Ptr | null): number;
  virConnectNumOfDefinedStoragePools(conn: Ptr | null): number;
  virConnectNumOfDomains(conn: Ptr | null): number;
  virConnectNumOfInterfaces(conn: Ptr | null): number;
  virConnectNumOfNetworks(conn: Ptr | null): number;
  virConnectNumOfNWFilters(conn: Ptr | null): number;
  virConnectNumOfSecrets(conn: Ptr | null): number;
  virConnectNumOfStoragePools(conn: Ptr | null): number;
  virConnectOpen(name: Buf | null): Ptr;
  virConnectOpenAuth(name: Buf | null, auth: Buf | null, flags: number): Ptr;
  virConnectOpenReadOnly(name: Buf | null): Ptr;
  virConnectRef(conn: Ptr | null): number;
  virConnectRegisterCloseCallback(conn: Ptr | null, cb: Ptr | null, opaque: Ptr | null, freecb: Ptr | null): number;
  virConnectSecretEventDeregisterAny(conn: Ptr | null, callbackID: number): number;
  virConnectSecretEventRegisterAny(conn: Ptr | null, secret: Ptr | null, eventID: number, cb: Ptr | null, opaque: Ptr | null, freecb: Ptr | null): number;
  virConnectSetIdentity(conn: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virConnectSetKeepAlive(conn: Ptr | null, interval: number, count: number): number;
  virConnectStoragePoolEventDeregisterAny(conn: Ptr | null, callbackID: number): number;
  virConnectStoragePoolEventRegisterAny(conn: Ptr | null, pool: Ptr | null, eventID: number, cb: Ptr | null, opaque: Ptr | null, freecb: Ptr | null): number;
  virConnectUnregisterCloseCallback(conn: Ptr | null, cb: Ptr | null): number;
  virConnGetLastError(conn: Ptr | null): Ptr;
  virConnResetLastError(conn: Ptr | null): void;
  virConnSetErrorFunc(conn: Ptr | null, userData: Ptr | null, handler: Ptr | null): void;
  virCopyLastError(to: Buf | null): number;
  virDefaultErrorFunc(err: Buf | null): void;
  virDomainAbortJob(domain: Ptr | null): number;
  virDomainAbortJobFlags(domain: Ptr | null, flags: number): number;
  virDomainAddIOThread(domain: Ptr | null, iothread_id: number, flags: number): number;
  virDomainAgentSetResponseTimeout(domain: Ptr | null, timeout: number, flags: number): number;
  virDomainAttachDevice(domain: Ptr | null, xml: Buf | null): number;
  virDomainAttachDeviceFlags(domain: Ptr | null, xml: Buf | null, flags: number): number;
  virDomainAuthorizedSSHKeysGet(domain: Ptr | null, user: Buf | null, keys: Buf | null, flags: number): number;
  virDomainAuthorizedSSHKeysSet(domain: Ptr | null, user: Buf | null, keys: Buf | null, nkeys: number, flags: number): number;
  virDomainBackupBegin(domain: Ptr | null, backupXML: Buf | null, checkpointXML: Buf | null, flags: number): number;
  virDomainBackupGetXMLDesc(domain: Ptr | null, flags: number): Ptr;
  virDomainBlockCommit(dom: Ptr | null, disk: Buf | null, base: Buf | null, top: Buf | null, bandwidth: number | bigint, flags: number): number;
  virDomainBlockCopy(dom: Ptr | null, disk: Buf | null, destxml: Buf | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainBlockJobAbort(dom: Ptr | null, disk: Buf | null, flags: number): number;
  virDomainBlockJobSetSpeed(dom: Ptr | null, disk: Buf | null, bandwidth: number | bigint, flags: number): number;
  virDomainBlockPeek(dom: Ptr | null, disk: Buf | null, offset: number | bigint, size: number | bigint, buffer: Ptr | null, flags: number): number;
  virDomainBlockPull(dom: Ptr | null, disk: Buf | null, bandwidth: number | bigint, flags: number): number;
  virDomainBlockRebase(dom: Ptr | null, disk: Buf | null, base: Buf | null, bandwidth: number | bigint, flags: number): number;
  virDomainBlockResize(dom: Ptr | null, disk: Buf | null, size: number | bigint, flags: number): number;
  virDomainBlockStats(dom: Ptr | null, disk: Buf | null, stats: Buf | null, size: number | bigint): number;
  virDomainBlockStatsFlags(dom: Ptr | null, disk: Buf | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainCheckpointCreateXML(domain: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virDomainCheckpointDelete(checkpoint: Ptr | null, flags: number): number;
  virDomainCheckpointFree(checkpoint: Ptr | null): number;
  virDomainCheckpointGetConnect(checkpoint: Ptr | null): Ptr;
  virDomainCheckpointGetDomain(checkpoint: Ptr | null): Ptr;
  virDomainCheckpointGetName(checkpoint: Ptr | null): Ptr;
  virDomainCheckpointGetParent(checkpoint: Ptr | null, flags: number): Ptr;
  virDomainCheckpointGetXMLDesc(checkpoint: Ptr | null, flags: number): Ptr;
  virDomainCheckpointListAllChildren(checkpoint: Ptr | null, children: Buf | null, flags: number): number;
  virDomainCheckpointLookupByName(domain: Ptr | null, name: Buf | null, flags: number): Ptr;
  virDomainCheckpointRef(checkpoint: Ptr | null): number;
  virDomainCoreDump(domain: Ptr | null, to: Buf | null, flags: number): number;
  virDomainCoreDumpWithFormat(domain: Ptr | null, to: Buf | null, dumpformat: number, flags: number): number;
  virDomainCreate(domain: Ptr | null): number;
  virDomainCreateLinux(conn: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virDomainCreateWithFiles(domain: Ptr | null, nfiles: number, files: Buf | null, flags: number): number;
  virDomainCreateWithFlags(domain: Ptr | null, flags: number): number;
  virDomainCreateXML(conn: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virDomainCreateXMLWithFiles(conn: Ptr | null, xmlDesc: Buf | null, nfiles: number, files: Buf | null, flags: number): Ptr;
  virDomainDefineXML(conn: Ptr | null, xml: Buf | null): Ptr;
  virDomainDefineXMLFlags(conn: Ptr | null, xml: Buf | null, flags: number): Ptr;
  virDomainDelIOThread(domain: Ptr | null, iothread_id: number, flags: number): number;
  virDomainDestroy(domain: Ptr | null): number;
  virDomainDestroyFlags(domain: Ptr | null, flags: number): number;
  virDomainDetachDevice(domain: Ptr | null, xml: Buf | null): number;
  virDomainDetachDeviceAlias(domain: Ptr | null, alias: Buf | null, flags: number): number;
  virDomainDetachDeviceFlags(domain: Ptr | null, xml: Buf | null, flags: number): number;
  virDomainFDAssociate(domain: Ptr | null, name: Buf | null, nfds: number, fds: Buf | null, flags: number): number;
  virDomainFree(domain: Ptr | null): number;
  virDomainFSFreeze(dom: Ptr | null, mountpoints: Buf | null, nmountpoints: number, flags: number): number;
  virDomainFSInfoFree(info: Ptr | null): void;
  virDomainFSThaw(dom: Ptr | null, mountpoints: Buf | null, nmountpoints: number, flags: number): number;
  virDomainFSTrim(dom: Ptr | null, mountPoint: Buf | null, minimum: number | bigint, flags: number): number;
  virDomainGetAutostart(domain: Ptr | null, autostart: Buf | null): number;
  virDomainGetBlkioParameters(domain: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetBlockInfo(domain: Ptr | null, disk: Buf | null, info: Buf | null, flags: number): number;
  virDomainGetBlockIoTune(dom: Ptr | null, disk: Buf | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetBlockJobInfo(dom: Ptr | null, disk: Buf | null, info: Buf | null, flags: number): number;
  virDomainGetConnect(dom: Ptr | null): Ptr;
  virDomainGetControlInfo(domain: Ptr | null, info: Buf | null, flags: number): number;
  virDomainGetCPUStats(domain: Ptr | null, params: Buf | null, nparams: number, start_cpu: number, ncpus: number, flags: number): number;
  virDomainGetDiskErrors(dom: Ptr | null, errors: Buf | null, maxerrors: number, flags: number): number;
  virDomainGetEmulatorPinInfo(domain: Ptr | null, cpumap: Buf | null, maplen: number, flags: number): number;
  virDomainGetFSInfo(dom: Ptr | null, info: Buf | null, flags: number): number;
  virDomainGetGuestInfo(domain: Ptr | null, types: number, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetGuestVcpus(domain: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetHostname(domain: Ptr | null, flags: number): Ptr;
  virDomainGetID(domain: Ptr | null): number;
  virDomainGetInfo(domain: Ptr | null, info: Buf | null): number;
  virDomainGetInterfaceParameters(domain: Ptr | null, device: Buf | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetIOThreadInfo(dom: Ptr | null, info: Buf | null, flags: number): number;
  virDomainGetJobInfo(domain: Ptr | null, info: Buf | null): number;
  virDomainGetJobStats(domain: Ptr | null, type: Buf | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetLaunchSecurityInfo(domain: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetMaxMemory(domain: Ptr | null): bigint;
  virDomainGetMaxVcpus(domain: Ptr | null): number;
  virDomainGetMemoryParameters(domain: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetMessages(domain: Ptr | null, msgs: Buf | null, flags: number): number;
  virDomainGetMetadata(domain: Ptr | null, type: number, uri: Buf | null, flags: number): Ptr;
  virDomainGetName(domain: Ptr | null): Ptr;
  virDomainGetNumaParameters(domain: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetOSType(domain: Ptr | null): Ptr;
  virDomainGetPerfEvents(domain: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetSchedulerParameters(domain: Ptr | null, params: Buf | null, nparams: Buf | null): number;
  virDomainGetSchedulerParametersFlags(domain: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virDomainGetSchedulerType(domain: Ptr | null, nparams: Buf | null): Ptr;
  virDomainGetSecurityLabel(domain: Ptr | null, seclabel: Buf | null): number;
  virDomainGetSecurityLabelList(domain: Ptr | null, seclabels: Buf | null): number;
  virDomainGetState(domain: Ptr | null, state: Buf | null, reason: Buf | null, flags: number): number;
  virDomainGetTime(dom: Ptr | null, seconds: Buf | null, nseconds: Buf | null, flags: number): number;
  virDomainGetUUID(domain: Ptr | null, uuid: Buf | null): number;
  virDomainGetUUIDString(domain: Ptr | null, buf: Buf | null): number;
  virDomainGetVcpuPinInfo(domain: Ptr | null, ncpumaps: number, cpumaps: Buf | null, maplen: number, flags: number): number;
  virDomainGetVcpus(domain: Ptr | null, info: Buf | null, maxinfo: number, cpumaps: Buf | null, maplen: number): number;
  virDomainGetVcpusFlags(domain: Ptr | null, flags: number): number;
  virDomainGetXMLDesc(domain: Ptr | null, flags: number): Ptr;
  virDomainHasCurrentSnapshot(domain: Ptr | null, flags: number): number;
  virDomainHasManagedSaveImage(dom: Ptr | null, flags: number): number;
  virDomainInjectNMI(domain: Ptr | null, flags: number): number;
  virDomainInterfaceAddresses(dom: Ptr | null, ifaces: Buf | null, source: number, flags: number): number;
  virDomainInterfaceFree(iface: Ptr | null): void;
  virDomainInterfaceStats(dom: Ptr | null, device: Buf | null, stats: Buf | null, size: number | bigint): number;
  virDomainIOThreadInfoFree(info: Ptr | null): void;
  virDomainIsActive(dom: Ptr | null): number;
  virDomainIsPersistent(dom: Ptr | null): number;
  virDomainIsUpdated(dom: Ptr | null): number;
  virDomainListAllCheckpoints(domain: Ptr | null, checkpoints: Buf | null, flags: number): number;
  virDomainListAllSnapshots(domain: Ptr | null, snaps: Buf | null, flags: number): number;
  virDomainListGetStats(doms: Buf | null, stats: number, retStats: Buf | null, flags: number): number;
  virDomainLookupByID(conn: Ptr | null, id: number): Ptr;
  virDomainLookupByName(conn: Ptr | null, name: Buf | null): Ptr;
  virDomainLookupByUUID(conn: Ptr | null, uuid: Buf | null): Ptr;
  virDomainLookupByUUIDString(conn: Ptr | null, uuidstr: Buf | null): Ptr;
  virDomainManagedSave(dom: Ptr | null, flags: number): number;
  virDomainManagedSaveDefineXML(domain: Ptr | null, dxml: Buf | null, flags: number): number;
  virDomainManagedSaveGetXMLDesc(domain: Ptr | null, flags: number): Ptr;
  virDomainManagedSaveRemove(dom: Ptr | null, flags: number): number;
  virDomainMemoryPeek(dom: Ptr | null, start: number | bigint, size: number | bigint, buffer: Ptr | null, flags: number): number;
  virDomainMemoryStats(dom: Ptr | null, stats: Buf | null, nr_stats: number, flags: number): number;
  virDomainMigrate(domain: Ptr | null, dconn: Ptr | null, flags: number | bigint, dname: Buf | null, uri: Buf | null, bandwidth: number | bigint): Ptr;
  virDomainMigrate2(domain: Ptr | null, dconn: Ptr | null, dxml: Buf | null, flags: number | bigint, dname: Buf | null, uri: Buf | null, bandwidth: number | bigint): Ptr;
  virDomainMigrate3(domain: Ptr | null, dconn: Ptr | null, params: Buf | null, nparams: number, flags: number): Ptr;
  virDomainMigrateGetCompressionCache(domain: Ptr | null, cacheSize: Buf | null, flags: number): number;
  virDomainMigrateGetMaxDowntime(domain: Ptr | null, downtime: Buf | null, flags: number): number;
  virDomainMigrateGetMaxSpeed(domain: Ptr | null, bandwidth: Buf | null, flags: number): number;
  virDomainMigrateSetCompressionCache(domain: Ptr | null, cacheSize: number | bigint, flags: number): number;
  virDomainMigrateSetMaxDowntime(domain: Ptr | null, downtime: number | bigint, flags: number): number;
  virDomainMigrateSetMaxSpeed(domain: Ptr | null, bandwidth: number | bigint, flags: number): number;
  virDomainMigrateStartPostCopy(domain: Ptr | null, flags: number): number;
  virDomainMigrateToURI(domain: Ptr | null, duri: Buf | null, flags: number | bigint, dname: Buf | null, bandwidth: number | bigint): number;
  virDomainMigrateToURI2(domain: Ptr | null, dconnuri: Buf | null, miguri: Buf | null, dxml: Buf | null, flags: number | bigint, dname: Buf | null, bandwidth: number | bigint): number;
  virDomainMigrateToURI3(domain: Ptr | null, dconnuri: Buf | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainOpenChannel(dom: Ptr | null, name: Buf | null, st: Ptr | null, flags: number): number;
  virDomainOpenConsole(dom: Ptr | null, dev_name: Buf | null, st: Ptr | null, flags: number): number;
  virDomainOpenGraphics(dom: Ptr | null, idx: number, fd: number, flags: number): number;
  virDomainOpenGraphicsFD(dom: Ptr | null, idx: number, flags: number): number;
  virDomainPinEmulator(domain: Ptr | null, cpumap: Buf | null, maplen: number, flags: number): number;
  virDomainPinIOThread(domain: Ptr | null, iothread_id: number, cpumap: Buf | null, maplen: number, flags: number): number;
  virDomainPinVcpu(domain: Ptr | null, vcpu: number, cpumap: Buf | null, maplen: number): number;
  virDomainPinVcpuFlags(domain: Ptr | null, vcpu: number, cpumap: Buf | null, maplen: number, flags: number): number;
  virDomainPMSuspendForDuration(dom: Ptr | null, target: number, duration: number | bigint, flags: number): number;
  virDomainPMWakeup(dom: Ptr | null, flags: number): number;
  virDomainReboot(domain: Ptr | null, flags: number): number;
  virDomainRef(domain: Ptr | null): number;
  virDomainRename(dom: Ptr | null, new_name: Buf | null, flags: number): number;
  virDomainReset(domain: Ptr | null, flags: number): number;
  virDomainRestore(conn: Ptr | null, from: Buf | null): number;
  virDomainRestoreFlags(conn: Ptr | null, from: Buf | null, dxml: Buf | null, flags: number): number;
  virDomainRestoreParams(conn: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainResume(domain: Ptr | null): number;
  virDomainRevertToSnapshot(snapshot: Ptr | null, flags: number): number;
  virDomainSave(domain: Ptr | null, to: Buf | null): number;
  virDomainSaveFlags(domain: Ptr | null, to: Buf | null, dxml: Buf | null, flags: number): number;
  virDomainSaveImageDefineXML(conn: Ptr | null, file: Buf | null, dxml: Buf | null, flags: number): number;
  virDomainSaveImageGetXMLDesc(conn: Ptr | null, file: Buf | null, flags: number): Ptr;
  virDomainSaveParams(domain: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainScreenshot(domain: Ptr | null, stream: Ptr | null, screen: number, flags: number): Ptr;
  virDomainSendKey(domain: Ptr | null, codeset: number, holdtime: number, keycodes: Buf | null, nkeycodes: number, flags: number): number;
  virDomainSendProcessSignal(domain: Ptr | null, pid_value: number | bigint, signum: number, flags: number): number;
  virDomainSetAutostart(domain: Ptr | null, autostart: number): number;
  virDomainSetBlkioParameters(domain: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetBlockIoTune(dom: Ptr | null, disk: Buf | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetBlockThreshold(domain: Ptr | null, dev: Buf | null, threshold: number | bigint, flags: number): number;
  virDomainSetGuestVcpus(domain: Ptr | null, cpumap: Buf | null, state: number, flags: number): number;
  virDomainSetInterfaceParameters(domain: Ptr | null, device: Buf | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetIOThreadParams(domain: Ptr | null, iothread_id: number, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetLaunchSecurityState(domain: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetLifecycleAction(domain: Ptr | null, type: number, action: number, flags: number): number;
  virDomainSetMaxMemory(domain: Ptr | null, memory: number | bigint): number;
  virDomainSetMemory(domain: Ptr | null, memory: number | bigint): number;
  virDomainSetMemoryFlags(domain: Ptr | null, memory: number | bigint, flags: number): number;
  virDomainSetMemoryParameters(domain: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetMemoryStatsPeriod(domain: Ptr | null, period: number, flags: number): number;
  virDomainSetMetadata(domain: Ptr | null, type: number, metadata: Buf | null, key: Buf | null, uri: Buf | null, flags: number): number;
  virDomainSetNumaParameters(domain: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetPerfEvents(domain: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetSchedulerParameters(domain: Ptr | null, params: Buf | null, nparams: number): number;
  virDomainSetSchedulerParametersFlags(domain: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virDomainSetTime(dom: Ptr | null, seconds: number | bigint, nseconds: number, flags: number): number;
  virDomainSetUserPassword(dom: Ptr | null, user: Buf | null, password: Buf | null, flags: number): number;
  virDomainSetVcpu(domain: Ptr | null, vcpumap: Buf | null, state: number, flags: number): number;
  virDomainSetVcpus(domain: Ptr | null, nvcpus: number): number;
  virDomainSetVcpusFlags(domain: Ptr | null, nvcpus: number, flags: number): number;
  virDomainShutdown(domain: Ptr | null): number;
  virDomainShutdownFlags(domain: Ptr | null, flags: number): number;
  virDomainSnapshotCreateXML(domain: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virDomainSnapshotCurrent(domain: Ptr | null, flags: number): Ptr;
  virDomainSnapshotDelete(snapshot: Ptr | null, flags: number): number;
  virDomainSnapshotFree(snapshot: Ptr | null): number;
  virDomainSnapshotGetConnect(snapshot: Ptr | null): Ptr;
  virDomainSnapshotGetDomain(snapshot: Ptr | null): Ptr;
  virDomainSnapshotGetName(snapshot: Ptr | null): Ptr;
  virDomainSnapshotGetParent(snapshot: Ptr | null, flags: number): Ptr;
  virDomainSnapshotGetXMLDesc(snapshot: Ptr | null, flags: number): Ptr;
  virDomainSnapshotHasMetadata(snapshot: Ptr | null, flags: number): number;
  virDomainSnapshotIsCurrent(snapshot: Ptr | null, flags: number): number;
  virDomainSnapshotListAllChildren(snapshot: Ptr | null, snaps: Buf | null, flags: number): number;
  virDomainSnapshotListChildrenNames(snapshot: Ptr | null, names: Buf | null, nameslen: number, flags: number): number;
  virDomainSnapshotListNames(domain: Ptr | null, names: Buf | null, nameslen: number, flags: number): number;
  virDomainSnapshotLookupByName(domain: Ptr | null, name: Buf | null, flags: number): Ptr;
  virDomainSnapshotNum(domain: Ptr | null, flags: number): number;
  virDomainSnapshotNumChildren(snapshot: Ptr | null, flags: number): number;
  virDomainSnapshotRef(snapshot: Ptr | null): number;
  virDomainStartDirtyRateCalc(domain: Ptr | null, seconds: number, flags: number): number;
  virDomainStatsRecordListFree(stats: Ptr | null): void;
  virDomainSuspend(domain: Ptr | null): number;
  virDomainUndefine(domain: Ptr | null): number;
  virDomainUndefineFlags(domain: Ptr | null, flags: number): number;
  virDomainUpdateDeviceFlags(domain: Ptr | null, xml: Buf | null, flags: number): number;
  virEventAddHandle(fd: number, events: number, cb: Ptr | null, opaque: Ptr | null, ff: Ptr | null): number;
  virEventAddTimeout(timeout: number, cb: Ptr | null, opaque: Ptr | null, ff: Ptr | null): number;
  virEventRegisterDefaultImpl(): number;
  virEventRemoveHandle(watch: number): number;
  virEventRemoveTimeout(timer: number): number;
  virEventRunDefaultImpl(): number;
  virEventUpdateHandle(watch: number, events: number): void;
  virEventUpdateTimeout(timer: number, timeout: number): void;
  virFreeError(err: Buf | null): void;
  virGetLastError(): Ptr;
  virGetLastErrorCode(): number;
  virGetLastErrorDomain(): number;
  virGetLastErrorMessage(): Ptr;
  virGetVersion(libVer: Buf | null, type: Buf | null, typeVer: Buf | null): number;
  virInitialize(): number;
  virInterfaceChangeBegin(conn: Ptr | null, flags: number): number;
  virInterfaceChangeCommit(conn: Ptr | null, flags: number): number;
  virInterfaceChangeRollback(conn: Ptr | null, flags: number): number;
  virInterfaceCreate(iface: Ptr | null, flags: number): number;
  virInterfaceDefineXML(conn: Ptr | null, xml: Buf | null, flags: number): Ptr;
  virInterfaceDestroy(iface: Ptr | null, flags: number): number;
  virInterfaceFree(iface: Ptr | null): number;
  virInterfaceGetConnect(iface: Ptr | null): Ptr;
  virInterfaceGetMACString(iface: Ptr | null): Ptr;
  virInterfaceGetName(iface: Ptr | null): Ptr;
  virInterfaceGetXMLDesc(iface: Ptr | null, flags: number): Ptr;
  virInterfaceIsActive(iface: Ptr | null): number;
  virInterfaceLookupByMACString(conn: Ptr | null, macstr: Buf | null): Ptr;
  virInterfaceLookupByName(conn: Ptr | null, name: Buf | null): Ptr;
  virInterfaceRef(iface: Ptr | null): number;
  virInterfaceUndefine(iface: Ptr | null): number;
  virNetworkCreate(network: Ptr | null): number;
  virNetworkCreateXML(conn: Ptr | null, xmlDesc: Buf | null): Ptr;
  virNetworkCreateXMLFlags(conn: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virNetworkDefineXML(conn: Ptr | null, xml: Buf | null): Ptr;
  virNetworkDefineXMLFlags(conn: Ptr | null, xml: Buf | null, flags: number): Ptr;
  virNetworkDestroy(network: Ptr | null): number;
  virNetworkDHCPLeaseFree(lease: Ptr | null): void;
  virNetworkFree(network: Ptr | null): number;
  virNetworkGetAutostart(network: Ptr | null, autostart: Buf | null): number;
  virNetworkGetBridgeName(network: Ptr | null): Ptr;
  virNetworkGetConnect(net: Ptr | null): Ptr;
  virNetworkGetDHCPLeases(network: Ptr | null, mac: Buf | null, leases: Buf | null, flags: number): number;
  virNetworkGetName(network: Ptr | null): Ptr;
  virNetworkGetUUID(network: Ptr | null, uuid: Buf | null): number;
  virNetworkGetUUIDString(network: Ptr | null, buf: Buf | null): number;
  virNetworkGetXMLDesc(network: Ptr | null, flags: number): Ptr;
  virNetworkIsActive(net: Ptr | null): number;
  virNetworkIsPersistent(net: Ptr | null): number;
  virNetworkListAllPorts(network: Ptr | null, ports: Buf | null, flags: number): number;
  virNetworkLookupByName(conn: Ptr | null, name: Buf | null): Ptr;
  virNetworkLookupByUUID(conn: Ptr | null, uuid: Buf | null): Ptr;
  virNetworkLookupByUUIDString(conn: Ptr | null, uuidstr: Buf | null): Ptr;
  virNetworkPortCreateXML(net: Ptr | null, xmldesc: Buf | null, flags: number): Ptr;
  virNetworkPortDelete(port: Ptr | null, flags: number): number;
  virNetworkPortFree(port: Ptr | null): number;
  virNetworkPortGetNetwork(port: Ptr | null): Ptr;
  virNetworkPortGetParameters(port: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virNetworkPortGetUUID(port: Ptr | null, uuid: Buf | null): number;
  virNetworkPortGetUUIDString(port: Ptr | null, buf: Buf | null): number;
  virNetworkPortGetXMLDesc(port: Ptr | null, flags: number): Ptr;
  virNetworkPortLookupByUUID(net: Ptr | null, uuid: Buf | null): Ptr;
  virNetworkPortLookupByUUIDString(net: Ptr | null, uuidstr: Buf | null): Ptr;
  virNetworkPortRef(port: Ptr | null): number;
  virNetworkPortSetParameters(port: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virNetworkRef(network: Ptr | null): number;
  virNetworkSetAutostart(network: Ptr | null, autostart: number): number;
  virNetworkUndefine(network: Ptr | null): number;
  virNetworkUpdate(network: Ptr | null, command: number, section: number, parentIndex: number, xml: Buf | null, flags: number): number;
  virNodeAllocPages(conn: Ptr | null, npages: number, pageSizes: Buf | null, pageCounts: Buf | null, startCell: number, cellCount: number, flags: number): number;
  virNodeDeviceCreate(dev: Ptr | null, flags: number): number;
  virNodeDeviceCreateXML(conn: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virNodeDeviceDefineXML(conn: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virNodeDeviceDestroy(dev: Ptr | null): number;
  virNodeDeviceDetachFlags(dev: Ptr | null, driverName: Buf | null, flags: number): number;
  virNodeDeviceDettach(dev: Ptr | null): number;
  virNodeDeviceFree(dev: Ptr | null): number;
  virNodeDeviceGetAutostart(dev: Ptr | null, autostart: Buf | null): number;
  virNodeDeviceGetName(dev: Ptr | null): Ptr;
  virNodeDeviceGetParent(dev: Ptr | null): Ptr;
  virNodeDeviceGetXMLDesc(dev: Ptr | null, flags: number): Ptr;
  virNodeDeviceIsActive(dev: Ptr | null): number;
  virNodeDeviceIsPersistent(dev: Ptr | null): number;
  virNodeDeviceListCaps(dev: Ptr | null, names: Buf | null, maxnames: number): number;
  virNodeDeviceLookupByName(conn: Ptr | null, name: Buf | null): Ptr;
  virNodeDeviceLookupSCSIHostByWWN(conn: Ptr | null, wwnn: Buf | null, wwpn: Buf | null, flags: number): Ptr;
  virNodeDeviceNumOfCaps(dev: Ptr | null): number;
  virNodeDeviceReAttach(dev: Ptr | null): number;
  virNodeDeviceRef(dev: Ptr | null): number;
  virNodeDeviceReset(dev: Ptr | null): number;
  virNodeDeviceSetAutostart(dev: Ptr | null, autostart: number): number;
  virNodeDeviceUndefine(dev: Ptr | null, flags: number): number;
  virNodeGetCellsFreeMemory(conn: Ptr | null, freeMems: Buf | null, startCell: number, maxCells: number): number;
  virNodeGetCPUMap(conn: Ptr | null, cpumap: Buf | null, online: Buf | null, flags: number): number;
  virNodeGetCPUStats(conn: Ptr | null, cpuNum: number, params: Buf | null, nparams: Buf | null, flags: number): number;
  virNodeGetFreeMemory(conn: Ptr | null): bigint;
  virNodeGetFreePages(conn: Ptr | null, npages: number, pages: Buf | null, startCell: number, cellCount: number, counts: Buf | null, flags: number): number;
  virNodeGetInfo(conn: Ptr | null, info: Buf | null): number;
  virNodeGetMemoryParameters(conn: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virNodeGetMemoryStats(conn: Ptr | null, cellNum: number, params: Buf | null, nparams: Buf | null, flags: number): number;
  virNodeGetSecurityModel(conn: Ptr | null, secmodel: Buf | null): number;
  virNodeGetSEVInfo(conn: Ptr | null, params: Buf | null, nparams: Buf | null, flags: number): number;
  virNodeListDevices(conn: Ptr | null, cap: Buf | null, names: Buf | null, maxnames: number, flags: number): number;
  virNodeNumOfDevices(conn: Ptr | null, cap: Buf | null, flags: number): number;
  virNodeSetMemoryParameters(conn: Ptr | null, params: Buf | null, nparams: number, flags: number): number;
  virNodeSuspendForDuration(conn: Ptr | null, target: number, duration: number | bigint, flags: number): number;
  virNWFilterBindingCreateXML(conn: Ptr | null, xml: Buf | null, flags: number): Ptr;
  virNWFilterBindingDelete(binding: Ptr | null): number;
  virNWFilterBindingFree(binding: Ptr | null): number;
  virNWFilterBindingGetFilterName(binding: Ptr | null): Ptr;
  virNWFilterBindingGetPortDev(binding: Ptr | null): Ptr;
  virNWFilterBindingGetXMLDesc(binding: Ptr | null, flags: number): Ptr;
  virNWFilterBindingLookupByPortDev(conn: Ptr | null, portdev: Buf | null): Ptr;
  virNWFilterBindingRef(binding: Ptr | null): number;
  virNWFilterDefineXML(conn: Ptr | null, xmlDesc: Buf | null): Ptr;
  virNWFilterDefineXMLFlags(conn: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virNWFilterFree(nwfilter: Ptr | null): number;
  virNWFilterGetName(nwfilter: Ptr | null): Ptr;
  virNWFilterGetUUID(nwfilter: Ptr | null, uuid: Buf | null): number;
  virNWFilterGetUUIDString(nwfilter: Ptr | null, buf: Buf | null): number;
  virNWFilterGetXMLDesc(nwfilter: Ptr | null, flags: number): Ptr;
  virNWFilterLookupByName(conn: Ptr | null, name: Buf | null): Ptr;
  virNWFilterLookupByUUID(conn: Ptr | null, uuid: Buf | null): Ptr;
  virNWFilterLookupByUUIDString(conn: Ptr | null, uuidstr: Buf | null): Ptr;
  virNWFilterRef(nwfilter: Ptr | null): number;
  virNWFilterUndefine(nwfilter: Ptr | null): number;
  virResetError(err: Ptr | null): void;
  virResetLastError(): void;
  virSaveLastError(): Ptr;
  virSecretDefineXML(conn: Ptr | null, xml: Buf | null, flags: number): Ptr;
  virSecretFree(secret: Ptr | null): number;
  virSecretGetConnect(secret: Ptr | null): Ptr;
  virSecretGetUsageID(secret: Ptr | null): Ptr;
  virSecretGetUsageType(secret: Ptr | null): number;
  virSecretGetUUID(secret: Ptr | null, uuid: Buf | null): number;
  virSecretGetUUIDString(secret: Ptr | null, buf: Buf | null): number;
  virSecretGetValue(secret: Ptr | null, value_size: Buf | null, flags: number): Ptr;
  virSecretGetXMLDesc(secret: Ptr | null, flags: number): Ptr;
  virSecretLookupByUsage(conn: Ptr | null, usageType: number, usageID: Buf | null): Ptr;
  virSecretLookupByUUID(conn: Ptr | null, uuid: Buf | null): Ptr;
  virSecretLookupByUUIDString(conn: Ptr | null, uuidstr: Buf | null): Ptr;
  virSecretRef(secret: Ptr | null): number;
  virSecretSetValue(secret: Ptr | null, value: Buf | null, value_size: number | bigint, flags: number): number;
  virSecretUndefine(secret: Ptr | null): number;
  virSetErrorFunc(userData: Ptr | null, handler: Ptr | null): void;
  virStoragePoolBuild(pool: Ptr | null, flags: number): number;
  virStoragePoolCreate(pool: Ptr | null, flags: number): number;
  virStoragePoolCreateXML(conn: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virStoragePoolDefineXML(conn: Ptr | null, xml: Buf | null, flags: number): Ptr;
  virStoragePoolDelete(pool: Ptr | null, flags: number): number;
  virStoragePoolDestroy(pool: Ptr | null): number;
  virStoragePoolFree(pool: Ptr | null): number;
  virStoragePoolGetAutostart(pool: Ptr | null, autostart: Buf | null): number;
  virStoragePoolGetConnect(pool: Ptr | null): Ptr;
  virStoragePoolGetInfo(pool: Ptr | null, info: Buf | null): number;
  virStoragePoolGetName(pool: Ptr | null): Ptr;
  virStoragePoolGetUUID(pool: Ptr | null, uuid: Buf | null): number;
  virStoragePoolGetUUIDString(pool: Ptr | null, buf: Buf | null): number;
  virStoragePoolGetXMLDesc(pool: Ptr | null, flags: number): Ptr;
  virStoragePoolIsActive(pool: Ptr | null): number;
  virStoragePoolIsPersistent(pool: Ptr | null): number;
  virStoragePoolListAllVolumes(pool: Ptr | null, vols: Buf | null, flags: number): number;
  virStoragePoolListVolumes(pool: Ptr | null, names: Buf | null, maxnames: number): number;
  virStoragePoolLookupByName(conn: Ptr | null, name: Buf | null): Ptr;
  virStoragePoolLookupByTargetPath(conn: Ptr | null, path: Buf | null): Ptr;
  virStoragePoolLookupByUUID(conn: Ptr | null, uuid: Buf | null): Ptr;
  virStoragePoolLookupByUUIDString(conn: Ptr | null, uuidstr: Buf | null): Ptr;
  virStoragePoolLookupByVolume(vol: Ptr | null): Ptr;
  virStoragePoolNumOfVolumes(pool: Ptr | null): number;
  virStoragePoolRef(pool: Ptr | null): number;
  virStoragePoolRefresh(pool: Ptr | null, flags: number): number;
  virStoragePoolSetAutostart(pool: Ptr | null, autostart: number): number;
  virStoragePoolUndefine(pool: Ptr | null): number;
  virStorageVolCreateXML(pool: Ptr | null, xmlDesc: Buf | null, flags: number): Ptr;
  virStorageVolCreateXMLFrom(pool: Ptr | null, xmlDesc: Buf | null, clonevol: Ptr | null, flags: number): Ptr;
  virStorageVolDelete(vol: Ptr | null, flags: number): number;
  virStorageVolDownload(vol: Ptr | null, stream: Ptr | null, offset: number | bigint, length: number | bigint, flags: number): number;
  virStorageVolFree(vol: Ptr | null): number;
  virStorageVolGetConnect(vol: Ptr | null): Ptr;
  virStorageVolGetInfo(vol: Ptr | null, info: Buf | null): number;
  virStorageVolGetInfoFlags(vol: Ptr | null, info: Buf | null, flags: number): number;
  virStorageVolGetKey(vol: Ptr | null): Ptr;
  virStorageVolGetName(vol: Ptr | null): Ptr;
  virStorageVolGetPath(vol: Ptr | null): Ptr;
  virStorageVolGetXMLDesc(vol: Ptr | null, flags: number): Ptr;
  virStorageVolLookupByKey(conn: Ptr | null, key: Buf | null): Ptr;
  virStorageVolLookupByName(pool: Ptr | null, name: Buf | null): Ptr;
  virStorageVolLookupByPath(conn: Ptr | null, path: Buf | null): Ptr;
  virStorageVolRef(vol: Ptr | null): number;
  virStorageVolResize(vol: Ptr | null, capacity: number | bigint, flags: number): number;
  virStorageVolUpload(vol: Ptr | null, stream: Ptr | null, offset: number | bigint, length: number | bigint, flags: number): number;
  virStorageVolWipe(vol: Ptr | null, flags: number): number;
  virStorageVolWipePattern(vol: Ptr | null, algorithm: number, flags: number): number;
  virStreamAbort(stream: Ptr | null): number;
  virStreamEventRemoveCallback(stream: Ptr | null): number;
  virStreamEventUpdateCallback(stream: Ptr | null, events: number): number;
  virStreamFinish(stream: Ptr | null): number;
  virStreamFree(stream: Ptr | null): number;
  virStreamNew(conn: Ptr | null, flags: number): Ptr;
  virStreamRecv(stream: Ptr | null, data: Buf | null, nbytes: number | bigint): number;
  virStreamRecvFlags(stream: Ptr | null, data: Buf | null, nbytes: number | bigint, flags: number): number;
  virStreamRecvHole(stream: Ptr | null, length: Buf | null, flags: number): number;
  virStreamRef(stream: Ptr | null): number;
  virStreamSend(stream: Ptr | null, data: Buf | null, nbytes: number | bigint): number;
  virStreamSendHole(stream: Ptr | null, length: number | bigint, flags: number): number;
  virTypedParamsAddBoolean(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, value: number): number;
  virTypedParamsAddDouble(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, value: number): number;
  virTypedParamsAddFromString(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, type: number, value: Buf | null): number;
  virTypedParamsAddInt(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, value: number): number;
  virTypedParamsAddLLong(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, value: number | bigint): number;
  virTypedParamsAddString(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, value: Buf | null): number;
  virTypedParamsAddStringList(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, values: Buf | null): number;
  virTypedParamsAddUInt(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, value: number): number;
  virTypedParamsAddULLong(params: Buf | null, nparams: Buf | null, maxparams: Buf | null, name: Buf | null, value: number | bigint): number;
  virTypedParamsClear(params: Buf | null, nparams: number): void;
  virTypedParamsFree(params: Ptr | null, nparams: number): void;
  virTypedParamsGet(params: Buf | null, nparams: number, name: Buf | null): Ptr;
  virTypedParamsGetBoolean(params: Buf | null, nparams: number, name: Buf | null, value: Buf | null): number;
  virTypedParamsGetDouble(params: Buf | null, nparams: number, name: Buf | null, value: Buf | null): number;
  virTypedParamsGetInt(params: Buf | null, nparams: number, name: Buf | null, value: Buf | null): number;
  virTypedParamsGetLLong(params: Buf | null, nparams: number, name: Buf | null, value: Buf | null): number;
  virTypedParamsGetString(params: Buf | null, nparams: number, name: Buf | null, value: Buf | null): number;
  virTypedParamsGetUInt(params: Buf | null, nparams: number, name: Buf | null, value: Buf | null): number;
  virTypedParamsGetULLong(params: Buf | null, nparams: number, name: Buf | null, value: Buf | null): number;
}

/** Left out by ffi/gen/generate.ts, with the reason. */
export const SKIPPED: readonly string[] = [
  "virConnectDomainEventRegister: deprecated form of virConnectDomainEventRegisterAny",
  "virEventRegisterImpl: needs six C callbacks implementing an event loop (the default one is used)",
  "virStreamEventAddCallback: stream callbacks need an event loop",
  "virStreamRecvAll: stream sink callbacks",
  "virStreamSendAll: stream source callbacks",
  "virStreamSparseRecvAll: stream sink callbacks",
  "virStreamSparseSendAll: stream source callbacks"
];

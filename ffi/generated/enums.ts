// GENERATED FILE, DO NOT EDIT. libvirt's enums as const objects (DomainState.RUNNING === 1).
// Regenerate with `bun run gen:ffi` (ffi/gen/generate.ts) from libvirt-api.xml (libvirt-dev).
// Member keys drop the common C prefix; *_NAMES maps a value back to the full C name.

/** C enum virConnectBaselineCPUFlags */
export const ConnectBaselineCPUFlags = {
  EXPAND_FEATURES: 1,
  MIGRATABLE: 2,
} as const;
export const ConnectBaselineCPUFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_BASELINE_CPU_EXPAND_FEATURES","2":"VIR_CONNECT_BASELINE_CPU_MIGRATABLE"};

/** C enum virConnectCloseReason */
export const ConnectCloseReason = {
  CLIENT: 3,
  EOF: 1,
  ERROR: 0,
  KEEPALIVE: 2,
} as const;
export const ConnectCloseReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_CONNECT_CLOSE_REASON_ERROR","1":"VIR_CONNECT_CLOSE_REASON_EOF","2":"VIR_CONNECT_CLOSE_REASON_KEEPALIVE","3":"VIR_CONNECT_CLOSE_REASON_CLIENT"};

/** C enum virConnectCompareCPUFlags */
export const ConnectCompareCPUFlags = {
  FAIL_INCOMPATIBLE: 1,
  VALIDATE_XML: 2,
} as const;
export const ConnectCompareCPUFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_COMPARE_CPU_FAIL_INCOMPATIBLE","2":"VIR_CONNECT_COMPARE_CPU_VALIDATE_XML"};

/** C enum virConnectCredentialType */
export const ConnectCredentialType = {
  AUTHNAME: 2,
  CNONCE: 4,
  ECHOPROMPT: 6,
  EXTERNAL: 9,
  LANGUAGE: 3,
  NOECHOPROMPT: 7,
  PASSPHRASE: 5,
  REALM: 8,
  USERNAME: 1,
} as const;
export const ConnectCredentialType_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CRED_USERNAME","2":"VIR_CRED_AUTHNAME","3":"VIR_CRED_LANGUAGE","4":"VIR_CRED_CNONCE","5":"VIR_CRED_PASSPHRASE","6":"VIR_CRED_ECHOPROMPT","7":"VIR_CRED_NOECHOPROMPT","8":"VIR_CRED_REALM","9":"VIR_CRED_EXTERNAL"};

/** C enum virConnectDomainEventAgentLifecycleReason */
export const ConnectDomainEventAgentLifecycleReason = {
  CHANNEL: 2,
  DOMAIN_STARTED: 1,
  UNKNOWN: 0,
} as const;
export const ConnectDomainEventAgentLifecycleReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_UNKNOWN","1":"VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_DOMAIN_STARTED","2":"VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_REASON_CHANNEL"};

/** C enum virConnectDomainEventAgentLifecycleState */
export const ConnectDomainEventAgentLifecycleState = {
  CONNECTED: 1,
  DISCONNECTED: 2,
} as const;
export const ConnectDomainEventAgentLifecycleState_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_CONNECTED","2":"VIR_CONNECT_DOMAIN_EVENT_AGENT_LIFECYCLE_STATE_DISCONNECTED"};

/** C enum virConnectDomainEventBlockJobStatus */
export const ConnectDomainEventBlockJobStatus = {
  CANCELED: 2,
  COMPLETED: 0,
  FAILED: 1,
  READY: 3,
} as const;
export const ConnectDomainEventBlockJobStatus_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_BLOCK_JOB_COMPLETED","1":"VIR_DOMAIN_BLOCK_JOB_FAILED","2":"VIR_DOMAIN_BLOCK_JOB_CANCELED","3":"VIR_DOMAIN_BLOCK_JOB_READY"};

/** C enum virConnectDomainEventDiskChangeReason */
export const ConnectDomainEventDiskChangeReason = {
  CHANGE_MISSING_ON_START: 0,
  DROP_MISSING_ON_START: 1,
} as const;
export const ConnectDomainEventDiskChangeReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_DISK_CHANGE_MISSING_ON_START","1":"VIR_DOMAIN_EVENT_DISK_DROP_MISSING_ON_START"};

/** C enum virConnectFlags */
export const ConnectFlags = {
  NO_ALIASES: 2,
  RO: 1,
} as const;
export const ConnectFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_RO","2":"VIR_CONNECT_NO_ALIASES"};

/** C enum virConnectGetAllDomainStatsFlags */
export const ConnectGetAllDomainStatsFlags = {
  BACKING: 1073741824,
  ENFORCE_STATS: 2147483648,
  NOWAIT: 536870912,
} as const;
export const ConnectGetAllDomainStatsFlags_NAMES: Readonly<Record<number, string>> = {"536870912":"VIR_CONNECT_GET_ALL_DOMAINS_STATS_NOWAIT","1073741824":"VIR_CONNECT_GET_ALL_DOMAINS_STATS_BACKING","2147483648":"VIR_CONNECT_GET_ALL_DOMAINS_STATS_ENFORCE_STATS"};

/** C enum virConnectListAllDomainsFlags */
export const ConnectListAllDomainsFlags = {
  ACTIVE: 1,
  AUTOSTART: 1024,
  HAS_CHECKPOINT: 16384,
  HAS_SNAPSHOT: 4096,
  INACTIVE: 2,
  MANAGEDSAVE: 256,
  NO_AUTOSTART: 2048,
  NO_CHECKPOINT: 32768,
  NO_MANAGEDSAVE: 512,
  NO_SNAPSHOT: 8192,
  OTHER: 128,
  PAUSED: 32,
  PERSISTENT: 4,
  RUNNING: 16,
  SHUTOFF: 64,
  TRANSIENT: 8,
} as const;
export const ConnectListAllDomainsFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_LIST_DOMAINS_ACTIVE","2":"VIR_CONNECT_LIST_DOMAINS_INACTIVE","4":"VIR_CONNECT_LIST_DOMAINS_PERSISTENT","8":"VIR_CONNECT_LIST_DOMAINS_TRANSIENT","16":"VIR_CONNECT_LIST_DOMAINS_RUNNING","32":"VIR_CONNECT_LIST_DOMAINS_PAUSED","64":"VIR_CONNECT_LIST_DOMAINS_SHUTOFF","128":"VIR_CONNECT_LIST_DOMAINS_OTHER","256":"VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE","512":"VIR_CONNECT_LIST_DOMAINS_NO_MANAGEDSAVE","1024":"VIR_CONNECT_LIST_DOMAINS_AUTOSTART","2048":"VIR_CONNECT_LIST_DOMAINS_NO_AUTOSTART","4096":"VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT","8192":"VIR_CONNECT_LIST_DOMAINS_NO_SNAPSHOT","16384":"VIR_CONNECT_LIST_DOMAINS_HAS_CHECKPOINT","32768":"VIR_CONNECT_LIST_DOMAINS_NO_CHECKPOINT"};

/** C enum virConnectListAllInterfacesFlags */
export const ConnectListAllInterfacesFlags = {
  ACTIVE: 2,
  INACTIVE: 1,
} as const;
export const ConnectListAllInterfacesFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_LIST_INTERFACES_INACTIVE","2":"VIR_CONNECT_LIST_INTERFACES_ACTIVE"};

/** C enum virConnectListAllNetworksFlags */
export const ConnectListAllNetworksFlags = {
  ACTIVE: 2,
  AUTOSTART: 16,
  INACTIVE: 1,
  NO_AUTOSTART: 32,
  PERSISTENT: 4,
  TRANSIENT: 8,
} as const;
export const ConnectListAllNetworksFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_LIST_NETWORKS_INACTIVE","2":"VIR_CONNECT_LIST_NETWORKS_ACTIVE","4":"VIR_CONNECT_LIST_NETWORKS_PERSISTENT","8":"VIR_CONNECT_LIST_NETWORKS_TRANSIENT","16":"VIR_CONNECT_LIST_NETWORKS_AUTOSTART","32":"VIR_CONNECT_LIST_NETWORKS_NO_AUTOSTART"};

/** C enum virConnectListAllNodeDeviceFlags */
export const ConnectListAllNodeDeviceFlags = {
  ACTIVE: 2147483648,
  CAP_AP_CARD: 262144,
  CAP_AP_MATRIX: 1048576,
  CAP_AP_QUEUE: 524288,
  CAP_CCW_DEV: 32768,
  CAP_CSS_DEV: 65536,
  CAP_DRM: 4096,
  CAP_FC_HOST: 512,
  CAP_MDEV: 16384,
  CAP_MDEV_TYPES: 8192,
  CAP_NET: 16,
  CAP_PCI_DEV: 2,
  CAP_SCSI: 128,
  CAP_SCSI_GENERIC: 2048,
  CAP_SCSI_HOST: 32,
  CAP_SCSI_TARGET: 64,
  CAP_STORAGE: 256,
  CAP_SYSTEM: 1,
  CAP_USB_DEV: 4,
  CAP_USB_INTERFACE: 8,
  CAP_VDPA: 131072,
  CAP_VPD: 2097152,
  CAP_VPORTS: 1024,
  INACTIVE: 1073741824,
} as const;
export const ConnectListAllNodeDeviceFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_SYSTEM","2":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_PCI_DEV","4":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_DEV","8":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_USB_INTERFACE","16":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_NET","32":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_HOST","64":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_TARGET","128":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI","256":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_STORAGE","512":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_FC_HOST","1024":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPORTS","2048":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_SCSI_GENERIC","4096":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_DRM","8192":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV_TYPES","16384":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_MDEV","32768":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_CCW_DEV","65536":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_CSS_DEV","131072":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_VDPA","262144":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_CARD","524288":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_QUEUE","1048576":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_AP_MATRIX","2097152":"VIR_CONNECT_LIST_NODE_DEVICES_CAP_VPD","1073741824":"VIR_CONNECT_LIST_NODE_DEVICES_INACTIVE","2147483648":"VIR_CONNECT_LIST_NODE_DEVICES_ACTIVE"};

/** C enum virConnectListAllSecretsFlags */
export const ConnectListAllSecretsFlags = {
  EPHEMERAL: 1,
  NO_EPHEMERAL: 2,
  NO_PRIVATE: 8,
  PRIVATE: 4,
} as const;
export const ConnectListAllSecretsFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_LIST_SECRETS_EPHEMERAL","2":"VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL","4":"VIR_CONNECT_LIST_SECRETS_PRIVATE","8":"VIR_CONNECT_LIST_SECRETS_NO_PRIVATE"};

/** C enum virConnectListAllStoragePoolsFlags */
export const ConnectListAllStoragePoolsFlags = {
  ACTIVE: 2,
  AUTOSTART: 16,
  DIR: 64,
  DISK: 1024,
  FS: 128,
  GLUSTER: 65536,
  INACTIVE: 1,
  ISCSI: 2048,
  ISCSI_DIRECT: 524288,
  LOGICAL: 512,
  MPATH: 8192,
  NETFS: 256,
  NO_AUTOSTART: 32,
  PERSISTENT: 4,
  RBD: 16384,
  SCSI: 4096,
  SHEEPDOG: 32768,
  TRANSIENT: 8,
  VSTORAGE: 262144,
  ZFS: 131072,
} as const;
export const ConnectListAllStoragePoolsFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_CONNECT_LIST_STORAGE_POOLS_INACTIVE","2":"VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE","4":"VIR_CONNECT_LIST_STORAGE_POOLS_PERSISTENT","8":"VIR_CONNECT_LIST_STORAGE_POOLS_TRANSIENT","16":"VIR_CONNECT_LIST_STORAGE_POOLS_AUTOSTART","32":"VIR_CONNECT_LIST_STORAGE_POOLS_NO_AUTOSTART","64":"VIR_CONNECT_LIST_STORAGE_POOLS_DIR","128":"VIR_CONNECT_LIST_STORAGE_POOLS_FS","256":"VIR_CONNECT_LIST_STORAGE_POOLS_NETFS","512":"VIR_CONNECT_LIST_STORAGE_POOLS_LOGICAL","1024":"VIR_CONNECT_LIST_STORAGE_POOLS_DISK","2048":"VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI","4096":"VIR_CONNECT_LIST_STORAGE_POOLS_SCSI","8192":"VIR_CONNECT_LIST_STORAGE_POOLS_MPATH","16384":"VIR_CONNECT_LIST_STORAGE_POOLS_RBD","32768":"VIR_CONNECT_LIST_STORAGE_POOLS_SHEEPDOG","65536":"VIR_CONNECT_LIST_STORAGE_POOLS_GLUSTER","131072":"VIR_CONNECT_LIST_STORAGE_POOLS_ZFS","262144":"VIR_CONNECT_LIST_STORAGE_POOLS_VSTORAGE","524288":"VIR_CONNECT_LIST_STORAGE_POOLS_ISCSI_DIRECT"};

/** C enum virCPUCompareResult */
export const CPUCompareResult = {
  ERROR: -1,
  IDENTICAL: 1,
  INCOMPATIBLE: 0,
  SUPERSET: 2,
} as const;
export const CPUCompareResult_NAMES: Readonly<Record<number, string>> = {"0":"VIR_CPU_COMPARE_INCOMPATIBLE","1":"VIR_CPU_COMPARE_IDENTICAL","2":"VIR_CPU_COMPARE_SUPERSET","-1":"VIR_CPU_COMPARE_ERROR"};

/** C enum virDomainAbortJobFlagsValues */
export const DomainAbortJobFlags = {
  POSTCOPY: 1,
} as const;
export const DomainAbortJobFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_ABORT_JOB_POSTCOPY"};

/** C enum virDomainAgentResponseTimeoutValues */
export const DomainAgentResponseTimeout = {
  BLOCK: -2,
  DEFAULT: -1,
  NOWAIT: 0,
} as const;
export const DomainAgentResponseTimeout_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_NOWAIT","-2":"VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_BLOCK","-1":"VIR_DOMAIN_AGENT_RESPONSE_TIMEOUT_DEFAULT"};

/** C enum virDomainAuthorizedSSHKeysSetFlags */
export const DomainAuthorizedSSHKeysSetFlags = {
  APPEND: 1,
  REMOVE: 2,
} as const;
export const DomainAuthorizedSSHKeysSetFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_APPEND","2":"VIR_DOMAIN_AUTHORIZED_SSH_KEYS_SET_REMOVE"};

/** C enum virDomainBackupBeginFlags */
export const DomainBackupBeginFlags = {
  EXTERNAL: 1,
} as const;
export const DomainBackupBeginFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BACKUP_BEGIN_REUSE_EXTERNAL"};

/** C enum virDomainBlockCommitFlags */
export const DomainBlockCommitFlags = {
  ACTIVE: 4,
  BANDWIDTH_BYTES: 16,
  DELETE: 2,
  RELATIVE: 8,
  SHALLOW: 1,
} as const;
export const DomainBlockCommitFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BLOCK_COMMIT_SHALLOW","2":"VIR_DOMAIN_BLOCK_COMMIT_DELETE","4":"VIR_DOMAIN_BLOCK_COMMIT_ACTIVE","8":"VIR_DOMAIN_BLOCK_COMMIT_RELATIVE","16":"VIR_DOMAIN_BLOCK_COMMIT_BANDWIDTH_BYTES"};

/** C enum virDomainBlockCopyFlags */
export const DomainBlockCopyFlags = {
  REUSE_EXT: 2,
  SHALLOW: 1,
  SYNCHRONOUS_WRITES: 8,
  TRANSIENT_JOB: 4,
} as const;
export const DomainBlockCopyFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BLOCK_COPY_SHALLOW","2":"VIR_DOMAIN_BLOCK_COPY_REUSE_EXT","4":"VIR_DOMAIN_BLOCK_COPY_TRANSIENT_JOB","8":"VIR_DOMAIN_BLOCK_COPY_SYNCHRONOUS_WRITES"};

/** C enum virDomainBlockedReason */
export const DomainBlockedReason = {
  UNKNOWN: 0,
} as const;
export const DomainBlockedReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_BLOCKED_UNKNOWN"};

/** C enum virDomainBlockJobAbortFlags */
export const DomainBlockJobAbortFlags = {
  ASYNC: 1,
  PIVOT: 2,
} as const;
export const DomainBlockJobAbortFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BLOCK_JOB_ABORT_ASYNC","2":"VIR_DOMAIN_BLOCK_JOB_ABORT_PIVOT"};

/** C enum virDomainBlockJobInfoFlags */
export const DomainBlockJobInfoFlags = {
  BYTES: 1,
} as const;
export const DomainBlockJobInfoFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BLOCK_JOB_INFO_BANDWIDTH_BYTES"};

/** C enum virDomainBlockJobSetSpeedFlags */
export const DomainBlockJobSetSpeedFlags = {
  BYTES: 1,
} as const;
export const DomainBlockJobSetSpeedFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BLOCK_JOB_SPEED_BANDWIDTH_BYTES"};

/** C enum virDomainBlockJobType */
export const DomainBlockJobType = {
  ACTIVE_COMMIT: 4,
  BACKUP: 5,
  COMMIT: 3,
  COPY: 2,
  PULL: 1,
  UNKNOWN: 0,
} as const;
export const DomainBlockJobType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_BLOCK_JOB_TYPE_UNKNOWN","1":"VIR_DOMAIN_BLOCK_JOB_TYPE_PULL","2":"VIR_DOMAIN_BLOCK_JOB_TYPE_COPY","3":"VIR_DOMAIN_BLOCK_JOB_TYPE_COMMIT","4":"VIR_DOMAIN_BLOCK_JOB_TYPE_ACTIVE_COMMIT","5":"VIR_DOMAIN_BLOCK_JOB_TYPE_BACKUP"};

/** C enum virDomainBlockPullFlags */
export const DomainBlockPullFlags = {
  BYTES: 64,
} as const;
export const DomainBlockPullFlags_NAMES: Readonly<Record<number, string>> = {"64":"VIR_DOMAIN_BLOCK_PULL_BANDWIDTH_BYTES"};

/** C enum virDomainBlockRebaseFlags */
export const DomainBlockRebaseFlags = {
  BANDWIDTH_BYTES: 64,
  COPY: 8,
  COPY_DEV: 32,
  COPY_RAW: 4,
  RELATIVE: 16,
  REUSE_EXT: 2,
  SHALLOW: 1,
} as const;
export const DomainBlockRebaseFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BLOCK_REBASE_SHALLOW","2":"VIR_DOMAIN_BLOCK_REBASE_REUSE_EXT","4":"VIR_DOMAIN_BLOCK_REBASE_COPY_RAW","8":"VIR_DOMAIN_BLOCK_REBASE_COPY","16":"VIR_DOMAIN_BLOCK_REBASE_RELATIVE","32":"VIR_DOMAIN_BLOCK_REBASE_COPY_DEV","64":"VIR_DOMAIN_BLOCK_REBASE_BANDWIDTH_BYTES"};

/** C enum virDomainBlockResizeFlags */
export const DomainBlockResizeFlags = {
  BYTES: 1,
} as const;
export const DomainBlockResizeFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_BLOCK_RESIZE_BYTES"};

/** C enum virDomainChannelFlags */
export const DomainChannelFlags = {
  FORCE: 1,
} as const;
export const DomainChannelFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_CHANNEL_FORCE"};

/** C enum virDomainCheckpointCreateFlags */
export const DomainCheckpointCreateFlags = {
  QUIESCE: 2,
  REDEFINE: 1,
  REDEFINE_VALIDATE: 4,
} as const;
export const DomainCheckpointCreateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE","2":"VIR_DOMAIN_CHECKPOINT_CREATE_QUIESCE","4":"VIR_DOMAIN_CHECKPOINT_CREATE_REDEFINE_VALIDATE"};

/** C enum virDomainCheckpointDeleteFlags */
export const DomainCheckpointDeleteFlags = {
  CHILDREN: 1,
  CHILDREN_ONLY: 4,
  METADATA_ONLY: 2,
} as const;
export const DomainCheckpointDeleteFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN","2":"VIR_DOMAIN_CHECKPOINT_DELETE_METADATA_ONLY","4":"VIR_DOMAIN_CHECKPOINT_DELETE_CHILDREN_ONLY"};

/** C enum virDomainCheckpointListFlags */
export const DomainCheckpointListFlags = {
  DESCENDANTS: 1,
  LEAVES: 4,
  NO_LEAVES: 8,
  ROOTS: 1,
  TOPOLOGICAL: 2,
} as const;
export const DomainCheckpointListFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_CHECKPOINT_LIST_DESCENDANTS","2":"VIR_DOMAIN_CHECKPOINT_LIST_TOPOLOGICAL","4":"VIR_DOMAIN_CHECKPOINT_LIST_LEAVES","8":"VIR_DOMAIN_CHECKPOINT_LIST_NO_LEAVES"};

/** C enum virDomainCheckpointXMLFlags */
export const DomainCheckpointXMLFlags = {
  NO_DOMAIN: 2,
  SECURE: 1,
  SIZE: 4,
} as const;
export const DomainCheckpointXMLFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_CHECKPOINT_XML_SECURE","2":"VIR_DOMAIN_CHECKPOINT_XML_NO_DOMAIN","4":"VIR_DOMAIN_CHECKPOINT_XML_SIZE"};

/** C enum virDomainConsoleFlags */
export const DomainConsoleFlags = {
  FORCE: 1,
  SAFE: 2,
} as const;
export const DomainConsoleFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_CONSOLE_FORCE","2":"VIR_DOMAIN_CONSOLE_SAFE"};

/** C enum virDomainControlErrorReason */
export const DomainControlErrorReason = {
  INTERNAL: 3,
  MONITOR: 2,
  NONE: 0,
  UNKNOWN: 1,
} as const;
export const DomainControlErrorReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_CONTROL_ERROR_REASON_NONE","1":"VIR_DOMAIN_CONTROL_ERROR_REASON_UNKNOWN","2":"VIR_DOMAIN_CONTROL_ERROR_REASON_MONITOR","3":"VIR_DOMAIN_CONTROL_ERROR_REASON_INTERNAL"};

/** C enum virDomainControlState */
export const DomainControlState = {
  ERROR: 3,
  JOB: 1,
  OCCUPIED: 2,
  OK: 0,
} as const;
export const DomainControlState_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_CONTROL_OK","1":"VIR_DOMAIN_CONTROL_JOB","2":"VIR_DOMAIN_CONTROL_OCCUPIED","3":"VIR_DOMAIN_CONTROL_ERROR"};

/** C enum virDomainCoreDumpFlags */
export const DomainCoreDumpFlags = {
  BYPASS_CACHE: 4,
  CRASH: 1,
  LIVE: 2,
  MEMORY_ONLY: 16,
  RESET: 8,
} as const;
export const DomainCoreDumpFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DUMP_CRASH","2":"VIR_DUMP_LIVE","4":"VIR_DUMP_BYPASS_CACHE","8":"VIR_DUMP_RESET","16":"VIR_DUMP_MEMORY_ONLY"};

/** C enum virDomainCoreDumpFormat */
export const DomainCoreDumpFormat = {
  KDUMP_LZO: 2,
  KDUMP_SNAPPY: 3,
  KDUMP_ZLIB: 1,
  RAW: 0,
  WIN_DMP: 4,
} as const;
export const DomainCoreDumpFormat_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_CORE_DUMP_FORMAT_RAW","1":"VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_ZLIB","2":"VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_LZO","3":"VIR_DOMAIN_CORE_DUMP_FORMAT_KDUMP_SNAPPY","4":"VIR_DOMAIN_CORE_DUMP_FORMAT_WIN_DMP"};

/** C enum virDomainCrashedReason */
export const DomainCrashedReason = {
  PANICKED: 1,
  UNKNOWN: 0,
} as const;
export const DomainCrashedReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_CRASHED_UNKNOWN","1":"VIR_DOMAIN_CRASHED_PANICKED"};

/** C enum virDomainCreateFlags */
export const DomainCreateFlags = {
  NONE: 0,
  START_AUTODESTROY: 2,
  START_BYPASS_CACHE: 4,
  START_FORCE_BOOT: 8,
  START_PAUSED: 1,
  START_RESET_NVRAM: 32,
  START_VALIDATE: 16,
} as const;
export const DomainCreateFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_NONE","1":"VIR_DOMAIN_START_PAUSED","2":"VIR_DOMAIN_START_AUTODESTROY","4":"VIR_DOMAIN_START_BYPASS_CACHE","8":"VIR_DOMAIN_START_FORCE_BOOT","16":"VIR_DOMAIN_START_VALIDATE","32":"VIR_DOMAIN_START_RESET_NVRAM"};

/** C enum virDomainDefineFlags */
export const DomainDefineFlags = {
  VALIDATE: 1,
} as const;
export const DomainDefineFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_DEFINE_VALIDATE"};

/** C enum virDomainDestroyFlagsValues */
export const DomainDestroyFlags = {
  DEFAULT: 0,
  GRACEFUL: 1,
  REMOVE_LOGS: 2,
} as const;
export const DomainDestroyFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_DESTROY_DEFAULT","1":"VIR_DOMAIN_DESTROY_GRACEFUL","2":"VIR_DOMAIN_DESTROY_REMOVE_LOGS"};

/** C enum virDomainDeviceModifyFlags */
export const DomainDeviceModifyFlags = {
  FORCE: 4,
} as const;
export const DomainDeviceModifyFlags_NAMES: Readonly<Record<number, string>> = {"4":"VIR_DOMAIN_DEVICE_MODIFY_FORCE"};

/** C enum virDomainDirtyRateCalcFlags */
export const DomainDirtyRateCalcFlags = {
  DIRTY_BITMAP: 1,
  DIRTY_RING: 2,
  PAGE_SAMPLING: 0,
} as const;
export const DomainDirtyRateCalcFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_DIRTYRATE_MODE_PAGE_SAMPLING","1":"VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_BITMAP","2":"VIR_DOMAIN_DIRTYRATE_MODE_DIRTY_RING"};

/** C enum virDomainDirtyRateStatus */
export const DomainDirtyRateStatus = {
  MEASURED: 2,
  MEASURING: 1,
  UNSTARTED: 0,
} as const;
export const DomainDirtyRateStatus_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_DIRTYRATE_UNSTARTED","1":"VIR_DOMAIN_DIRTYRATE_MEASURING","2":"VIR_DOMAIN_DIRTYRATE_MEASURED"};

/** C enum virDomainDiskErrorCode */
export const DomainDiskErrorCode = {
  NONE: 0,
  NO_SPACE: 2,
  UNSPEC: 1,
} as const;
export const DomainDiskErrorCode_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_DISK_ERROR_NONE","1":"VIR_DOMAIN_DISK_ERROR_UNSPEC","2":"VIR_DOMAIN_DISK_ERROR_NO_SPACE"};

/** C enum virDomainEventCrashedDetailType */
export const DomainEventCrashedDetailType = {
  CRASHLOADED: 1,
  PANICKED: 0,
} as const;
export const DomainEventCrashedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_CRASHED_PANICKED","1":"VIR_DOMAIN_EVENT_CRASHED_CRASHLOADED"};

/** C enum virDomainEventDefinedDetailType */
export const DomainEventDefinedDetailType = {
  ADDED: 0,
  FROM_SNAPSHOT: 3,
  RENAMED: 2,
  UPDATED: 1,
} as const;
export const DomainEventDefinedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_DEFINED_ADDED","1":"VIR_DOMAIN_EVENT_DEFINED_UPDATED","2":"VIR_DOMAIN_EVENT_DEFINED_RENAMED","3":"VIR_DOMAIN_EVENT_DEFINED_FROM_SNAPSHOT"};

/** C enum virDomainEventGraphicsAddressType */
export const DomainEventGraphicsAddressType = {
  IPV4: 0,
  IPV6: 1,
  UNIX: 2,
} as const;
export const DomainEventGraphicsAddressType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV4","1":"VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_IPV6","2":"VIR_DOMAIN_EVENT_GRAPHICS_ADDRESS_UNIX"};

/** C enum virDomainEventGraphicsPhase */
export const DomainEventGraphicsPhase = {
  CONNECT: 0,
  DISCONNECT: 2,
  INITIALIZE: 1,
} as const;
export const DomainEventGraphicsPhase_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_GRAPHICS_CONNECT","1":"VIR_DOMAIN_EVENT_GRAPHICS_INITIALIZE","2":"VIR_DOMAIN_EVENT_GRAPHICS_DISCONNECT"};

/** C enum virDomainEventID */
export const DomainEventID = {
  AGENT_LIFECYCLE: 18,
  BALLOON_CHANGE: 13,
  BLOCK_JOB: 8,
  BLOCK_JOB_2: 16,
  BLOCK_THRESHOLD: 24,
  CONTROL_ERROR: 7,
  DEVICE_ADDED: 19,
  DEVICE_REMOVAL_FAILED: 22,
  DEVICE_REMOVED: 15,
  DISK_CHANGE: 9,
  GRAPHICS: 5,
  IO_ERROR: 4,
  IO_ERROR_REASON: 6,
  JOB_COMPLETED: 21,
  LIFECYCLE: 0,
  MEMORY_DEVICE_SIZE_CHANGE: 26,
  MEMORY_FAILURE: 25,
  METADATA_CHANGE: 23,
  MIGRATION_ITERATION: 20,
  PMSUSPEND: 12,
  PMSUSPEND_DISK: 14,
  PMWAKEUP: 11,
  REBOOT: 1,
  RTC_CHANGE: 2,
  TRAY_CHANGE: 10,
  TUNABLE: 17,
  WATCHDOG: 3,
} as const;
export const DomainEventID_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_ID_LIFECYCLE","1":"VIR_DOMAIN_EVENT_ID_REBOOT","2":"VIR_DOMAIN_EVENT_ID_RTC_CHANGE","3":"VIR_DOMAIN_EVENT_ID_WATCHDOG","4":"VIR_DOMAIN_EVENT_ID_IO_ERROR","5":"VIR_DOMAIN_EVENT_ID_GRAPHICS","6":"VIR_DOMAIN_EVENT_ID_IO_ERROR_REASON","7":"VIR_DOMAIN_EVENT_ID_CONTROL_ERROR","8":"VIR_DOMAIN_EVENT_ID_BLOCK_JOB","9":"VIR_DOMAIN_EVENT_ID_DISK_CHANGE","10":"VIR_DOMAIN_EVENT_ID_TRAY_CHANGE","11":"VIR_DOMAIN_EVENT_ID_PMWAKEUP","12":"VIR_DOMAIN_EVENT_ID_PMSUSPEND","13":"VIR_DOMAIN_EVENT_ID_BALLOON_CHANGE","14":"VIR_DOMAIN_EVENT_ID_PMSUSPEND_DISK","15":"VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED","16":"VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2","17":"VIR_DOMAIN_EVENT_ID_TUNABLE","18":"VIR_DOMAIN_EVENT_ID_AGENT_LIFECYCLE","19":"VIR_DOMAIN_EVENT_ID_DEVICE_ADDED","20":"VIR_DOMAIN_EVENT_ID_MIGRATION_ITERATION","21":"VIR_DOMAIN_EVENT_ID_JOB_COMPLETED","22":"VIR_DOMAIN_EVENT_ID_DEVICE_REMOVAL_FAILED","23":"VIR_DOMAIN_EVENT_ID_METADATA_CHANGE","24":"VIR_DOMAIN_EVENT_ID_BLOCK_THRESHOLD","25":"VIR_DOMAIN_EVENT_ID_MEMORY_FAILURE","26":"VIR_DOMAIN_EVENT_ID_MEMORY_DEVICE_SIZE_CHANGE"};

/** C enum virDomainEventIOErrorAction */
export const DomainEventIOErrorAction = {
  NONE: 0,
  PAUSE: 1,
  REPORT: 2,
} as const;
export const DomainEventIOErrorAction_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_IO_ERROR_NONE","1":"VIR_DOMAIN_EVENT_IO_ERROR_PAUSE","2":"VIR_DOMAIN_EVENT_IO_ERROR_REPORT"};

/** C enum virDomainEventPMSuspendedDetailType */
export const DomainEventPMSuspendedDetailType = {
  DISK: 1,
  MEMORY: 0,
} as const;
export const DomainEventPMSuspendedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_PMSUSPENDED_MEMORY","1":"VIR_DOMAIN_EVENT_PMSUSPENDED_DISK"};

/** C enum virDomainEventResumedDetailType */
export const DomainEventResumedDetailType = {
  FROM_SNAPSHOT: 2,
  MIGRATED: 1,
  POSTCOPY: 3,
  POSTCOPY_FAILED: 4,
  UNPAUSED: 0,
} as const;
export const DomainEventResumedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_RESUMED_UNPAUSED","1":"VIR_DOMAIN_EVENT_RESUMED_MIGRATED","2":"VIR_DOMAIN_EVENT_RESUMED_FROM_SNAPSHOT","3":"VIR_DOMAIN_EVENT_RESUMED_POSTCOPY","4":"VIR_DOMAIN_EVENT_RESUMED_POSTCOPY_FAILED"};

/** C enum virDomainEventShutdownDetailType */
export const DomainEventShutdownDetailType = {
  FINISHED: 0,
  GUEST: 1,
  HOST: 2,
} as const;
export const DomainEventShutdownDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_SHUTDOWN_FINISHED","1":"VIR_DOMAIN_EVENT_SHUTDOWN_GUEST","2":"VIR_DOMAIN_EVENT_SHUTDOWN_HOST"};

/** C enum virDomainEventStartedDetailType */
export const DomainEventStartedDetailType = {
  BOOTED: 0,
  FROM_SNAPSHOT: 3,
  MIGRATED: 1,
  RESTORED: 2,
  WAKEUP: 4,
} as const;
export const DomainEventStartedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_STARTED_BOOTED","1":"VIR_DOMAIN_EVENT_STARTED_MIGRATED","2":"VIR_DOMAIN_EVENT_STARTED_RESTORED","3":"VIR_DOMAIN_EVENT_STARTED_FROM_SNAPSHOT","4":"VIR_DOMAIN_EVENT_STARTED_WAKEUP"};

/** C enum virDomainEventStoppedDetailType */
export const DomainEventStoppedDetailType = {
  CRASHED: 2,
  DESTROYED: 1,
  FAILED: 5,
  FROM_SNAPSHOT: 6,
  MIGRATED: 3,
  SAVED: 4,
  SHUTDOWN: 0,
} as const;
export const DomainEventStoppedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_STOPPED_SHUTDOWN","1":"VIR_DOMAIN_EVENT_STOPPED_DESTROYED","2":"VIR_DOMAIN_EVENT_STOPPED_CRASHED","3":"VIR_DOMAIN_EVENT_STOPPED_MIGRATED","4":"VIR_DOMAIN_EVENT_STOPPED_SAVED","5":"VIR_DOMAIN_EVENT_STOPPED_FAILED","6":"VIR_DOMAIN_EVENT_STOPPED_FROM_SNAPSHOT"};

/** C enum virDomainEventSuspendedDetailType */
export const DomainEventSuspendedDetailType = {
  API_ERROR: 6,
  FROM_SNAPSHOT: 5,
  IOERROR: 2,
  MIGRATED: 1,
  PAUSED: 0,
  POSTCOPY: 7,
  POSTCOPY_FAILED: 8,
  RESTORED: 4,
  WATCHDOG: 3,
} as const;
export const DomainEventSuspendedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_SUSPENDED_PAUSED","1":"VIR_DOMAIN_EVENT_SUSPENDED_MIGRATED","2":"VIR_DOMAIN_EVENT_SUSPENDED_IOERROR","3":"VIR_DOMAIN_EVENT_SUSPENDED_WATCHDOG","4":"VIR_DOMAIN_EVENT_SUSPENDED_RESTORED","5":"VIR_DOMAIN_EVENT_SUSPENDED_FROM_SNAPSHOT","6":"VIR_DOMAIN_EVENT_SUSPENDED_API_ERROR","7":"VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY","8":"VIR_DOMAIN_EVENT_SUSPENDED_POSTCOPY_FAILED"};

/** C enum virDomainEventTrayChangeReason */
export const DomainEventTrayChangeReason = {
  CLOSE: 1,
  OPEN: 0,
} as const;
export const DomainEventTrayChangeReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_TRAY_CHANGE_OPEN","1":"VIR_DOMAIN_EVENT_TRAY_CHANGE_CLOSE"};

/** C enum virDomainEventType */
export const DomainEventType = {
  CRASHED: 8,
  DEFINED: 0,
  PMSUSPENDED: 7,
  RESUMED: 4,
  SHUTDOWN: 6,
  STARTED: 2,
  STOPPED: 5,
  SUSPENDED: 3,
  UNDEFINED: 1,
} as const;
export const DomainEventType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_DEFINED","1":"VIR_DOMAIN_EVENT_UNDEFINED","2":"VIR_DOMAIN_EVENT_STARTED","3":"VIR_DOMAIN_EVENT_SUSPENDED","4":"VIR_DOMAIN_EVENT_RESUMED","5":"VIR_DOMAIN_EVENT_STOPPED","6":"VIR_DOMAIN_EVENT_SHUTDOWN","7":"VIR_DOMAIN_EVENT_PMSUSPENDED","8":"VIR_DOMAIN_EVENT_CRASHED"};

/** C enum virDomainEventUndefinedDetailType */
export const DomainEventUndefinedDetailType = {
  REMOVED: 0,
  RENAMED: 1,
} as const;
export const DomainEventUndefinedDetailType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_UNDEFINED_REMOVED","1":"VIR_DOMAIN_EVENT_UNDEFINED_RENAMED"};

/** C enum virDomainEventWatchdogAction */
export const DomainEventWatchdogAction = {
  DEBUG: 5,
  INJECTNMI: 6,
  NONE: 0,
  PAUSE: 1,
  POWEROFF: 3,
  RESET: 2,
  SHUTDOWN: 4,
} as const;
export const DomainEventWatchdogAction_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_WATCHDOG_NONE","1":"VIR_DOMAIN_EVENT_WATCHDOG_PAUSE","2":"VIR_DOMAIN_EVENT_WATCHDOG_RESET","3":"VIR_DOMAIN_EVENT_WATCHDOG_POWEROFF","4":"VIR_DOMAIN_EVENT_WATCHDOG_SHUTDOWN","5":"VIR_DOMAIN_EVENT_WATCHDOG_DEBUG","6":"VIR_DOMAIN_EVENT_WATCHDOG_INJECTNMI"};

/** C enum virDomainFDAssociateFlags */
export const DomainFDAssociateFlags = {
  RESTORE: 1,
  WRITABLE: 2,
} as const;
export const DomainFDAssociateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_FD_ASSOCIATE_SECLABEL_RESTORE","2":"VIR_DOMAIN_FD_ASSOCIATE_SECLABEL_WRITABLE"};

/** C enum virDomainGetHostnameFlags */
export const DomainGetHostnameFlags = {
  AGENT: 2,
  LEASE: 1,
} as const;
export const DomainGetHostnameFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_GET_HOSTNAME_LEASE","2":"VIR_DOMAIN_GET_HOSTNAME_AGENT"};

/** C enum virDomainGetJobStatsFlags */
export const DomainGetJobStatsFlags = {
  COMPLETED: 1,
  KEEP_COMPLETED: 2,
} as const;
export const DomainGetJobStatsFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_JOB_STATS_COMPLETED","2":"VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED"};

/** C enum virDomainGuestInfoTypes */
export const DomainGuestInfoTypes = {
  DISKS: 32,
  FILESYSTEM: 16,
  HOSTNAME: 8,
  INTERFACES: 64,
  OS: 2,
  TIMEZONE: 4,
  USERS: 1,
} as const;
export const DomainGuestInfoTypes_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_GUEST_INFO_USERS","2":"VIR_DOMAIN_GUEST_INFO_OS","4":"VIR_DOMAIN_GUEST_INFO_TIMEZONE","8":"VIR_DOMAIN_GUEST_INFO_HOSTNAME","16":"VIR_DOMAIN_GUEST_INFO_FILESYSTEM","32":"VIR_DOMAIN_GUEST_INFO_DISKS","64":"VIR_DOMAIN_GUEST_INFO_INTERFACES"};

/** C enum virDomainInterfaceAddressesSource */
export const DomainInterfaceAddressesSource = {
  AGENT: 1,
  ARP: 2,
  LEASE: 0,
} as const;
export const DomainInterfaceAddressesSource_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE","1":"VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_AGENT","2":"VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_ARP"};

/** C enum virDomainJobOperation */
export const DomainJobOperation = {
  BACKUP: 9,
  DUMP: 8,
  MIGRATION_IN: 4,
  MIGRATION_OUT: 5,
  RESTORE: 3,
  SAVE: 2,
  SNAPSHOT: 6,
  SNAPSHOT_DELETE: 10,
  SNAPSHOT_REVERT: 7,
  START: 1,
  UNKNOWN: 0,
} as const;
export const DomainJobOperation_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_JOB_OPERATION_UNKNOWN","1":"VIR_DOMAIN_JOB_OPERATION_START","2":"VIR_DOMAIN_JOB_OPERATION_SAVE","3":"VIR_DOMAIN_JOB_OPERATION_RESTORE","4":"VIR_DOMAIN_JOB_OPERATION_MIGRATION_IN","5":"VIR_DOMAIN_JOB_OPERATION_MIGRATION_OUT","6":"VIR_DOMAIN_JOB_OPERATION_SNAPSHOT","7":"VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_REVERT","8":"VIR_DOMAIN_JOB_OPERATION_DUMP","9":"VIR_DOMAIN_JOB_OPERATION_BACKUP","10":"VIR_DOMAIN_JOB_OPERATION_SNAPSHOT_DELETE"};

/** C enum virDomainJobType */
export const DomainJobType = {
  BOUNDED: 1,
  CANCELLED: 5,
  COMPLETED: 3,
  FAILED: 4,
  NONE: 0,
  UNBOUNDED: 2,
} as const;
export const DomainJobType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_JOB_NONE","1":"VIR_DOMAIN_JOB_BOUNDED","2":"VIR_DOMAIN_JOB_UNBOUNDED","3":"VIR_DOMAIN_JOB_COMPLETED","4":"VIR_DOMAIN_JOB_FAILED","5":"VIR_DOMAIN_JOB_CANCELLED"};

/** C enum virDomainLifecycle */
export const DomainLifecycle = {
  CRASH: 2,
  POWEROFF: 0,
  REBOOT: 1,
} as const;
export const DomainLifecycle_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_LIFECYCLE_POWEROFF","1":"VIR_DOMAIN_LIFECYCLE_REBOOT","2":"VIR_DOMAIN_LIFECYCLE_CRASH"};

/** C enum virDomainLifecycleAction */
export const DomainLifecycleAction = {
  COREDUMP_DESTROY: 4,
  COREDUMP_RESTART: 5,
  DESTROY: 0,
  PRESERVE: 3,
  RESTART: 1,
  RESTART_RENAME: 2,
} as const;
export const DomainLifecycleAction_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_LIFECYCLE_ACTION_DESTROY","1":"VIR_DOMAIN_LIFECYCLE_ACTION_RESTART","2":"VIR_DOMAIN_LIFECYCLE_ACTION_RESTART_RENAME","3":"VIR_DOMAIN_LIFECYCLE_ACTION_PRESERVE","4":"VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_DESTROY","5":"VIR_DOMAIN_LIFECYCLE_ACTION_COREDUMP_RESTART"};

/** C enum virDomainMemoryFailureActionType */
export const DomainMemoryFailureActionType = {
  FATAL: 2,
  IGNORE: 0,
  INJECT: 1,
  RESET: 3,
} as const;
export const DomainMemoryFailureActionType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_IGNORE","1":"VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_INJECT","2":"VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_FATAL","3":"VIR_DOMAIN_EVENT_MEMORY_FAILURE_ACTION_RESET"};

/** C enum virDomainMemoryFailureFlags */
export const DomainMemoryFailureFlags = {
  ACTION_REQUIRED: 1,
  RECURSIVE: 2,
} as const;
export const DomainMemoryFailureFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_MEMORY_FAILURE_ACTION_REQUIRED","2":"VIR_DOMAIN_MEMORY_FAILURE_RECURSIVE"};

/** C enum virDomainMemoryFailureRecipientType */
export const DomainMemoryFailureRecipientType = {
  GUEST: 1,
  HYPERVISOR: 0,
} as const;
export const DomainMemoryFailureRecipientType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_HYPERVISOR","1":"VIR_DOMAIN_EVENT_MEMORY_FAILURE_RECIPIENT_GUEST"};

/** C enum virDomainMemoryFlags */
export const DomainMemoryFlags = {
  PHYSICAL: 2,
  VIRTUAL: 1,
} as const;
export const DomainMemoryFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_MEMORY_VIRTUAL","2":"VIR_MEMORY_PHYSICAL"};

/** C enum virDomainMemoryModFlags */
export const DomainMemoryModFlags = {
  MAXIMUM: 4,
} as const;
export const DomainMemoryModFlags_NAMES: Readonly<Record<number, string>> = {"4":"VIR_DOMAIN_MEM_MAXIMUM"};

/** C enum virDomainMemoryStatTags */
export const DomainMemoryStatTags = {
  ACTUAL_BALLOON: 6,
  AVAILABLE: 5,
  DISK_CACHES: 10,
  HUGETLB_PGALLOC: 11,
  HUGETLB_PGFAIL: 12,
  LAST_UPDATE: 9,
  MAJOR_FAULT: 2,
  MINOR_FAULT: 3,
  NR: 13,
  RSS: 7,
  SWAP_IN: 0,
  SWAP_OUT: 1,
  UNUSED: 4,
  USABLE: 8,
} as const;
export const DomainMemoryStatTags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_MEMORY_STAT_SWAP_IN","1":"VIR_DOMAIN_MEMORY_STAT_SWAP_OUT","2":"VIR_DOMAIN_MEMORY_STAT_MAJOR_FAULT","3":"VIR_DOMAIN_MEMORY_STAT_MINOR_FAULT","4":"VIR_DOMAIN_MEMORY_STAT_UNUSED","5":"VIR_DOMAIN_MEMORY_STAT_AVAILABLE","6":"VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON","7":"VIR_DOMAIN_MEMORY_STAT_RSS","8":"VIR_DOMAIN_MEMORY_STAT_USABLE","9":"VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE","10":"VIR_DOMAIN_MEMORY_STAT_DISK_CACHES","11":"VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGALLOC","12":"VIR_DOMAIN_MEMORY_STAT_HUGETLB_PGFAIL","13":"VIR_DOMAIN_MEMORY_STAT_NR"};

/** C enum virDomainMessageType */
export const DomainMessageType = {
  DEPRECATION: 1,
  TAINTING: 2,
} as const;
export const DomainMessageType_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_MESSAGE_DEPRECATION","2":"VIR_DOMAIN_MESSAGE_TAINTING"};

/** C enum virDomainMetadataType */
export const DomainMetadataType = {
  DESCRIPTION: 0,
  ELEMENT: 2,
  TITLE: 1,
} as const;
export const DomainMetadataType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_METADATA_DESCRIPTION","1":"VIR_DOMAIN_METADATA_TITLE","2":"VIR_DOMAIN_METADATA_ELEMENT"};

/** C enum virDomainMigrateFlags */
export const DomainMigrateFlags = {
  ABORT_ON_ERROR: 4096,
  AUTO_CONVERGE: 8192,
  CHANGE_PROTECTION: 256,
  COMPRESSED: 2048,
  LIVE: 1,
  NON_SHARED_DISK: 64,
  NON_SHARED_INC: 128,
  NON_SHARED_SYNCHRONOUS_WRITES: 262144,
  OFFLINE: 1024,
  PARALLEL: 131072,
  PAUSED: 32,
  PEER2PEER: 2,
  PERSIST_DEST: 8,
  POSTCOPY: 32768,
  POSTCOPY_RESUME: 524288,
  RDMA_PIN_ALL: 16384,
  TLS: 65536,
  TUNNELLED: 4,
  UNDEFINE_SOURCE: 16,
  UNSAFE: 512,
  ZEROCOPY: 1048576,
} as const;
export const DomainMigrateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_MIGRATE_LIVE","2":"VIR_MIGRATE_PEER2PEER","4":"VIR_MIGRATE_TUNNELLED","8":"VIR_MIGRATE_PERSIST_DEST","16":"VIR_MIGRATE_UNDEFINE_SOURCE","32":"VIR_MIGRATE_PAUSED","64":"VIR_MIGRATE_NON_SHARED_DISK","128":"VIR_MIGRATE_NON_SHARED_INC","256":"VIR_MIGRATE_CHANGE_PROTECTION","512":"VIR_MIGRATE_UNSAFE","1024":"VIR_MIGRATE_OFFLINE","2048":"VIR_MIGRATE_COMPRESSED","4096":"VIR_MIGRATE_ABORT_ON_ERROR","8192":"VIR_MIGRATE_AUTO_CONVERGE","16384":"VIR_MIGRATE_RDMA_PIN_ALL","32768":"VIR_MIGRATE_POSTCOPY","65536":"VIR_MIGRATE_TLS","131072":"VIR_MIGRATE_PARALLEL","262144":"VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES","524288":"VIR_MIGRATE_POSTCOPY_RESUME","1048576":"VIR_MIGRATE_ZEROCOPY"};

/** C enum virDomainMigrateMaxSpeedFlags */
export const DomainMigrateMaxSpeedFlags = {
  POSTCOPY: 1,
} as const;
export const DomainMigrateMaxSpeedFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY"};

/** C enum virDomainModificationImpact */
export const DomainModificationImpact = {
  CONFIG: 2,
  CURRENT: 0,
  LIVE: 1,
} as const;
export const DomainModificationImpact_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_AFFECT_CURRENT","1":"VIR_DOMAIN_AFFECT_LIVE","2":"VIR_DOMAIN_AFFECT_CONFIG"};

/** C enum virDomainNostateReason */
export const DomainNostateReason = {
  UNKNOWN: 0,
} as const;
export const DomainNostateReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_NOSTATE_UNKNOWN"};

/** C enum virDomainNumatuneMemMode */
export const DomainNumatuneMemMode = {
  INTERLEAVE: 2,
  PREFERRED: 1,
  RESTRICTIVE: 3,
  STRICT: 0,
} as const;
export const DomainNumatuneMemMode_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_NUMATUNE_MEM_STRICT","1":"VIR_DOMAIN_NUMATUNE_MEM_PREFERRED","2":"VIR_DOMAIN_NUMATUNE_MEM_INTERLEAVE","3":"VIR_DOMAIN_NUMATUNE_MEM_RESTRICTIVE"};

/** C enum virDomainOpenGraphicsFlags */
export const DomainOpenGraphicsFlags = {
  SKIPAUTH: 1,
} as const;
export const DomainOpenGraphicsFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_OPEN_GRAPHICS_SKIPAUTH"};

/** C enum virDomainPausedReason */
export const DomainPausedReason = {
  CRASHED: 10,
  DUMP: 4,
  FROM_SNAPSHOT: 7,
  IOERROR: 5,
  MIGRATION: 2,
  POSTCOPY: 12,
  POSTCOPY_FAILED: 13,
  SAVE: 3,
  SHUTTING_DOWN: 8,
  SNAPSHOT: 9,
  STARTING_UP: 11,
  UNKNOWN: 0,
  USER: 1,
  WATCHDOG: 6,
} as const;
export const DomainPausedReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_PAUSED_UNKNOWN","1":"VIR_DOMAIN_PAUSED_USER","2":"VIR_DOMAIN_PAUSED_MIGRATION","3":"VIR_DOMAIN_PAUSED_SAVE","4":"VIR_DOMAIN_PAUSED_DUMP","5":"VIR_DOMAIN_PAUSED_IOERROR","6":"VIR_DOMAIN_PAUSED_WATCHDOG","7":"VIR_DOMAIN_PAUSED_FROM_SNAPSHOT","8":"VIR_DOMAIN_PAUSED_SHUTTING_DOWN","9":"VIR_DOMAIN_PAUSED_SNAPSHOT","10":"VIR_DOMAIN_PAUSED_CRASHED","11":"VIR_DOMAIN_PAUSED_STARTING_UP","12":"VIR_DOMAIN_PAUSED_POSTCOPY","13":"VIR_DOMAIN_PAUSED_POSTCOPY_FAILED"};

/** C enum virDomainPMSuspendedDiskReason */
export const DomainPMSuspendedDiskReason = {
  UNKNOWN: 0,
} as const;
export const DomainPMSuspendedDiskReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_PMSUSPENDED_DISK_UNKNOWN"};

/** C enum virDomainPMSuspendedReason */
export const DomainPMSuspendedReason = {
  UNKNOWN: 0,
} as const;
export const DomainPMSuspendedReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_PMSUSPENDED_UNKNOWN"};

/** C enum virDomainProcessSignal */
export const DomainProcessSignal = {
  ABRT: 6,
  ALRM: 14,
  BUS: 7,
  CHLD: 17,
  CONT: 18,
  FPE: 8,
  HUP: 1,
  ILL: 4,
  INT: 2,
  KILL: 9,
  NOP: 0,
  PIPE: 13,
  POLL: 29,
  PROF: 27,
  PWR: 30,
  QUIT: 3,
  RT0: 32,
  RT1: 33,
  RT10: 42,
  RT11: 43,
  RT12: 44,
  RT13: 45,
  RT14: 46,
  RT15: 47,
  RT16: 48,
  RT17: 49,
  RT18: 50,
  RT19: 51,
  RT2: 34,
  RT20: 52,
  RT21: 53,
  RT22: 54,
  RT23: 55,
  RT24: 56,
  RT25: 57,
  RT26: 58,
  RT27: 59,
  RT28: 60,
  RT29: 61,
  RT3: 35,
  RT30: 62,
  RT31: 63,
  RT32: 64,
  RT4: 36,
  RT5: 37,
  RT6: 38,
  RT7: 39,
  RT8: 40,
  RT9: 41,
  SEGV: 11,
  STKFLT: 16,
  STOP: 19,
  SYS: 31,
  TERM: 15,
  TRAP: 5,
  TSTP: 20,
  TTIN: 21,
  TTOU: 22,
  URG: 23,
  USR1: 10,
  USR2: 12,
  VTALRM: 26,
  WINCH: 28,
  XCPU: 24,
  XFSZ: 25,
} as const;
export const DomainProcessSignal_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_PROCESS_SIGNAL_NOP","1":"VIR_DOMAIN_PROCESS_SIGNAL_HUP","2":"VIR_DOMAIN_PROCESS_SIGNAL_INT","3":"VIR_DOMAIN_PROCESS_SIGNAL_QUIT","4":"VIR_DOMAIN_PROCESS_SIGNAL_ILL","5":"VIR_DOMAIN_PROCESS_SIGNAL_TRAP","6":"VIR_DOMAIN_PROCESS_SIGNAL_ABRT","7":"VIR_DOMAIN_PROCESS_SIGNAL_BUS","8":"VIR_DOMAIN_PROCESS_SIGNAL_FPE","9":"VIR_DOMAIN_PROCESS_SIGNAL_KILL","10":"VIR_DOMAIN_PROCESS_SIGNAL_USR1","11":"VIR_DOMAIN_PROCESS_SIGNAL_SEGV","12":"VIR_DOMAIN_PROCESS_SIGNAL_USR2","13":"VIR_DOMAIN_PROCESS_SIGNAL_PIPE","14":"VIR_DOMAIN_PROCESS_SIGNAL_ALRM","15":"VIR_DOMAIN_PROCESS_SIGNAL_TERM","16":"VIR_DOMAIN_PROCESS_SIGNAL_STKFLT","17":"VIR_DOMAIN_PROCESS_SIGNAL_CHLD","18":"VIR_DOMAIN_PROCESS_SIGNAL_CONT","19":"VIR_DOMAIN_PROCESS_SIGNAL_STOP","20":"VIR_DOMAIN_PROCESS_SIGNAL_TSTP","21":"VIR_DOMAIN_PROCESS_SIGNAL_TTIN","22":"VIR_DOMAIN_PROCESS_SIGNAL_TTOU","23":"VIR_DOMAIN_PROCESS_SIGNAL_URG","24":"VIR_DOMAIN_PROCESS_SIGNAL_XCPU","25":"VIR_DOMAIN_PROCESS_SIGNAL_XFSZ","26":"VIR_DOMAIN_PROCESS_SIGNAL_VTALRM","27":"VIR_DOMAIN_PROCESS_SIGNAL_PROF","28":"VIR_DOMAIN_PROCESS_SIGNAL_WINCH","29":"VIR_DOMAIN_PROCESS_SIGNAL_POLL","30":"VIR_DOMAIN_PROCESS_SIGNAL_PWR","31":"VIR_DOMAIN_PROCESS_SIGNAL_SYS","32":"VIR_DOMAIN_PROCESS_SIGNAL_RT0","33":"VIR_DOMAIN_PROCESS_SIGNAL_RT1","34":"VIR_DOMAIN_PROCESS_SIGNAL_RT2","35":"VIR_DOMAIN_PROCESS_SIGNAL_RT3","36":"VIR_DOMAIN_PROCESS_SIGNAL_RT4","37":"VIR_DOMAIN_PROCESS_SIGNAL_RT5","38":"VIR_DOMAIN_PROCESS_SIGNAL_RT6","39":"VIR_DOMAIN_PROCESS_SIGNAL_RT7","40":"VIR_DOMAIN_PROCESS_SIGNAL_RT8","41":"VIR_DOMAIN_PROCESS_SIGNAL_RT9","42":"VIR_DOMAIN_PROCESS_SIGNAL_RT10","43":"VIR_DOMAIN_PROCESS_SIGNAL_RT11","44":"VIR_DOMAIN_PROCESS_SIGNAL_RT12","45":"VIR_DOMAIN_PROCESS_SIGNAL_RT13","46":"VIR_DOMAIN_PROCESS_SIGNAL_RT14","47":"VIR_DOMAIN_PROCESS_SIGNAL_RT15","48":"VIR_DOMAIN_PROCESS_SIGNAL_RT16","49":"VIR_DOMAIN_PROCESS_SIGNAL_RT17","50":"VIR_DOMAIN_PROCESS_SIGNAL_RT18","51":"VIR_DOMAIN_PROCESS_SIGNAL_RT19","52":"VIR_DOMAIN_PROCESS_SIGNAL_RT20","53":"VIR_DOMAIN_PROCESS_SIGNAL_RT21","54":"VIR_DOMAIN_PROCESS_SIGNAL_RT22","55":"VIR_DOMAIN_PROCESS_SIGNAL_RT23","56":"VIR_DOMAIN_PROCESS_SIGNAL_RT24","57":"VIR_DOMAIN_PROCESS_SIGNAL_RT25","58":"VIR_DOMAIN_PROCESS_SIGNAL_RT26","59":"VIR_DOMAIN_PROCESS_SIGNAL_RT27","60":"VIR_DOMAIN_PROCESS_SIGNAL_RT28","61":"VIR_DOMAIN_PROCESS_SIGNAL_RT29","62":"VIR_DOMAIN_PROCESS_SIGNAL_RT30","63":"VIR_DOMAIN_PROCESS_SIGNAL_RT31","64":"VIR_DOMAIN_PROCESS_SIGNAL_RT32"};

/** C enum virDomainRebootFlagValues */
export const DomainRebootFlag = {
  ACPI_POWER_BTN: 1,
  DEFAULT: 0,
  GUEST_AGENT: 2,
  INITCTL: 4,
  PARAVIRT: 16,
  SIGNAL: 8,
} as const;
export const DomainRebootFlag_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_REBOOT_DEFAULT","1":"VIR_DOMAIN_REBOOT_ACPI_POWER_BTN","2":"VIR_DOMAIN_REBOOT_GUEST_AGENT","4":"VIR_DOMAIN_REBOOT_INITCTL","8":"VIR_DOMAIN_REBOOT_SIGNAL","16":"VIR_DOMAIN_REBOOT_PARAVIRT"};

/** C enum virDomainRunningReason */
export const DomainRunningReason = {
  BOOTED: 1,
  CRASHED: 9,
  FROM_SNAPSHOT: 4,
  MIGRATED: 2,
  MIGRATION_CANCELED: 6,
  POSTCOPY: 10,
  POSTCOPY_FAILED: 11,
  RESTORED: 3,
  SAVE_CANCELED: 7,
  UNKNOWN: 0,
  UNPAUSED: 5,
  WAKEUP: 8,
} as const;
export const DomainRunningReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_RUNNING_UNKNOWN","1":"VIR_DOMAIN_RUNNING_BOOTED","2":"VIR_DOMAIN_RUNNING_MIGRATED","3":"VIR_DOMAIN_RUNNING_RESTORED","4":"VIR_DOMAIN_RUNNING_FROM_SNAPSHOT","5":"VIR_DOMAIN_RUNNING_UNPAUSED","6":"VIR_DOMAIN_RUNNING_MIGRATION_CANCELED","7":"VIR_DOMAIN_RUNNING_SAVE_CANCELED","8":"VIR_DOMAIN_RUNNING_WAKEUP","9":"VIR_DOMAIN_RUNNING_CRASHED","10":"VIR_DOMAIN_RUNNING_POSTCOPY","11":"VIR_DOMAIN_RUNNING_POSTCOPY_FAILED"};

/** C enum virDomainSaveRestoreFlags */
export const DomainSaveRestoreFlags = {
  BYPASS_CACHE: 1,
  PAUSED: 4,
  RESET_NVRAM: 8,
  RUNNING: 2,
} as const;
export const DomainSaveRestoreFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_SAVE_BYPASS_CACHE","2":"VIR_DOMAIN_SAVE_RUNNING","4":"VIR_DOMAIN_SAVE_PAUSED","8":"VIR_DOMAIN_SAVE_RESET_NVRAM"};

/** C enum virDomainSetTimeFlags */
export const DomainSetTimeFlags = {
  SYNC: 1,
} as const;
export const DomainSetTimeFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_TIME_SYNC"};

/** C enum virDomainSetUserPasswordFlags */
export const DomainSetUserPasswordFlags = {
  ENCRYPTED: 1,
} as const;
export const DomainSetUserPasswordFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_PASSWORD_ENCRYPTED"};

/** C enum virDomainShutdownFlagValues */
export const DomainShutdownFlag = {
  ACPI_POWER_BTN: 1,
  DEFAULT: 0,
  GUEST_AGENT: 2,
  INITCTL: 4,
  PARAVIRT: 16,
  SIGNAL: 8,
} as const;
export const DomainShutdownFlag_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_SHUTDOWN_DEFAULT","1":"VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN","2":"VIR_DOMAIN_SHUTDOWN_GUEST_AGENT","4":"VIR_DOMAIN_SHUTDOWN_INITCTL","8":"VIR_DOMAIN_SHUTDOWN_SIGNAL","16":"VIR_DOMAIN_SHUTDOWN_PARAVIRT"};

/** C enum virDomainShutdownReason */
export const DomainShutdownReason = {
  UNKNOWN: 0,
  USER: 1,
} as const;
export const DomainShutdownReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_SHUTDOWN_UNKNOWN","1":"VIR_DOMAIN_SHUTDOWN_USER"};

/** C enum virDomainShutoffReason */
export const DomainShutoffReason = {
  CRASHED: 3,
  DAEMON: 8,
  DESTROYED: 2,
  FAILED: 6,
  FROM_SNAPSHOT: 7,
  MIGRATED: 4,
  SAVED: 5,
  SHUTDOWN: 1,
  UNKNOWN: 0,
} as const;
export const DomainShutoffReason_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_SHUTOFF_UNKNOWN","1":"VIR_DOMAIN_SHUTOFF_SHUTDOWN","2":"VIR_DOMAIN_SHUTOFF_DESTROYED","3":"VIR_DOMAIN_SHUTOFF_CRASHED","4":"VIR_DOMAIN_SHUTOFF_MIGRATED","5":"VIR_DOMAIN_SHUTOFF_SAVED","6":"VIR_DOMAIN_SHUTOFF_FAILED","7":"VIR_DOMAIN_SHUTOFF_FROM_SNAPSHOT","8":"VIR_DOMAIN_SHUTOFF_DAEMON"};

/** C enum virDomainSnapshotCreateFlags */
export const DomainSnapshotCreateFlags = {
  ATOMIC: 128,
  CURRENT: 2,
  DISK_ONLY: 16,
  HALT: 8,
  LIVE: 256,
  NO_METADATA: 4,
  QUIESCE: 64,
  REDEFINE: 1,
  REUSE_EXT: 32,
  VALIDATE: 512,
} as const;
export const DomainSnapshotCreateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE","2":"VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT","4":"VIR_DOMAIN_SNAPSHOT_CREATE_NO_METADATA","8":"VIR_DOMAIN_SNAPSHOT_CREATE_HALT","16":"VIR_DOMAIN_SNAPSHOT_CREATE_DISK_ONLY","32":"VIR_DOMAIN_SNAPSHOT_CREATE_REUSE_EXT","64":"VIR_DOMAIN_SNAPSHOT_CREATE_QUIESCE","128":"VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC","256":"VIR_DOMAIN_SNAPSHOT_CREATE_LIVE","512":"VIR_DOMAIN_SNAPSHOT_CREATE_VALIDATE"};

/** C enum virDomainSnapshotDeleteFlags */
export const DomainSnapshotDeleteFlags = {
  CHILDREN: 1,
  CHILDREN_ONLY: 4,
  METADATA_ONLY: 2,
} as const;
export const DomainSnapshotDeleteFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN","2":"VIR_DOMAIN_SNAPSHOT_DELETE_METADATA_ONLY","4":"VIR_DOMAIN_SNAPSHOT_DELETE_CHILDREN_ONLY"};

/** C enum virDomainSnapshotListFlags */
export const DomainSnapshotListFlags = {
  ACTIVE: 64,
  DESCENDANTS: 1,
  DISK_ONLY: 128,
  EXTERNAL: 512,
  INACTIVE: 32,
  INTERNAL: 256,
  LEAVES: 4,
  METADATA: 2,
  NO_LEAVES: 8,
  NO_METADATA: 16,
  ROOTS: 1,
  TOPOLOGICAL: 1024,
} as const;
export const DomainSnapshotListFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_SNAPSHOT_LIST_DESCENDANTS","2":"VIR_DOMAIN_SNAPSHOT_LIST_METADATA","4":"VIR_DOMAIN_SNAPSHOT_LIST_LEAVES","8":"VIR_DOMAIN_SNAPSHOT_LIST_NO_LEAVES","16":"VIR_DOMAIN_SNAPSHOT_LIST_NO_METADATA","32":"VIR_DOMAIN_SNAPSHOT_LIST_INACTIVE","64":"VIR_DOMAIN_SNAPSHOT_LIST_ACTIVE","128":"VIR_DOMAIN_SNAPSHOT_LIST_DISK_ONLY","256":"VIR_DOMAIN_SNAPSHOT_LIST_INTERNAL","512":"VIR_DOMAIN_SNAPSHOT_LIST_EXTERNAL","1024":"VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL"};

/** C enum virDomainSnapshotRevertFlags */
export const DomainSnapshotRevertFlags = {
  FORCE: 4,
  PAUSED: 2,
  RESET_NVRAM: 8,
  RUNNING: 1,
} as const;
export const DomainSnapshotRevertFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING","2":"VIR_DOMAIN_SNAPSHOT_REVERT_PAUSED","4":"VIR_DOMAIN_SNAPSHOT_REVERT_FORCE","8":"VIR_DOMAIN_SNAPSHOT_REVERT_RESET_NVRAM"};

/** C enum virDomainState */
export const DomainState = {
  BLOCKED: 2,
  CRASHED: 6,
  NOSTATE: 0,
  PAUSED: 3,
  PMSUSPENDED: 7,
  RUNNING: 1,
  SHUTDOWN: 4,
  SHUTOFF: 5,
} as const;
export const DomainState_NAMES: Readonly<Record<number, string>> = {"0":"VIR_DOMAIN_NOSTATE","1":"VIR_DOMAIN_RUNNING","2":"VIR_DOMAIN_BLOCKED","3":"VIR_DOMAIN_PAUSED","4":"VIR_DOMAIN_SHUTDOWN","5":"VIR_DOMAIN_SHUTOFF","6":"VIR_DOMAIN_CRASHED","7":"VIR_DOMAIN_PMSUSPENDED"};

/** C enum virDomainStatsTypes */
export const DomainStatsTypes = {
  BALLOON: 4,
  BLOCK: 32,
  CPU_TOTAL: 2,
  DIRTYRATE: 512,
  INTERFACE: 16,
  IOTHREAD: 128,
  MEMORY: 256,
  PERF: 64,
  STATE: 1,
  VCPU: 8,
  VM: 1024,
} as const;
export const DomainStatsTypes_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_STATS_STATE","2":"VIR_DOMAIN_STATS_CPU_TOTAL","4":"VIR_DOMAIN_STATS_BALLOON","8":"VIR_DOMAIN_STATS_VCPU","16":"VIR_DOMAIN_STATS_INTERFACE","32":"VIR_DOMAIN_STATS_BLOCK","64":"VIR_DOMAIN_STATS_PERF","128":"VIR_DOMAIN_STATS_IOTHREAD","256":"VIR_DOMAIN_STATS_MEMORY","512":"VIR_DOMAIN_STATS_DIRTYRATE","1024":"VIR_DOMAIN_STATS_VM"};

/** C enum virDomainUndefineFlagsValues */
export const DomainUndefineFlags = {
  CHECKPOINTS_METADATA: 16,
  KEEP_NVRAM: 8,
  KEEP_TPM: 64,
  MANAGED_SAVE: 1,
  NVRAM: 4,
  SNAPSHOTS_METADATA: 2,
  TPM: 32,
} as const;
export const DomainUndefineFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_UNDEFINE_MANAGED_SAVE","2":"VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA","4":"VIR_DOMAIN_UNDEFINE_NVRAM","8":"VIR_DOMAIN_UNDEFINE_KEEP_NVRAM","16":"VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA","32":"VIR_DOMAIN_UNDEFINE_TPM","64":"VIR_DOMAIN_UNDEFINE_KEEP_TPM"};

/** C enum virDomainVcpuFlags */
export const DomainVcpuFlags = {
  GUEST: 8,
  HOTPLUGGABLE: 16,
  MAXIMUM: 4,
} as const;
export const DomainVcpuFlags_NAMES: Readonly<Record<number, string>> = {"4":"VIR_DOMAIN_VCPU_MAXIMUM","8":"VIR_DOMAIN_VCPU_GUEST","16":"VIR_DOMAIN_VCPU_HOTPLUGGABLE"};

/** C enum virDomainXMLFlags */
export const DomainXMLFlags = {
  INACTIVE: 2,
  MIGRATABLE: 8,
  SECURE: 1,
  UPDATE_CPU: 4,
} as const;
export const DomainXMLFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_DOMAIN_XML_SECURE","2":"VIR_DOMAIN_XML_INACTIVE","4":"VIR_DOMAIN_XML_UPDATE_CPU","8":"VIR_DOMAIN_XML_MIGRATABLE"};

/** C enum virErrorDomain */
export const ErrorDomain = {
  ACCESS: 55,
  ADMIN: 62,
  AUDIT: 36,
  AUTH: 46,
  BHYVE: 57,
  BPF: 71,
  CAPABILITIES: 44,
  CGROUP: 54,
  CH: 72,
  CONF: 9,
  CPU: 31,
  CRYPTO: 58,
  DBUS: 47,
  DEVICE: 49,
  DOM: 6,
  DOMAIN: 20,
  DOMAIN_CHECKPOINT: 69,
  DOMAIN_SNAPSHOT: 35,
  ESX: 28,
  EVENT: 40,
  FIREWALL: 59,
  FIREWALLD: 68,
  HOOK: 34,
  HYPERV: 43,
  IDENTITY: 53,
  INITCTL: 52,
  INTERFACE: 26,
  LIBSSH: 66,
  LIBXL: 41,
  LOCKING: 42,
  LOCKSPACE: 51,
  LOGGING: 63,
  LXC: 17,
  NET: 11,
  NETWORK: 19,
  NODEDEV: 22,
  NONE: 0,
  NWFILTER: 33,
  ONE: 27,
  OPENVZ: 14,
  PARALLELS: 48,
  PERF: 65,
  PHYP: 29,
  POLKIT: 60,
  PROXY: 8,
  QEMU: 10,
  REMOTE: 13,
  RESCTRL: 67,
  RPC: 7,
  SECRET: 30,
  SECURITY: 24,
  SEXPR: 4,
  SSH: 50,
  STATS_LINUX: 16,
  STORAGE: 18,
  STREAMS: 38,
  SYSINFO: 37,
  SYSTEMD: 56,
  TEST: 12,
  THREAD: 61,
  TPM: 70,
  UML: 21,
  URI: 45,
  VBOX: 25,
  VMWARE: 39,
  XEN: 1,
  XENAPI: 32,
  XEND: 2,
  XENSTORE: 3,
  XENXL: 64,
  XENXM: 15,
  XEN_INOTIFY: 23,
  XML: 5,
} as const;
export const ErrorDomain_NAMES: Readonly<Record<number, string>> = {"0":"VIR_FROM_NONE","1":"VIR_FROM_XEN","2":"VIR_FROM_XEND","3":"VIR_FROM_XENSTORE","4":"VIR_FROM_SEXPR","5":"VIR_FROM_XML","6":"VIR_FROM_DOM","7":"VIR_FROM_RPC","8":"VIR_FROM_PROXY","9":"VIR_FROM_CONF","10":"VIR_FROM_QEMU","11":"VIR_FROM_NET","12":"VIR_FROM_TEST","13":"VIR_FROM_REMOTE","14":"VIR_FROM_OPENVZ","15":"VIR_FROM_XENXM","16":"VIR_FROM_STATS_LINUX","17":"VIR_FROM_LXC","18":"VIR_FROM_STORAGE","19":"VIR_FROM_NETWORK","20":"VIR_FROM_DOMAIN","21":"VIR_FROM_UML","22":"VIR_FROM_NODEDEV","23":"VIR_FROM_XEN_INOTIFY","24":"VIR_FROM_SECURITY","25":"VIR_FROM_VBOX","26":"VIR_FROM_INTERFACE","27":"VIR_FROM_ONE","28":"VIR_FROM_ESX","29":"VIR_FROM_PHYP","30":"VIR_FROM_SECRET","31":"VIR_FROM_CPU","32":"VIR_FROM_XENAPI","33":"VIR_FROM_NWFILTER","34":"VIR_FROM_HOOK","35":"VIR_FROM_DOMAIN_SNAPSHOT","36":"VIR_FROM_AUDIT","37":"VIR_FROM_SYSINFO","38":"VIR_FROM_STREAMS","39":"VIR_FROM_VMWARE","40":"VIR_FROM_EVENT","41":"VIR_FROM_LIBXL","42":"VIR_FROM_LOCKING","43":"VIR_FROM_HYPERV","44":"VIR_FROM_CAPABILITIES","45":"VIR_FROM_URI","46":"VIR_FROM_AUTH","47":"VIR_FROM_DBUS","48":"VIR_FROM_PARALLELS","49":"VIR_FROM_DEVICE","50":"VIR_FROM_SSH","51":"VIR_FROM_LOCKSPACE","52":"VIR_FROM_INITCTL","53":"VIR_FROM_IDENTITY","54":"VIR_FROM_CGROUP","55":"VIR_FROM_ACCESS","56":"VIR_FROM_SYSTEMD","57":"VIR_FROM_BHYVE","58":"VIR_FROM_CRYPTO","59":"VIR_FROM_FIREWALL","60":"VIR_FROM_POLKIT","61":"VIR_FROM_THREAD","62":"VIR_FROM_ADMIN","63":"VIR_FROM_LOGGING","64":"VIR_FROM_XENXL","65":"VIR_FROM_PERF","66":"VIR_FROM_LIBSSH","67":"VIR_FROM_RESCTRL","68":"VIR_FROM_FIREWALLD","69":"VIR_FROM_DOMAIN_CHECKPOINT","70":"VIR_FROM_TPM","71":"VIR_FROM_BPF","72":"VIR_FROM_CH"};

/** C enum virErrorLevel */
export const ErrorLevel = {
  ERROR: 2,
  NONE: 0,
  WARNING: 1,
} as const;
export const ErrorLevel_NAMES: Readonly<Record<number, string>> = {"0":"VIR_ERR_NONE","1":"VIR_ERR_WARNING","2":"VIR_ERR_ERROR"};

/** C enum virErrorNumber */
export const ErrorNumber = {
  ACCESS_DENIED: 88,
  AGENT_UNRESPONSIVE: 86,
  AGENT_UNSYNCED: 97,
  ARGUMENT_UNSUPPORTED: 74,
  AUTH_CANCELLED: 79,
  AUTH_FAILED: 45,
  AUTH_UNAVAILABLE: 94,
  BLOCK_COPY_ACTIVE: 83,
  BUILD_FIREWALL: 63,
  CALL_FAILED: 26,
  CHECKPOINT_INCONSISTENT: 109,
  CONFIG_UNSUPPORTED: 67,
  CONF_SYNTAX: 33,
  CPU_INCOMPATIBLE: 91,
  DBUS_SERVICE: 89,
  DEVICE_MISSING: 99,
  DOM_EXIST: 28,
  DRIVER_FULL: 25,
  GET_FAILED: 10,
  GNUTLS_ERROR: 40,
  HOOK_SCRIPT_FAILED: 70,
  HTTP_ERROR: 12,
  INTERNAL_ERROR: 1,
  INVALID_ARG: 8,
  INVALID_CONN: 6,
  INVALID_DOMAIN: 7,
  INVALID_DOMAIN_CHECKPOINT: 102,
  INVALID_DOMAIN_SNAPSHOT: 71,
  INVALID_INTERFACE: 58,
  INVALID_MAC: 44,
  INVALID_NETWORK: 36,
  INVALID_NETWORK_PORT: 105,
  INVALID_NODE_DEVICE: 52,
  INVALID_NWFILTER: 61,
  INVALID_NWFILTER_BINDING: 100,
  INVALID_SECRET: 65,
  INVALID_STORAGE_POOL: 46,
  INVALID_STORAGE_VOL: 47,
  INVALID_STREAM: 73,
  LIBSSH: 98,
  MIGRATE_FINISH_OK: 93,
  MIGRATE_PERSIST_FAILED: 69,
  MIGRATE_UNSAFE: 81,
  MULTIPLE_DOMAINS: 110,
  MULTIPLE_INTERFACES: 59,
  NETWORK_EXIST: 37,
  NETWORK_PORT_EXIST: 106,
  NO_CLIENT: 96,
  NO_CONNECT: 5,
  NO_DEVICE: 23,
  NO_DOMAIN: 42,
  NO_DOMAIN_BACKUP: 104,
  NO_DOMAIN_CHECKPOINT: 103,
  NO_DOMAIN_METADATA: 80,
  NO_DOMAIN_SNAPSHOT: 72,
  NO_HOSTNAME: 108,
  NO_INTERFACE: 57,
  NO_KERNEL: 17,
  NO_MEMORY: 2,
  NO_NAME: 21,
  NO_NETWORK: 43,
  NO_NETWORK_PORT: 107,
  NO_NODE_DEVICE: 53,
  NO_NWFILTER: 62,
  NO_NWFILTER_BINDING: 101,
  NO_OS: 22,
  NO_ROOT: 18,
  NO_SECRET: 66,
  NO_SECURITY_MODEL: 54,
  NO_SERVER: 95,
  NO_SOURCE: 19,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  NO_SUPPORT: 3,
  NO_TARGET: 20,
  NO_XEN: 14,
  NO_XENSTORE: 24,
  OK: 0,
  OPEN_FAILED: 30,
  OPERATION_ABORTED: 78,
  OPERATION_DENIED: 29,
  OPERATION_FAILED: 9,
  OPERATION_INVALID: 55,
  OPERATION_TIMEOUT: 68,
  OPERATION_UNSUPPORTED: 84,
  OS_TYPE: 16,
  OVERFLOW: 82,
  PARSE_FAILED: 32,
  POST_FAILED: 11,
  READ_FAILED: 31,
  RESOURCE_BUSY: 87,
  RPC: 39,
  SEXPR_SERIAL: 13,
  SNAPSHOT_REVERT_RISKY: 77,
  SSH: 85,
  STORAGE_POOL_BUILT: 76,
  STORAGE_PROBE_FAILED: 75,
  STORAGE_VOL_EXIST: 90,
  SYSTEM_ERROR: 38,
  UNKNOWN_HOST: 4,
  WRITE_FAILED: 34,
  XEN_CALL: 15,
  XML_DETAIL: 35,
  XML_ERROR: 27,
  XML_INVALID_SCHEMA: 92,
  WAR_NO_INTERFACE: 56,
  WAR_NO_NETWORK: 41,
  WAR_NO_NODE: 51,
  WAR_NO_NWFILTER: 60,
  WAR_NO_SECRET: 64,
  WAR_NO_STORAGE: 48,
} as const;
export const ErrorNumber_NAMES: Readonly<Record<number, string>> = {"0":"VIR_ERR_OK","1":"VIR_ERR_INTERNAL_ERROR","2":"VIR_ERR_NO_MEMORY","3":"VIR_ERR_NO_SUPPORT","4":"VIR_ERR_UNKNOWN_HOST","5":"VIR_ERR_NO_CONNECT","6":"VIR_ERR_INVALID_CONN","7":"VIR_ERR_INVALID_DOMAIN","8":"VIR_ERR_INVALID_ARG","9":"VIR_ERR_OPERATION_FAILED","10":"VIR_ERR_GET_FAILED","11":"VIR_ERR_POST_FAILED","12":"VIR_ERR_HTTP_ERROR","13":"VIR_ERR_SEXPR_SERIAL","14":"VIR_ERR_NO_XEN","15":"VIR_ERR_XEN_CALL","16":"VIR_ERR_OS_TYPE","17":"VIR_ERR_NO_KERNEL","18":"VIR_ERR_NO_ROOT","19":"VIR_ERR_NO_SOURCE","20":"VIR_ERR_NO_TARGET","21":"VIR_ERR_NO_NAME","22":"VIR_ERR_NO_OS","23":"VIR_ERR_NO_DEVICE","24":"VIR_ERR_NO_XENSTORE","25":"VIR_ERR_DRIVER_FULL","26":"VIR_ERR_CALL_FAILED","27":"VIR_ERR_XML_ERROR","28":"VIR_ERR_DOM_EXIST","29":"VIR_ERR_OPERATION_DENIED","30":"VIR_ERR_OPEN_FAILED","31":"VIR_ERR_READ_FAILED","32":"VIR_ERR_PARSE_FAILED","33":"VIR_ERR_CONF_SYNTAX","34":"VIR_ERR_WRITE_FAILED","35":"VIR_ERR_XML_DETAIL","36":"VIR_ERR_INVALID_NETWORK","37":"VIR_ERR_NETWORK_EXIST","38":"VIR_ERR_SYSTEM_ERROR","39":"VIR_ERR_RPC","40":"VIR_ERR_GNUTLS_ERROR","41":"VIR_WAR_NO_NETWORK","42":"VIR_ERR_NO_DOMAIN","43":"VIR_ERR_NO_NETWORK","44":"VIR_ERR_INVALID_MAC","45":"VIR_ERR_AUTH_FAILED","46":"VIR_ERR_INVALID_STORAGE_POOL","47":"VIR_ERR_INVALID_STORAGE_VOL","48":"VIR_WAR_NO_STORAGE","49":"VIR_ERR_NO_STORAGE_POOL","50":"VIR_ERR_NO_STORAGE_VOL","51":"VIR_WAR_NO_NODE","52":"VIR_ERR_INVALID_NODE_DEVICE","53":"VIR_ERR_NO_NODE_DEVICE","54":"VIR_ERR_NO_SECURITY_MODEL","55":"VIR_ERR_OPERATION_INVALID","56":"VIR_WAR_NO_INTERFACE","57":"VIR_ERR_NO_INTERFACE","58":"VIR_ERR_INVALID_INTERFACE","59":"VIR_ERR_MULTIPLE_INTERFACES","60":"VIR_WAR_NO_NWFILTER","61":"VIR_ERR_INVALID_NWFILTER","62":"VIR_ERR_NO_NWFILTER","63":"VIR_ERR_BUILD_FIREWALL","64":"VIR_WAR_NO_SECRET","65":"VIR_ERR_INVALID_SECRET","66":"VIR_ERR_NO_SECRET","67":"VIR_ERR_CONFIG_UNSUPPORTED","68":"VIR_ERR_OPERATION_TIMEOUT","69":"VIR_ERR_MIGRATE_PERSIST_FAILED","70":"VIR_ERR_HOOK_SCRIPT_FAILED","71":"VIR_ERR_INVALID_DOMAIN_SNAPSHOT","72":"VIR_ERR_NO_DOMAIN_SNAPSHOT","73":"VIR_ERR_INVALID_STREAM","74":"VIR_ERR_ARGUMENT_UNSUPPORTED","75":"VIR_ERR_STORAGE_PROBE_FAILED","76":"VIR_ERR_STORAGE_POOL_BUILT","77":"VIR_ERR_SNAPSHOT_REVERT_RISKY","78":"VIR_ERR_OPERATION_ABORTED","79":"VIR_ERR_AUTH_CANCELLED","80":"VIR_ERR_NO_DOMAIN_METADATA","81":"VIR_ERR_MIGRATE_UNSAFE","82":"VIR_ERR_OVERFLOW","83":"VIR_ERR_BLOCK_COPY_ACTIVE","84":"VIR_ERR_OPERATION_UNSUPPORTED","85":"VIR_ERR_SSH","86":"VIR_ERR_AGENT_UNRESPONSIVE","87":"VIR_ERR_RESOURCE_BUSY","88":"VIR_ERR_ACCESS_DENIED","89":"VIR_ERR_DBUS_SERVICE","90":"VIR_ERR_STORAGE_VOL_EXIST","91":"VIR_ERR_CPU_INCOMPATIBLE","92":"VIR_ERR_XML_INVALID_SCHEMA","93":"VIR_ERR_MIGRATE_FINISH_OK","94":"VIR_ERR_AUTH_UNAVAILABLE","95":"VIR_ERR_NO_SERVER","96":"VIR_ERR_NO_CLIENT","97":"VIR_ERR_AGENT_UNSYNCED","98":"VIR_ERR_LIBSSH","99":"VIR_ERR_DEVICE_MISSING","100":"VIR_ERR_INVALID_NWFILTER_BINDING","101":"VIR_ERR_NO_NWFILTER_BINDING","102":"VIR_ERR_INVALID_DOMAIN_CHECKPOINT","103":"VIR_ERR_NO_DOMAIN_CHECKPOINT","104":"VIR_ERR_NO_DOMAIN_BACKUP","105":"VIR_ERR_INVALID_NETWORK_PORT","106":"VIR_ERR_NETWORK_PORT_EXIST","107":"VIR_ERR_NO_NETWORK_PORT","108":"VIR_ERR_NO_HOSTNAME","109":"VIR_ERR_CHECKPOINT_INCONSISTENT","110":"VIR_ERR_MULTIPLE_DOMAINS"};

/** C enum virEventHandleType */
export const EventHandleType = {
  ERROR: 4,
  HANGUP: 8,
  READABLE: 1,
  WRITABLE: 2,
} as const;
export const EventHandleType_NAMES: Readonly<Record<number, string>> = {"1":"VIR_EVENT_HANDLE_READABLE","2":"VIR_EVENT_HANDLE_WRITABLE","4":"VIR_EVENT_HANDLE_ERROR","8":"VIR_EVENT_HANDLE_HANGUP"};

/** C enum virInterfaceDefineFlags */
export const InterfaceDefineFlags = {
  VALIDATE: 1,
} as const;
export const InterfaceDefineFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_INTERFACE_DEFINE_VALIDATE"};

/** C enum virInterfaceXMLFlags */
export const InterfaceXMLFlags = {
  INACTIVE: 1,
} as const;
export const InterfaceXMLFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_INTERFACE_XML_INACTIVE"};

/** C enum virIPAddrType */
export const IPAddrType = {
  IPV4: 0,
  IPV6: 1,
} as const;
export const IPAddrType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_IP_ADDR_TYPE_IPV4","1":"VIR_IP_ADDR_TYPE_IPV6"};

/** C enum virKeycodeSet */
export const KeycodeSet = {
  ATSET1: 2,
  ATSET2: 3,
  ATSET3: 4,
  LINUX: 0,
  OSX: 5,
  QNUM: 9,
  USB: 7,
  WIN32: 8,
  XT: 1,
  XT_KBD: 6,
} as const;
export const KeycodeSet_NAMES: Readonly<Record<number, string>> = {"0":"VIR_KEYCODE_SET_LINUX","1":"VIR_KEYCODE_SET_XT","2":"VIR_KEYCODE_SET_ATSET1","3":"VIR_KEYCODE_SET_ATSET2","4":"VIR_KEYCODE_SET_ATSET3","5":"VIR_KEYCODE_SET_OSX","6":"VIR_KEYCODE_SET_XT_KBD","7":"VIR_KEYCODE_SET_USB","8":"VIR_KEYCODE_SET_WIN32","9":"VIR_KEYCODE_SET_QNUM"};

/** C enum virNetworkCreateFlags */
export const NetworkCreateFlags = {
  VALIDATE: 1,
} as const;
export const NetworkCreateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NETWORK_CREATE_VALIDATE"};

/** C enum virNetworkDefineFlags */
export const NetworkDefineFlags = {
  VALIDATE: 1,
} as const;
export const NetworkDefineFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NETWORK_DEFINE_VALIDATE"};

/** C enum virNetworkEventID */
export const NetworkEventID = {
  LIFECYCLE: 0,
} as const;
export const NetworkEventID_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NETWORK_EVENT_ID_LIFECYCLE"};

/** C enum virNetworkEventLifecycleType */
export const NetworkEventLifecycleType = {
  DEFINED: 0,
  STARTED: 2,
  STOPPED: 3,
  UNDEFINED: 1,
} as const;
export const NetworkEventLifecycleType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NETWORK_EVENT_DEFINED","1":"VIR_NETWORK_EVENT_UNDEFINED","2":"VIR_NETWORK_EVENT_STARTED","3":"VIR_NETWORK_EVENT_STOPPED"};

/** C enum virNetworkPortCreateFlags */
export const NetworkPortCreateFlags = {
  RECLAIM: 1,
  VALIDATE: 2,
} as const;
export const NetworkPortCreateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NETWORK_PORT_CREATE_RECLAIM","2":"VIR_NETWORK_PORT_CREATE_VALIDATE"};

/** C enum virNetworkUpdateCommand */
export const NetworkUpdateCommand = {
  ADD_FIRST: 4,
  DELETE: 2,
  MODIFY: 1,
  NONE: 0,
} as const;
export const NetworkUpdateCommand_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NETWORK_UPDATE_COMMAND_NONE","1":"VIR_NETWORK_UPDATE_COMMAND_MODIFY","2":"VIR_NETWORK_UPDATE_COMMAND_DELETE","4":"VIR_NETWORK_UPDATE_COMMAND_ADD_FIRST"};

/** C enum virNetworkUpdateFlags */
export const NetworkUpdateFlags = {
  CONFIG: 2,
  CURRENT: 0,
  LIVE: 1,
} as const;
export const NetworkUpdateFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NETWORK_UPDATE_AFFECT_CURRENT","1":"VIR_NETWORK_UPDATE_AFFECT_LIVE","2":"VIR_NETWORK_UPDATE_AFFECT_CONFIG"};

/** C enum virNetworkUpdateSection */
export const NetworkUpdateSection = {
  BRIDGE: 1,
  DNS_HOST: 10,
  DNS_SRV: 12,
  DNS_TXT: 11,
  DOMAIN: 2,
  FORWARD: 6,
  FORWARD_INTERFACE: 7,
  FORWARD_PF: 8,
  IP: 3,
  IP_DHCP_HOST: 4,
  IP_DHCP_RANGE: 5,
  NONE: 0,
  PORTGROUP: 9,
} as const;
export const NetworkUpdateSection_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NETWORK_SECTION_NONE","1":"VIR_NETWORK_SECTION_BRIDGE","2":"VIR_NETWORK_SECTION_DOMAIN","3":"VIR_NETWORK_SECTION_IP","4":"VIR_NETWORK_SECTION_IP_DHCP_HOST","5":"VIR_NETWORK_SECTION_IP_DHCP_RANGE","6":"VIR_NETWORK_SECTION_FORWARD","7":"VIR_NETWORK_SECTION_FORWARD_INTERFACE","8":"VIR_NETWORK_SECTION_FORWARD_PF","9":"VIR_NETWORK_SECTION_PORTGROUP","10":"VIR_NETWORK_SECTION_DNS_HOST","11":"VIR_NETWORK_SECTION_DNS_TXT","12":"VIR_NETWORK_SECTION_DNS_SRV"};

/** C enum virNetworkXMLFlags */
export const NetworkXMLFlags = {
  INACTIVE: 1,
} as const;
export const NetworkXMLFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NETWORK_XML_INACTIVE"};

/** C enum virNodeAllocPagesFlags */
export const NodeAllocPagesFlags = {
  ADD: 0,
  SET: 1,
} as const;
export const NodeAllocPagesFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NODE_ALLOC_PAGES_ADD","1":"VIR_NODE_ALLOC_PAGES_SET"};

/** C enum virNodeDeviceCreateXMLFlags */
export const NodeDeviceCreateXMLFlags = {
  VALIDATE: 1,
} as const;
export const NodeDeviceCreateXMLFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NODE_DEVICE_CREATE_XML_VALIDATE"};

/** C enum virNodeDeviceDefineXMLFlags */
export const NodeDeviceDefineXMLFlags = {
  VALIDATE: 1,
} as const;
export const NodeDeviceDefineXMLFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NODE_DEVICE_DEFINE_XML_VALIDATE"};

/** C enum virNodeDeviceEventID */
export const NodeDeviceEventID = {
  LIFECYCLE: 0,
  UPDATE: 1,
} as const;
export const NodeDeviceEventID_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NODE_DEVICE_EVENT_ID_LIFECYCLE","1":"VIR_NODE_DEVICE_EVENT_ID_UPDATE"};

/** C enum virNodeDeviceEventLifecycleType */
export const NodeDeviceEventLifecycleType = {
  CREATED: 0,
  DEFINED: 2,
  DELETED: 1,
  UNDEFINED: 3,
} as const;
export const NodeDeviceEventLifecycleType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NODE_DEVICE_EVENT_CREATED","1":"VIR_NODE_DEVICE_EVENT_DELETED","2":"VIR_NODE_DEVICE_EVENT_DEFINED","3":"VIR_NODE_DEVICE_EVENT_UNDEFINED"};

/** C enum virNodeGetCPUStatsAllCPUs */
export const NodeGetCPUStatsAllCPUs = {
  CPUS: -1,
} as const;
export const NodeGetCPUStatsAllCPUs_NAMES: Readonly<Record<number, string>> = {"-1":"VIR_NODE_CPU_STATS_ALL_CPUS"};

/** C enum virNodeGetMemoryStatsAllCells */
export const NodeGetMemoryStatsAllCells = {
  CELLS: -1,
} as const;
export const NodeGetMemoryStatsAllCells_NAMES: Readonly<Record<number, string>> = {"-1":"VIR_NODE_MEMORY_STATS_ALL_CELLS"};

/** C enum virNodeSuspendTarget */
export const NodeSuspendTarget = {
  DISK: 1,
  HYBRID: 2,
  MEM: 0,
} as const;
export const NodeSuspendTarget_NAMES: Readonly<Record<number, string>> = {"0":"VIR_NODE_SUSPEND_TARGET_MEM","1":"VIR_NODE_SUSPEND_TARGET_DISK","2":"VIR_NODE_SUSPEND_TARGET_HYBRID"};

/** C enum virNWFilterBindingCreateFlags */
export const NWFilterBindingCreateFlags = {
  VALIDATE: 1,
} as const;
export const NWFilterBindingCreateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NWFILTER_BINDING_CREATE_VALIDATE"};

/** C enum virNWFilterDefineFlags */
export const NWFilterDefineFlags = {
  VALIDATE: 1,
} as const;
export const NWFilterDefineFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_NWFILTER_DEFINE_VALIDATE"};

/** C enum virSecretDefineFlags */
export const SecretDefineFlags = {
  VALIDATE: 1,
} as const;
export const SecretDefineFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_SECRET_DEFINE_VALIDATE"};

/** C enum virSecretEventID */
export const SecretEventID = {
  LIFECYCLE: 0,
  VALUE_CHANGED: 1,
} as const;
export const SecretEventID_NAMES: Readonly<Record<number, string>> = {"0":"VIR_SECRET_EVENT_ID_LIFECYCLE","1":"VIR_SECRET_EVENT_ID_VALUE_CHANGED"};

/** C enum virSecretEventLifecycleType */
export const SecretEventLifecycleType = {
  DEFINED: 0,
  UNDEFINED: 1,
} as const;
export const SecretEventLifecycleType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_SECRET_EVENT_DEFINED","1":"VIR_SECRET_EVENT_UNDEFINED"};

/** C enum virSecretUsageType */
export const SecretUsageType = {
  CEPH: 2,
  ISCSI: 3,
  NONE: 0,
  TLS: 4,
  VOLUME: 1,
  VTPM: 5,
} as const;
export const SecretUsageType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_SECRET_USAGE_TYPE_NONE","1":"VIR_SECRET_USAGE_TYPE_VOLUME","2":"VIR_SECRET_USAGE_TYPE_CEPH","3":"VIR_SECRET_USAGE_TYPE_ISCSI","4":"VIR_SECRET_USAGE_TYPE_TLS","5":"VIR_SECRET_USAGE_TYPE_VTPM"};

/** C enum virStoragePoolBuildFlags */
export const StoragePoolBuildFlags = {
  NEW: 0,
  NO_OVERWRITE: 4,
  OVERWRITE: 8,
  REPAIR: 1,
  RESIZE: 2,
} as const;
export const StoragePoolBuildFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_POOL_BUILD_NEW","1":"VIR_STORAGE_POOL_BUILD_REPAIR","2":"VIR_STORAGE_POOL_BUILD_RESIZE","4":"VIR_STORAGE_POOL_BUILD_NO_OVERWRITE","8":"VIR_STORAGE_POOL_BUILD_OVERWRITE"};

/** C enum virStoragePoolCreateFlags */
export const StoragePoolCreateFlags = {
  NORMAL: 0,
  WITH_BUILD: 1,
  WITH_BUILD_NO_OVERWRITE: 4,
  WITH_BUILD_OVERWRITE: 2,
} as const;
export const StoragePoolCreateFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_POOL_CREATE_NORMAL","1":"VIR_STORAGE_POOL_CREATE_WITH_BUILD","2":"VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE","4":"VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE"};

/** C enum virStoragePoolDefineFlags */
export const StoragePoolDefineFlags = {
  VALIDATE: 1,
} as const;
export const StoragePoolDefineFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STORAGE_POOL_DEFINE_VALIDATE"};

/** C enum virStoragePoolDeleteFlags */
export const StoragePoolDeleteFlags = {
  NORMAL: 0,
  ZEROED: 1,
} as const;
export const StoragePoolDeleteFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_POOL_DELETE_NORMAL","1":"VIR_STORAGE_POOL_DELETE_ZEROED"};

/** C enum virStoragePoolEventID */
export const StoragePoolEventID = {
  LIFECYCLE: 0,
  REFRESH: 1,
} as const;
export const StoragePoolEventID_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE","1":"VIR_STORAGE_POOL_EVENT_ID_REFRESH"};

/** C enum virStoragePoolEventLifecycleType */
export const StoragePoolEventLifecycleType = {
  CREATED: 4,
  DEFINED: 0,
  DELETED: 5,
  STARTED: 2,
  STOPPED: 3,
  UNDEFINED: 1,
} as const;
export const StoragePoolEventLifecycleType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_POOL_EVENT_DEFINED","1":"VIR_STORAGE_POOL_EVENT_UNDEFINED","2":"VIR_STORAGE_POOL_EVENT_STARTED","3":"VIR_STORAGE_POOL_EVENT_STOPPED","4":"VIR_STORAGE_POOL_EVENT_CREATED","5":"VIR_STORAGE_POOL_EVENT_DELETED"};

/** C enum virStoragePoolState */
export const StoragePoolState = {
  BUILDING: 1,
  DEGRADED: 3,
  INACCESSIBLE: 4,
  INACTIVE: 0,
  RUNNING: 2,
} as const;
export const StoragePoolState_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_POOL_INACTIVE","1":"VIR_STORAGE_POOL_BUILDING","2":"VIR_STORAGE_POOL_RUNNING","3":"VIR_STORAGE_POOL_DEGRADED","4":"VIR_STORAGE_POOL_INACCESSIBLE"};

/** C enum virStorageVolCreateFlags */
export const StorageVolCreateFlags = {
  PREALLOC_METADATA: 1,
  REFLINK: 2,
  VALIDATE: 4,
} as const;
export const StorageVolCreateFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA","2":"VIR_STORAGE_VOL_CREATE_REFLINK","4":"VIR_STORAGE_VOL_CREATE_VALIDATE"};

/** C enum virStorageVolDeleteFlags */
export const StorageVolDeleteFlags = {
  NORMAL: 0,
  WITH_SNAPSHOTS: 2,
  ZEROED: 1,
} as const;
export const StorageVolDeleteFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_VOL_DELETE_NORMAL","1":"VIR_STORAGE_VOL_DELETE_ZEROED","2":"VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS"};

/** C enum virStorageVolDownloadFlags */
export const StorageVolDownloadFlags = {
  STREAM: 1,
} as const;
export const StorageVolDownloadFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM"};

/** C enum virStorageVolInfoFlags */
export const StorageVolInfoFlags = {
  GET_PHYSICAL: 1,
  USE_ALLOCATION: 0,
} as const;
export const StorageVolInfoFlags_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_VOL_USE_ALLOCATION","1":"VIR_STORAGE_VOL_GET_PHYSICAL"};

/** C enum virStorageVolResizeFlags */
export const StorageVolResizeFlags = {
  ALLOCATE: 1,
  DELTA: 2,
  SHRINK: 4,
} as const;
export const StorageVolResizeFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STORAGE_VOL_RESIZE_ALLOCATE","2":"VIR_STORAGE_VOL_RESIZE_DELTA","4":"VIR_STORAGE_VOL_RESIZE_SHRINK"};

/** C enum virStorageVolType */
export const StorageVolType = {
  BLOCK: 1,
  DIR: 2,
  FILE: 0,
  NETDIR: 4,
  NETWORK: 3,
  PLOOP: 5,
} as const;
export const StorageVolType_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_VOL_FILE","1":"VIR_STORAGE_VOL_BLOCK","2":"VIR_STORAGE_VOL_DIR","3":"VIR_STORAGE_VOL_NETWORK","4":"VIR_STORAGE_VOL_NETDIR","5":"VIR_STORAGE_VOL_PLOOP"};

/** C enum virStorageVolUploadFlags */
export const StorageVolUploadFlags = {
  STREAM: 1,
} as const;
export const StorageVolUploadFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM"};

/** C enum virStorageVolWipeAlgorithm */
export const StorageVolWipeAlgorithm = {
  BSI: 3,
  DOD: 2,
  GUTMANN: 4,
  NNSA: 1,
  PFITZNER33: 7,
  PFITZNER7: 6,
  RANDOM: 8,
  SCHNEIER: 5,
  TRIM: 9,
  ZERO: 0,
} as const;
export const StorageVolWipeAlgorithm_NAMES: Readonly<Record<number, string>> = {"0":"VIR_STORAGE_VOL_WIPE_ALG_ZERO","1":"VIR_STORAGE_VOL_WIPE_ALG_NNSA","2":"VIR_STORAGE_VOL_WIPE_ALG_DOD","3":"VIR_STORAGE_VOL_WIPE_ALG_BSI","4":"VIR_STORAGE_VOL_WIPE_ALG_GUTMANN","5":"VIR_STORAGE_VOL_WIPE_ALG_SCHNEIER","6":"VIR_STORAGE_VOL_WIPE_ALG_PFITZNER7","7":"VIR_STORAGE_VOL_WIPE_ALG_PFITZNER33","8":"VIR_STORAGE_VOL_WIPE_ALG_RANDOM","9":"VIR_STORAGE_VOL_WIPE_ALG_TRIM"};

/** C enum virStorageXMLFlags */
export const StorageXMLFlags = {
  INACTIVE: 1,
} as const;
export const StorageXMLFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STORAGE_XML_INACTIVE"};

/** C enum virStreamEventType */
export const StreamEventType = {
  ERROR: 4,
  HANGUP: 8,
  READABLE: 1,
  WRITABLE: 2,
} as const;
export const StreamEventType_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STREAM_EVENT_READABLE","2":"VIR_STREAM_EVENT_WRITABLE","4":"VIR_STREAM_EVENT_ERROR","8":"VIR_STREAM_EVENT_HANGUP"};

/** C enum virStreamFlags */
export const StreamFlags = {
  NONBLOCK: 1,
} as const;
export const StreamFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STREAM_NONBLOCK"};

/** C enum virStreamRecvFlagsValues */
export const StreamRecvFlags = {
  HOLE: 1,
} as const;
export const StreamRecvFlags_NAMES: Readonly<Record<number, string>> = {"1":"VIR_STREAM_RECV_STOP_AT_HOLE"};

/** C enum virTypedParameterFlags */
export const TypedParameterFlags = {
  OKAY: 4,
} as const;
export const TypedParameterFlags_NAMES: Readonly<Record<number, string>> = {"4":"VIR_TYPED_PARAM_STRING_OKAY"};

/** C enum virTypedParameterType */
export const TypedParameterType = {
  BOOLEAN: 6,
  DOUBLE: 5,
  INT: 1,
  LLONG: 3,
  STRING: 7,
  UINT: 2,
  ULLONG: 4,
} as const;
export const TypedParameterType_NAMES: Readonly<Record<number, string>> = {"1":"VIR_TYPED_PARAM_INT","2":"VIR_TYPED_PARAM_UINT","3":"VIR_TYPED_PARAM_LLONG","4":"VIR_TYPED_PARAM_ULLONG","5":"VIR_TYPED_PARAM_DOUBLE","6":"VIR_TYPED_PARAM_BOOLEAN","7":"VIR_TYPED_PARAM_STRING"};

/** C enum virVcpuHostCpuState */
export const VcpuHostCpuState = {
  OFFLINE: -1,
  UNAVAILABLE: -2,
} as const;
export const VcpuHostCpuState_NAMES: Readonly<Record<number, string>> = {"-1":"VIR_VCPU_INFO_CPU_OFFLINE","-2":"VIR_VCPU_INFO_CPU_UNAVAILABLE"};

/** C enum virVcpuState */
export const VcpuState = {
  BLOCKED: 2,
  OFFLINE: 0,
  RUNNING: 1,
} as const;
export const VcpuState_NAMES: Readonly<Record<number, string>> = {"0":"VIR_VCPU_OFFLINE","1":"VIR_VCPU_RUNNING","2":"VIR_VCPU_BLOCKED"};


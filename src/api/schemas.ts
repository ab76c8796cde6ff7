// Every request and response body of the API as a zod schema: the handlers
// validate with them and /openapi.json is generated from them, so the two
// cannot drift apart.
import { z } from "zod";
import { SnapshotDescriptor as VmSnapshotDescriptor } from "../vm/snapshot-descriptor.ts";

/** Schemas that become named components of /openapi.json. */
export const apiSchemas = z.registry<{ id: string }>();

const path = (what: string) => z.string().min(1).max(4096).describe(what);
const port = z.number().int().min(1).max(65535);
/** Names we create and accept in URLs: what libvirt and our metadata are happy with. */
export const VM_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const SNAPSHOT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// ---------- the original web server's shapes (field for field) ----------

export const LegacyCreateRequest = z
  .strictObject({
    cpu_snapshot_path: path("resume: true: the snapshot descriptor (JSON) written by /snapshot, inside vm.snapshot_dir").optional(),
    memory_snapshot_path: path("resume: true: the libvirt save image written by /snapshot, inside vm.snapshot_dir").optional(),
    kernel_path: path("resume: false: a kernel image inside vm.kernel_dir (booted with the guest image's initrd)").optional(),
    resume: z.boolean().describe("true: restore from the two snapshot paths; false: boot a new VM from kernel_path"),
  })
  .superRefine((b, ctx) => {
    const need = b.resume ? (["cpu_snapshot_path", "memory_snapshot_path"] as const) : (["kernel_path"] as const);
    for (const k of need)
      if (b[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: `missing (required when resume is ${b.resume})` });
  })
  .register(apiSchemas, { id: "LegacyCreateRequest" });

export const LegacyCreateResponse = z
  .object({
    pid: z.number().int().nullable().describe("the QEMU process id (null on drivers without a process, e.g. test:///default)"),
    port: port.describe("the VM's service port on the host"),
  })
  .register(apiSchemas, { id: "LegacyCreateResponse" });

export const LegacySnapshotRequest = z
  .strictObject({
    cpu_snapshot_path: path("where the snapshot descriptor (JSON: domain, uuid, port, image hash) is written, inside vm.snapshot_dir"),
    memory_snapshot_path: path("where the libvirt save image (memory + CPU + device state) is written, inside vm.snapshot_dir"),
    rpc_port: port.describe("the service port of the VM to snapshot"),
    resume: z.boolean().describe("true: the VM keeps running after the save; false: it is left stopped"),
  })
  .register(apiSchemas, { id: "LegacySnapshotRequest" });

export const SNAPSHOT_TAKEN = "Snapshot Taken Successfully";
export const LegacySnapshotResponse = z.literal(SNAPSHOT_TAKEN).register(apiSchemas, { id: "LegacySnapshotResponse" });

// ---------- /v1 ----------

export const Vm = z
  .object({
    name: z.string(),
    uuid: z.string(),
    group: z.string(),
    role: z.string(),
    state: z.string().describe("libvirt state name (running, paused, shutoff, ...), or saved (managed-save image)"),
    port: z.number().int().describe("service port (host forward port with user networking)"),
    address: z.string().nullable().describe("HOST:PORT where the service answers, null when not known yet"),
    pid: z.number().int().nullable(),
    cpuPct: z.number().nullable().describe("latest CPU % from the monitor (0..100 of the VM's vCPUs; the name --json uses), null when not sampled"),
    busy: z.string().nullable().describe("the operation running on this VM in this run (snapshot, restore, create, delete; from the API or the dashboard), null when none"),
  })
  .register(apiSchemas, { id: "Vm" });

export const VmList = z.object({ vms: z.array(Vm) }).register(apiSchemas, { id: "VmList" });

export const VmCreateRequest = z
  .strictObject({
    name: z.string().regex(VM_NAME, "letters, digits, '_', '.', '-' (max 64)").optional().describe("default: the next free PREFIX-NNNN"),
    role: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, "lower-case word").optional().describe("role in our metadata (default serving)"),
    wait: z.boolean().default(false).describe("answer only once the VM answers the wire protocol"),
    join: z.boolean().default(false).describe("the VM joins the running group as a serving member (in the balancer once it answers; the group grows by one, within scaler.max); false: a one-off VM"),
  })
  .register(apiSchemas, { id: "VmCreateRequest" });

export const Deleted = z.object({ deleted: z.string() }).register(apiSchemas, { id: "Deleted" });

/** The small JSON file that travels with a save image (defined with the snapshot use case, src/vm/snapshot-descriptor.ts). */
export const SnapshotDescriptor = VmSnapshotDescriptor.register(apiSchemas, { id: "SnapshotDescriptor" });
export type SnapshotDescriptor = z.infer<typeof SnapshotDescriptor>;

export const Snapshot = z
  .object({
    id: z.string(),
    vm: z.string(),
    uuid: z.string(),
    port: z.number().int(),
    cpu_snapshot_path: z.string().describe("descriptor, relative to the snapshot directory"),
    memory_snapshot_path: z.string().describe("save image, relative to the snapshot directory"),
    bytes: z.number().int(),
    sha256: z.string(),
    created: z.string(),
    resumed: z.boolean(),
    save_ms: z.number().optional(),
    method: z.enum(["save", "snapshot", "save+restore"]).optional().describe("save: virDomainSave (halt); snapshot: an external snapshot, the VM ran on; save+restore: the external snapshot was refused, so the VM was saved (stopped) and restored"),
    warning: z.string().optional().describe("what happened that was not asked for (the VM was stopped for the save, with libvirt's reason)"),
  })
  .register(apiSchemas, { id: "Snapshot" });

export const SnapshotList = z.object({ snapshots: z.array(Snapshot) }).register(apiSchemas, { id: "SnapshotList" });

export const SnapshotCreateRequest = z
  .strictObject({
    id: z.string().regex(SNAPSHOT_ID, "letters, digits, '_', '.', '-' (max 64)").optional().describe("default: a UTC timestamp"),
    resume: z.boolean().default(true).describe("keep the VM running after the save (default) or leave it stopped"),
  })
  .register(apiSchemas, { id: "SnapshotCreateRequest" });

export const RestoreRequest = z
  .strictObject({ snapshot: z.string().regex(SNAPSHOT_ID, "a snapshot id from GET /v1/vms/{name}/snapshots") })
  .register(apiSchemas, { id: "RestoreRequest" });

export const ScalerSettings = z
  .object({
    policy: z.enum(["threshold", "target", "concurrency"]),
    min: z.number().int().min(0),
    max: z.number().int().min(1),
    high: z.number().min(0).max(100).describe("threshold policy: scale out above this average CPU %"),
    low: z.number().min(0).max(100).describe("threshold policy: scale in below this average CPU %"),
    window_s: z.number().positive().describe("threshold policy: seconds the condition must hold"),
    target: z.number().min(0).max(100).describe("target policy: the average CPU % to keep"),
    tolerance: z.number().min(0).max(1),
    cooldown_s: z.number().min(0),
  })
  .register(apiSchemas, { id: "ScalerSettings" });

/** window_s is fixed for a run (the monitor keeps that much history), so it is read-only here. */
export const ScalerPatch = ScalerSettings.omit({ window_s: true })
  .partial()
  .extend({ paused: z.boolean().optional() })
  .strict()
  .register(apiSchemas, { id: "ScalerPatch" });

export const ScalerState = z
  .object({
    policy: z.string(),
    paused: z.boolean(),
    current: z.number().int(),
    desired: z.number().int(),
    min: z.number().int(),
    max: z.number().int(),
    avg_cpu: z.number().nullable(),
    window_remaining_s: z.number().nullable(),
    warm_pool: z.number().int(),
    last_decision: z.object({ ts: z.number(), current: z.number(), desired: z.number(), reason: z.string() }).nullable(),
    settings: ScalerSettings,
  })
  .register(apiSchemas, { id: "ScalerState" });

export const ErrorResponse = z
  .object({ error: z.object({ code: z.number().int(), reason: z.string(), description: z.string() }) })
  .register(apiSchemas, { id: "Error" });

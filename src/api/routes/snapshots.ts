// /v1/vms/{name}/snapshots and /restore: the same save image + descriptor
// pairs as the original /snapshot, kept at <snapshot_dir>/<vm>/<id>.save and
// <id>.json, listed from the descriptors (so /snapshot's pairs show up too).
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { findDescriptors } from "../../vm/snapshot-descriptor.ts";
import { ApiError } from "../errors.ts";
import { errorDoc, json, VM_NAME_PARAM, type ApiDeps, type RouteDef } from "../route.ts";
import { RestoreRequest, Snapshot, SnapshotCreateRequest, SnapshotList, Vm, type SnapshotDescriptor } from "../schemas.ts";
import { checkVmName, confined, ownedVm, restorePair, takeSnapshot, vmBody } from "../vm-ops.ts";
import type { z } from "zod";

function snapshotBody(deps: ApiDeps, path: string, d: SnapshotDescriptor): z.infer<typeof Snapshot> {
  return {
    id: d.id,
    vm: d.domain,
    uuid: d.uuid,
    port: d.port,
    cpu_snapshot_path: relative(deps.snapshotDir, path),
    memory_snapshot_path: d.image,
    bytes: d.image_bytes,
    sha256: d.image_sha256,
    created: d.created,
    resumed: d.resumed,
    ...(d.save_ms !== undefined ? { save_ms: d.save_ms } : {}),
    ...(d.method !== undefined ? { method: d.method } : {}),
  };
}

function snapshotsOf(deps: ApiDeps, name: string) {
  return findDescriptors(deps.snapshotDir).filter((x) => x.d.domain === name);
}

/** 20261121T095501123Z: sortable, safe in a file name. */
const stamp = () => new Date().toISOString().replace(/[-:]/g, "").replace(".", "");

export function snapshotRoutes(): RouteDef[] {
  return [
    {
      method: "POST",
      path: "/v1/vms/{name}/snapshots",
      tags: ["snapshots"],
      summary: "Save the VM (memory + CPU + devices) to <snapshot_dir>/<name>/<id>.save, with its descriptor",
      params: VM_NAME_PARAM,
      request: { schema: SnapshotCreateRequest, required: false },
      responses: {
        201: { description: "saved (warning says so when the VM had to be stopped for it)", schema: Snapshot },
        400: errorDoc("bad body"),
        404: errorDoc("no such VM"),
        409: errorDoc("the VM is not running, busy (here, in the dashboard or in another virtscale process), or the id is taken"),
        500: errorDoc("libvirt failed"),
        507: errorDoc("no space left for the save image (libvirt's message)"),
      },
      async handle({ params, body }, deps) {
        const b = body as z.infer<typeof SnapshotCreateRequest>;
        const vm = ownedVm(deps, params.name!);
        const id = b.id ?? stamp();
        const memoryPath = confined(deps.snapshotDir, `${vm.name}/${id}.save`, "id", "snapshot");
        const cpuPath = confined(deps.snapshotDir, `${vm.name}/${id}.json`, "id", "snapshot");
        if (existsSync(memoryPath) || existsSync(cpuPath)) throw new ApiError(409, `id: VM '${vm.name}' already has a snapshot '${id}'`);
        const r = await takeSnapshot(deps, { vm, id, memoryPath, cpuPath, resume: b.resume });
        return json(201, { ...snapshotBody(deps, cpuPath, r.descriptor), ...(r.warning ? { warning: r.warning } : {}) });
      },
    },
    {
      method: "GET",
      path: "/v1/vms/{name}/snapshots",
      tags: ["snapshots"],
      summary: "The VM's snapshots (from their descriptors), newest first",
      params: VM_NAME_PARAM,
      responses: { 200: { description: "snapshots", schema: SnapshotList }, 404: errorDoc("no such VM and no snapshots of it") },
      handle({ params }, deps) {
        const name = checkVmName(params.name!);
        const list = snapshotsOf(deps, name);
        if (list.length === 0) ownedVm(deps, name); // 404 when the VM is unknown too
        return json(200, { snapshots: list.map((x) => snapshotBody(deps, x.path, x.d)) });
      },
    },
    {
      method: "POST",
      path: "/v1/vms/{name}/restore",
      tags: ["snapshots"],
      summary: "Restore the VM from one of its snapshots (checked against its descriptor first)",
      params: VM_NAME_PARAM,
      request: { schema: RestoreRequest, required: true },
      responses: {
        200: { description: "restored and running", schema: Vm },
        400: errorDoc("bad body"),
        404: errorDoc("no such snapshot of this VM"),
        409: errorDoc("the VM is running, busy, or the image does not match its descriptor"),
        500: errorDoc("libvirt failed"),
      },
      async handle({ params, body }, deps) {
        const name = checkVmName(params.name!);
        const b = body as z.infer<typeof RestoreRequest>;
        const found = snapshotsOf(deps, name).find((x) => x.d.id === b.snapshot);
        if (!found) throw new ApiError(404, `snapshot: VM '${name}' has no snapshot '${b.snapshot}'`);
        const memoryPath = confined(deps.snapshotDir, found.d.image, "snapshot", "snapshot");
        const vm = await restorePair(deps, { cpuPath: found.path, memoryPath });
        return json(200, vmBody(deps, vm));
      },
    },
  ];
}

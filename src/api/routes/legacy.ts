// POST /create and POST /snapshot: the original web server's request and
// response shapes, field for field. VMs are named by their service port
// (the original's rpc_port); see README.md here for the path mapping.
import { existsSync, statSync } from "node:fs";
import { ApiError } from "../errors.ts";
import { json, type ApiDeps, type RouteDef } from "../route.ts";
import { LegacyCreateRequest, LegacyCreateResponse, LegacySnapshotRequest, LegacySnapshotResponse, SNAPSHOT_TAKEN, ErrorResponse } from "../schemas.ts";
import { confined, restorePair, takeSnapshot, vmByPort } from "../vm-ops.ts";
import type { z } from "zod";

const err = (description: string) => ({ description, schema: ErrorResponse });

function kernelFile(deps: ApiDeps, userPath: string): string {
  if (deps.kernelDir === null) throw new ApiError(400, "kernel_path: no kernel directory is configured (set vm.kernel_dir)");
  if (!existsSync(deps.kernelDir)) throw new ApiError(400, `kernel_path: the kernel directory ${deps.kernelDir} does not exist (config vm.kernel_dir)`);
  const p = confined(deps.kernelDir, userPath, "kernel_path", "kernel");
  if (!existsSync(p)) throw new ApiError(404, `kernel_path: no kernel '${userPath}' in ${deps.kernelDir}`);
  if (!statSync(p).isFile()) throw new ApiError(400, `kernel_path: '${userPath}' is not a regular file`);
  return p;
}

export function legacyRoutes(): RouteDef[] {
  return [
    {
      method: "POST",
      path: "/create",
      tags: ["original"],
      summary: "Boot a VM from a kernel, or restore one from a snapshot pair",
      description:
        "resume false: boot a new VM from kernel_path (inside vm.kernel_dir) with the guest image's initrd. resume true: restore the VM from cpu_snapshot_path (descriptor) + memory_snapshot_path (libvirt save image); a pair that does not belong together is refused with 409.",
      request: { schema: LegacyCreateRequest, required: true },
      responses: {
        200: { description: "the VM runs", schema: LegacyCreateResponse },
        400: err("malformed body, missing field, or a path outside its directory"),
        404: err("no such kernel or snapshot file"),
        409: err("snapshot pair mismatch, or the VM is already running"),
        500: err("libvirt failed (its message and code)"),
      },
      async handle({ body }, deps) {
        const b = body as z.infer<typeof LegacyCreateRequest>;
        if (b.resume) {
          const cpuPath = confined(deps.snapshotDir, b.cpu_snapshot_path!, "cpu_snapshot_path", "snapshot");
          const memoryPath = confined(deps.snapshotDir, b.memory_snapshot_path!, "memory_snapshot_path", "snapshot");
          if (cpuPath === memoryPath) throw new ApiError(400, "cpu_snapshot_path and memory_snapshot_path name the same file");
          const vm = await restorePair(deps, { cpuPath, memoryPath });
          return json(200, { pid: deps.vms.pidOf(vm.name), port: vm.port });
        }
        const kernel = kernelFile(deps, b.kernel_path!);
        const vm = await deps.vms.create({ kernel, role: "api" });
        deps.store.emit({ type: "vm", ts: deps.store.now(), name: vm.name, to: vm.state, detail: `created by the API from ${kernel}` });
        return json(200, { pid: deps.vms.pidOf(vm.name), port: vm.port });
      },
    },
    {
      method: "POST",
      path: "/snapshot",
      tags: ["original"],
      summary: "Snapshot the VM serving on rpc_port, then resume it or leave it stopped",
      description:
        "memory_snapshot_path receives libvirt's save image (memory + vCPU + device state); cpu_snapshot_path receives a JSON descriptor (domain, uuid, port, image SHA-256) that /create with resume true checks. Both must resolve inside vm.snapshot_dir.",
      request: { schema: LegacySnapshotRequest, required: true },
      responses: {
        200: { description: "the original's success string, as a JSON string", schema: LegacySnapshotResponse },
        400: err("malformed body, missing field, or a path outside the snapshot directory"),
        404: err("no VM serves on rpc_port"),
        409: err("the VM is not running, or busy with another snapshot"),
        500: err("libvirt failed (its message and code)"),
      },
      async handle({ body }, deps) {
        const b = body as z.infer<typeof LegacySnapshotRequest>;
        const cpuPath = confined(deps.snapshotDir, b.cpu_snapshot_path, "cpu_snapshot_path", "snapshot");
        const memoryPath = confined(deps.snapshotDir, b.memory_snapshot_path, "memory_snapshot_path", "snapshot");
        const vm = vmByPort(deps, b.rpc_port);
        const id = cpuPath.split("/").pop()!.replace(/\.json$/, "");
        await takeSnapshot(deps, { vm, id, memoryPath, cpuPath, resume: b.resume });
        return json(200, SNAPSHOT_TAKEN);
      },
    },
  ];
}

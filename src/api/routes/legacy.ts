// POST /create and POST /snapshot: the original web server's request and
// response shapes, field for field. VMs are named by their service port
// (the original's rpc_port); see README.md here for the path mapping.
import { existsSync, statSync } from "node:fs";
import { ApiError } from "../errors.ts";
import { errorDoc, json, type ApiDeps, type RouteDef } from "../route.ts";
import { LegacyCreateRequest, LegacyCreateResponse, LegacySnapshotRequest, LegacySnapshotResponse, SNAPSHOT_TAKEN } from "../schemas.ts";
import { confined, restorePair, takeSnapshot, vmByPort } from "../vm-ops.ts";
import type { ManagedVm } from "../../vm/manager.ts";
import type { z } from "zod";

function kernelFile(deps: ApiDeps, userPath: string): string {
  if (deps.kernelDir === null) throw new ApiError(400, "kernel_path: no kernel directory is configured (set vm.kernel_dir)");
  if (!existsSync(deps.kernelDir)) throw new ApiError(400, `kernel_path: the kernel directory ${deps.kernelDir} does not exist (config vm.kernel_dir)`);
  const p = confined(deps.kernelDir, userPath, "kernel_path", "kernel");
  if (!existsSync(p)) throw new ApiError(404, `kernel_path: no kernel '${userPath}' in ${deps.kernelDir}`);
  if (!statSync(p).isFile()) throw new ApiError(400, `kernel_path: '${userPath}' is not a regular file`);
  return p;
}

/** The request's two snapshot paths, each confined to the snapshot directory. */
function snapshotPaths(deps: ApiDeps, cpu: string, memory: string): { cpuPath: string; memoryPath: string } {
  return {
    cpuPath: confined(deps.snapshotDir, cpu, "cpu_snapshot_path", "snapshot"),
    memoryPath: confined(deps.snapshotDir, memory, "memory_snapshot_path", "snapshot"),
  };
}

async function bootFromKernel(deps: ApiDeps, kernelPath: string): Promise<ManagedVm> {
  const kernel = kernelFile(deps, kernelPath);
  const vm = await deps.vms.create({ kernel, role: "api" });
  deps.store.emit({ type: "vm", ts: deps.store.now(), name: vm.name, to: vm.state, detail: `created by the API from ${kernel}` });
  return vm;
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
        400: errorDoc("malformed body, missing field, or a path outside its directory"),
        404: errorDoc("no such kernel or snapshot file"),
        409: errorDoc("snapshot pair mismatch, or the VM is already running"),
        500: errorDoc("libvirt failed (its message and code)"),
      },
      async handle({ body }, deps) {
        const b = body as z.infer<typeof LegacyCreateRequest>;
        // The schema made sure resume true carries both snapshot paths, resume false a kernel_path.
        const vm = b.resume ? await restorePair(deps, snapshotPaths(deps, b.cpu_snapshot_path!, b.memory_snapshot_path!)) : await bootFromKernel(deps, b.kernel_path!);
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
        400: errorDoc("malformed body, missing field, or a path outside the snapshot directory"),
        404: errorDoc("no VM serves on rpc_port"),
        409: errorDoc("the VM is not running, or busy with another snapshot"),
        500: errorDoc("libvirt failed (its message and code)"),
        507: errorDoc("no space left for the save image (libvirt's message)"),
      },
      async handle({ body }, deps) {
        const b = body as z.infer<typeof LegacySnapshotRequest>;
        const { cpuPath, memoryPath } = snapshotPaths(deps, b.cpu_snapshot_path, b.memory_snapshot_path);
        const vm = vmByPort(deps, b.rpc_port);
        const id = cpuPath.split("/").pop()!.replace(/\.json$/, "");
        const r = await takeSnapshot(deps, { vm, id, memoryPath, cpuPath, resume: b.resume });
        // The original's answer is a fixed string: what else happened travels in a header (and in the events).
        return json(200, SNAPSHOT_TAKEN, r.warning ? { "x-virtscale-warning": r.warning.replace(/[^\x20-\x7e]/g, "?") } : {});
      },
    },
  ];
}

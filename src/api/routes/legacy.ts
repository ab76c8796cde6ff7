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

/**
 * Whether the VM is a member of the running group now, as a header (the
 * original's body stays field for field): "member" or "one-off: WHY".
 */
function groupHeader(deps: ApiDeps, name: string, refused?: string | null): Record<string, string> {
  if (!deps.scaler) return {};
  const member = deps.scaler.members().some((m) => m.name === name);
  const why = member ? "member" : `one-off${refused ? `: ${refused}` : ""}`;
  return { "x-virtscale-group": why.replace(/[^\x20-\x7e]/g, "?") };
}

/** ?join=true|false (the original's body has no such field: it stays field for field); absent: undefined. */
function joinParam(query: URLSearchParams): boolean | undefined {
  const v = query.get("join");
  if (v === null) return undefined;
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new ApiError(400, `join: expected true or false, got '${v.slice(0, 40)}'`);
}

export function legacyRoutes(): RouteDef[] {
  return [
    {
      method: "POST",
      path: "/create",
      tags: ["original"],
      summary: "Boot a VM from a kernel, or restore one from a snapshot pair",
      description:
        "resume false: boot a new VM from kernel_path (inside vm.kernel_dir) with the guest image's initrd. resume true: restore the VM from cpu_snapshot_path (descriptor) + memory_snapshot_path (libvirt save image); a pair that does not belong together is refused with 409. With `virtscale up`, the query ?join=true makes the VM a serving member of the group (the balancer sends it requests, the group grows by one within scaler.max), ?join=false keeps it a one-off; the default is scaler.restored_join (true) for a restore and false for a kernel boot (the body keeps the original's fields). The header x-virtscale-group says `member` or `one-off` (with why).",
      request: { schema: LegacyCreateRequest, required: true },
      query: { join: "true | false: the VM joins the running group as a serving member (default: scaler.restored_join for resume true, false for a kernel boot)" },
      responses: {
        200: { description: "the VM runs", schema: LegacyCreateResponse },
        400: errorDoc("malformed body, missing field, or a path outside its directory"),
        404: errorDoc("no such kernel or snapshot file"),
        409: errorDoc("snapshot pair mismatch, or the VM is already running"),
        500: errorDoc("libvirt failed (its message and code)"),
      },
      async handle({ body, query }, deps) {
        const b = body as z.infer<typeof LegacyCreateRequest>;
        const join = joinParam(query);
        // The schema made sure resume true carries both snapshot paths, resume false a kernel_path.
        let vm: ManagedVm;
        let refused: string | null = null;
        if (b.resume) {
          const paths = snapshotPaths(deps, b.cpu_snapshot_path!, b.memory_snapshot_path!);
          // The group decides when the restore is done (its event): this request's choice goes first.
          if (join !== undefined) deps.scaler?.setRestoreJoin(paths.memoryPath, join);
          vm = await restorePair(deps, paths);
        } else {
          vm = await bootFromKernel(deps, b.kernel_path!);
          if (join) refused = deps.scaler ? deps.scaler.joinVm(vm.name, "booted through POST /create with join") : "no group runs (virtscale up)";
        }
        return json(200, { pid: deps.vms.pidOf(vm.name), port: vm.port }, groupHeader(deps, vm.name, refused));
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

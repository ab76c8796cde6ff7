// /v1/vms: the VMs virtscale owns (our <metadata> in their domain XML), with
// the monitor's CPU figure from the store when it has one.
import { ErrorNumber, LibvirtError } from "../../../ffi/index.ts";
import { ApiError } from "../errors.ts";
import { errorDoc, json, VM_NAME_PARAM, type ApiDeps, type RouteDef } from "../route.ts";
import { Deleted, Vm, VmCreateRequest, VmList } from "../schemas.ts";
import { listForRead, ownedVm, vmBody, withVmLock } from "../vm-ops.ts";
import type { z } from "zod";
import { errorMessage } from "../../errors.ts";
import { RunEndingError } from "../../scaler/owned-vms.ts";

function refuseTaken(deps: ApiDeps, name: string): void {
  try {
    deps.vms.conn.lookupByName(name).free();
  } catch (e) {
    if (e instanceof LibvirtError && e.code === ErrorNumber.NO_DOMAIN) return;
    throw e;
  }
  throw new ApiError(409, `name: a domain named '${name}' already exists`);
}

export function vmRoutes(): RouteDef[] {
  return [
    {
      method: "GET",
      path: "/v1/vms",
      tags: ["vms"],
      summary: "List the VMs of this run's group (virtscale metadata with our group name)",
      description:
        "While an API operation (create, snapshot, restore, delete) runs, the answer is the listing taken just before it began (header x-virtscale-listing: cached; age-ms=N), with each VM's operation in busy: libvirtd can hold a domain list call for seconds while a save finishes.",
      responses: { 200: { description: "the VMs", schema: VmList }, 500: errorDoc("libvirt failed") },
      handle(_i, deps) {
        const { vms, cachedAgeMs } = listForRead(deps);
        const headers: Record<string, string> = cachedAgeMs === null ? {} : { "x-virtscale-listing": `cached; age-ms=${cachedAgeMs}` };
        return json(200, { vms: vms.map((m) => vmBody(deps, m)) }, headers);
      },
    },
    {
      method: "POST",
      path: "/v1/vms",
      tags: ["vms"],
      summary: "Create (define + start) a VM from the guest image",
      description:
        "The VM joins the run's group as far as ownership goes (not the balancer): it carries the run's owner mark, and it is removed with the group's VMs when the run ends (unless `up --keep`; then the run's summary lists it in `left`, with the reason). With `join: true` it becomes a serving member: the balancer sends it requests once it answers, and the group grows by one (within scaler.max; at max, or with no group, it stays a one-off and the header x-virtscale-group says why). Once the run is ending, creates are refused with 503.",
      request: { schema: VmCreateRequest, required: false },
      responses: {
        201: { description: "started (and serving, with wait)", schema: Vm },
        400: errorDoc("bad body"),
        409: errorDoc("the name is taken"),
        500: errorDoc("libvirt failed"),
        503: errorDoc("wait: the VM did not answer the wire protocol in time (it is left running); or the run is ending"),
      },
      async handle({ body }, deps) {
        const b = body as z.infer<typeof VmCreateRequest>;
        if (b.name) refuseTaken(deps, b.name);
        const create = async () => {
          const vm = await deps.vms.create({ name: b.name, role: b.role ?? "api" }).catch((e) => {
            throw e instanceof RunEndingError ? new ApiError(503, e.message) : e;
          });
          deps.store.emit({ type: "vm", ts: deps.store.now(), name: vm.name, to: vm.state, detail: "created by the API" });
          if (b.wait) {
            try {
              await deps.vms.waitServing(vm.name);
            } catch (e) {
              throw new ApiError(503, `VM '${vm.name}' started but did not answer: ${errorMessage(e)}`);
            }
          }
          return vm;
        };
        const vm = b.name ? await withVmLock(deps, b.name, "create", create) : await create();
        const headers: Record<string, string> = { location: `/v1/vms/${encodeURIComponent(vm.name)}` };
        if (b.join) {
          const refused = deps.scaler ? deps.scaler.joinVm(vm.name, "created through POST /v1/vms with join") : "no group runs (virtscale up)";
          headers["x-virtscale-group"] = (refused ? `one-off: ${refused}` : "member").replace(/[^\x20-\x7e]/g, "?");
        }
        return json(201, vmBody(deps, deps.vms.get(vm.name)), headers);
      },
    },
    {
      method: "GET",
      path: "/v1/vms/{name}",
      tags: ["vms"],
      summary: "One VM",
      params: VM_NAME_PARAM,
      responses: { 200: { description: "the VM", schema: Vm }, 404: errorDoc("no such VM (or not virtscale's)") },
      handle({ params }, deps) {
        return json(200, vmBody(deps, ownedVm(deps, params.name!)));
      },
    },
    {
      method: "DELETE",
      path: "/v1/vms/{name}",
      tags: ["vms"],
      summary: "Destroy and undefine a VM (its snapshots stay on disk)",
      params: VM_NAME_PARAM,
      responses: {
        200: { description: "gone", schema: Deleted },
        404: errorDoc("no such VM (or not virtscale's)"),
        409: errorDoc("busy with a snapshot or restore"),
        500: errorDoc("libvirt failed"),
      },
      async handle({ params }, deps) {
        const vm = ownedVm(deps, params.name!);
        await withVmLock(deps, vm.name, "delete", () => deps.vms.destroy(vm.name));
        deps.store.emit({ type: "vm", ts: deps.store.now(), name: vm.name, from: vm.state, to: "deleted", detail: "deleted by the API" });
        return json(200, { deleted: vm.name });
      },
    },
  ];
}

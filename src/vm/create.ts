// Making a new VM: a name (PREFIX-NNNN) and a port no other VM or create
// under way has, its domain XML (from the guest image, or a linked clone of
// the user's template with its overlays), define + start on the worker, and
// everything made undone when a step fails.
import type { AsyncConnection } from "../../ffi/index.ts";
import { UNDEFINE_ALL, type ManagedVm, type VmContext } from "./context.ts";
import { removeLogs, serialLogOf } from "./host-files.ts";
import { METADATA_NS, parseMetadataXml } from "./metadata.ts";
import { allocatePort, nextName } from "./ports.ts";
import { buildDomainXml, randomMac, type NetworkSpec } from "./xml.ts";
import { createOverlays, readTemplate, removeOverlays, templateId, type Overlay, type Template } from "./template.ts";
import { cloneDomainXml } from "./clone-xml.ts";

/** What a new VM's XML is made from. */
export interface NewVmSpec {
  name: string;
  uuid: string;
  mac: string;
  role: string;
  port: number;
  kernel?: string;
  cpuShares?: number;
}

/** The template new VMs are cloned from, read and checked (src/vm/template.ts readTemplate); throws when there is none or it cannot be used. */
export function readCloneTemplate(ctx: VmContext): Template {
  const name = ctx.templateName;
  if (!name) throw new Error("no template domain configured (up --template DOMAIN, config scaler.template)");
  const c = ctx.config;
  return ctx.quick((conn) => readTemplate(conn, name, { group: ctx.group, prefix: c.auto_scaler_domain_prefix, digits: c.auto_scaler_vm_num_digits }));
}

/** A linked clone of the template: its overlays (made now) and its domain XML. */
async function makeClone(ctx: VmContext, ac: AsyncConnection, o: NewVmSpec): Promise<{ template: string; xml: string; overlays: Overlay[] }> {
  // Read at every clone: a template started meanwhile is refused now, not cloned mid-write.
  const tpl = readCloneTemplate(ctx);
  const c = ctx.config;
  const overlays = await createOverlays(ctx.conn, ac, tpl, o.name);
  try {
    const network: NetworkSpec = c.vm.network === "user" ? { mode: "user", hostPort: o.port, guestPort: c.server_port } : { mode: "network", network: c.vm.network_name };
    const xml = cloneDomainXml(tpl.xml, {
      name: o.name,
      uuid: o.uuid,
      mac: o.mac,
      metadata: { group: ctx.group, role: o.role, port: o.port, template: templateId(tpl.name) },
      network,
      overlays: new Map(overlays.map((x) => [x.target, x.path])),
      serialLog: serialLogOf(ctx.uri, o.name),
      cpuShares: o.cpuShares,
      kernel: o.kernel,
    });
    return { template: tpl.name, xml, overlays };
  } catch (e) {
    await removeOverlays(ac, overlays.map((x) => x.path)).catch(() => {});
    throw e;
  }
}

/** The domain XML a new VM would get from the guest image. */
export function imageDomainXml(ctx: VmContext, opts: NewVmSpec): string {
  const c = ctx.config;
  const image = ctx.image;
  if (!image) throw new Error("no guest image: run `virtscale image build` (VmManager was made without one)");
  const network: NetworkSpec =
    c.vm.network === "user"
      ? { mode: "user", hostPort: opts.port, guestPort: c.server_port }
      : { mode: "network", network: c.vm.network_name };
  return buildDomainXml({
    name: opts.name,
    uuid: opts.uuid,
    mac: opts.mac,
    type: ctx.accel().type,
    memoryMiB: c.vm.memory_mib,
    vcpus: c.vm.vcpus,
    kernel: opts.kernel ?? image.kernel,
    initrd: image.initrd,
    cmdline: `${image.cmdline} virtscale.port=${c.server_port} virtscale.scale=${ctx.scale}`,
    network,
    metadata: { group: ctx.group, role: opts.role, port: opts.port, template: image.id },
    serialLog: serialLogOf(ctx.uri, opts.name),
    cpuShares: opts.cpuShares,
  });
}

/**
 * Define + start a VM from the template; returns once libvirt started it (not yet serving).
 * `kernel` boots another kernel (the API's /create kernel_path, already confined to vm.kernel_dir) with the image's initrd.
 */
export async function createVm(ctx: VmContext, opts: { name?: string; role?: string; kernel?: string; cpuShares?: number } = {}): Promise<ManagedVm> {
  // Names and ports in use, read on the worker: a listing on this thread waits for every domain libvirt
  // holds (a dying one, while libvirt cleans it up: 1.2 s here), and this thread runs the balancer.
  const listed = await (await ctx.slow()).listDomains({ metadataUri: METADATA_NS });
  // After the await: the names other creates claimed meanwhile are in ctx.creating by now.
  const taken = new Set<string>(ctx.creating);
  const usedPorts = new Set<number>(ctx.reserved);
  for (const r of listed) {
    taken.add(r.name);
    const meta = parseMetadataXml(r.metadata ?? null);
    if (meta) usedPorts.add(meta.port);
  }
  const c = ctx.config;
  const name = opts.name ?? nextName(c.auto_scaler_domain_prefix, c.auto_scaler_vm_num_digits, taken);
  if (taken.has(name)) throw new Error(`a domain named '${name}' already exists`);
  // Claimed before the first await: concurrent creates on this manager must not pick the same name or port.
  ctx.creating.add(name);
  const role = opts.role ?? "serving";
  const uuid = crypto.randomUUID();
  let port = 0;
  try {
    port = c.vm.network === "user" ? await claimPort(ctx, usedPorts) : c.server_port;
    const spec: NewVmSpec = { name, uuid, mac: randomMac(), role, port, kernel: opts.kernel, cpuShares: opts.cpuShares };
    const ac = await ctx.slow();
    // A linked clone: its overlays first (removed again below when the define or the start fails).
    const clone = ctx.templateName ? await makeClone(ctx, ac, spec) : null;
    try {
      await ac.defineXML(clone ? clone.xml : imageDomainXml(ctx, spec));
      try {
        await ac.start(name);
      } catch (e) {
        await ac.undefine(name, UNDEFINE_ALL).catch(() => {});
        removeLogs(ctx.uri, name);
        throw e;
      }
    } catch (e) {
      if (clone) await removeOverlays(ac, clone.overlays.map((o) => o.path)).catch(() => {});
      throw e;
    }
    const vm: ManagedVm = {
      name,
      uuid,
      group: ctx.group,
      role,
      port,
      address: c.vm.network === "user" ? { host: "127.0.0.1", port } : { host: "0.0.0.0", port: 0 },
      state: "running",
      template: clone ? templateId(clone.template) : ctx.image?.id,
      ...(clone ? { clone: { template: clone.template, overlays: clone.overlays } } : {}),
    };
    ctx.known.set(name, vm);
    return vm;
  } finally {
    ctx.creating.delete(name);
    if (c.vm.network === "user") ctx.reserved.delete(port);
  }
}

/** Allocate and reserve a host port, one allocation at a time (the bind test is async). */
function claimPort(ctx: VmContext, used: ReadonlySet<number>): Promise<number> {
  const run = ctx.portLock.then(async () => {
    const port = await allocatePort(ctx.config.vm.port_base, new Set([...used, ...ctx.reserved]));
    ctx.reserved.add(port);
    return port;
  });
  ctx.portLock = run.catch(() => {});
  return run;
}

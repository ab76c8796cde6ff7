// A defined VM's run state changed on the worker connection: start (resumes
// a managed save), pause and continue (the hot pool), graceful shutdown,
// destroy with everything it was made with (definition, managed-save image,
// logs, a linked clone's overlays), and its live cgroup CPU weight.
import { DomainModificationImpact, DomainUndefineFlags, DomainXMLFlags, ErrorNumber, type AsyncConnection } from "../../ffi/index.ts";
import { UNDEFINE_ALL, ignoreGone, isGone, isLibvirt, type VmContext } from "./context.ts";
import { removeLogs } from "./host-files.ts";
import { metadataOf } from "./ownership.ts";
import { isCloneOf, removeOverlays } from "./template.ts";
import { overlaysInXml } from "./clone-xml.ts";

/** Start a defined VM (resumes its managed-save image when it has one). */
export async function startVm(ctx: VmContext, name: string): Promise<void> {
  await (await ctx.slow()).start(name);
  ctx.setKnownState(name, "running");
}

/** Pause a running VM (virDomainSuspend, the hot pool): its vCPUs stop, its memory stays; resume continues it where it was. */
export async function suspendVm(ctx: VmContext, name: string): Promise<void> {
  await (await ctx.slow()).suspend(name);
  ctx.setKnownState(name, "paused");
}

/** Continue a paused VM (virDomainResume). */
export async function resumeVm(ctx: VmContext, name: string): Promise<void> {
  await (await ctx.slow()).resume(name);
  ctx.setKnownState(name, "running");
}

/** A running VM's cgroup CPU weight (libvirt's cpu_shares scheduler parameter, on the worker); libvirt's error when the host has no cgroup CPU controller. */
export async function cpuShares(ctx: VmContext, name: string): Promise<number> {
  const p = await (await ctx.slow()).domainGetSchedulerParameters(name, DomainModificationImpact.LIVE);
  const v = p.cpu_shares;
  if (typeof v !== "number" && typeof v !== "bigint") throw new Error(`${name}: libvirt reports no cpu_shares scheduler parameter`);
  return Number(v);
}

/** Set a running VM's CPU weight (virDomainSetSchedulerParameters cpu_shares, live only: the definition keeps the weight it was made with). */
export async function setCpuShares(ctx: VmContext, name: string, shares: number): Promise<void> {
  await (await ctx.slow()).domainSetSchedulerParameters(name, [{ field: "cpu_shares", type: "ullong", value: shares }], DomainModificationImpact.LIVE);
}

/**
 * Whether the domain runs, asked on the worker: at the end of a save or a
 * shutdown libvirt holds the domain while its QEMU stops (1.1-1.8 s seen
 * here), and a caller-thread virDomainIsActive would stall the balancer that long.
 */
async function activeNow(ac: AsyncConnection, name: string): Promise<boolean> {
  try {
    return await ac.isActive(name);
  } catch (e) {
    if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) return false;
    throw e;
  }
}

/**
 * Graceful stop: the ACPI power button (the guest's busybox acpid powers off;
 * measured ~1.7 s under TCG), destroyed when still running after timeoutMs.
 */
export async function shutdownVm(ctx: VmContext, name: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const ac = await ctx.slow();
  if (!(await activeNow(ac, name))) return;
  try {
    await ac.shutdown(name);
  } catch (e) {
    if (isGone(e)) return;
    throw e;
  }
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!(await activeNow(ac, name))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  await ac.destroy(name).catch(ignoreGone);
  ctx.setKnownState(name, "shutoff");
}

/** destroy + undefine (with its managed-save image and snapshot metadata), and its log files; a linked clone's overlays too. */
export async function destroyVm(ctx: VmContext, name: string): Promise<void> {
  const ac = await ctx.slow();
  // Read before the undefine, which takes the definition that names them with it.
  const clone = cloneDisks(ctx, name);
  if (await activeNow(ac, name)) await ac.destroy(name).catch(ignoreGone);
  await ac.undefine(name, clone?.nvram ? UNDEFINE_ALL | DomainUndefineFlags.NVRAM : UNDEFINE_ALL).catch(ignoreGone);
  ctx.known.delete(name);
  removeLogs(ctx.uri, name);
  if (clone?.overlays.length) await removeOverlays(ac, clone.overlays);
}

/** A linked clone's overlay files (and whether libvirt made it an NVRAM file), from its definition; null for any other domain. */
function cloneDisks(ctx: VmContext, name: string): { overlays: string[]; nvram: boolean } | null {
  try {
    return ctx.with(name, (d) => {
      if (!isCloneOf(metadataOf(d)?.template)) return null;
      const xml = d.xmlDesc(DomainXMLFlags.INACTIVE);
      return { overlays: overlaysInXml(xml, name), nvram: /<nvram[\s>]/.test(xml) };
    });
  } catch (e) {
    if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) return null;
    throw e;
  }
}

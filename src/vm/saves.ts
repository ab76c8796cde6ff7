// A VM's state to a file and back: save (halt, or an external memory
// snapshot that lets it run on), restore from a save file, managed save (the
// warm pool's per-domain form) and the CPU weight a managed-saved VM resumes
// with. Paths are confined to the snapshot directory and files written
// atomically (src/vm/save-files.ts). The README's "Snapshots" says why.
import { existsSync, rmSync, statSync } from "node:fs";
import { DomainSnapshotCreateFlags, LibvirtError } from "../../ffi/index.ts";
import { isGone, type ManagedVm, type VmContext } from "./context.ts";
import { getOwned } from "./listing.ts";
import { xmlBuilder } from "./metadata.ts";
import { resolveInside } from "./paths.ts";
import { writeAtomically } from "./save-files.ts";
import { parseDomainXml, withCpuShares } from "./xml.ts";

export interface SaveResult {
  path: string;
  bytes: number;
  ms: number;
  method: "save" | "snapshot" | "save+restore";
  /** Why the external snapshot was refused (method "save+restore"). */
  fallback?: string;
}

/**
 * Save CPU + device + memory state to `path` (inside the snapshot directory),
 * written atomically. The file is a libvirt save image: restore() takes it.
 *  - halt: virDomainSaveFlags; the domain stops.
 *  - resume: an external memory snapshot without metadata
 *    (virDomainSnapshotCreateXML, <memory snapshot='external'>, NO_METADATA):
 *    the guest pauses only while its memory is written (~0.2 s measured) and
 *    runs on; the memory file has the save-image format. Where the driver
 *    cannot do that (test driver), save + restore from the same file.
 */
export async function saveVm(ctx: VmContext, name: string, path: string, opts: { resume: boolean }): Promise<SaveResult> {
  const target = resolveInside(ctx.snapshotDir, path);
  const t0 = performance.now();
  const ac = await ctx.slow();
  // An object, not a let: the fallback sets it inside the callback. `fallback`: why the external snapshot was refused.
  const how: { method: "save" | "snapshot" | "save+restore"; fallback?: string } = { method: "save" };
  if (opts.resume) {
    how.method = "snapshot";
    await writeAtomically(target, async (tmp) => {
      const xml = xmlBuilder.build({
        domainsnapshot: { name: `virtscale-${Date.now()}`, memory: { "@_snapshot": "external", "@_file": tmp } },
      });
      try {
        await ac.snapshotCreateXML(name, xml, DomainSnapshotCreateFlags.NO_METADATA);
      } catch (e) {
        // A full disk fails the save as well, and would stop the VM on the way: say it at once.
        if (!(e instanceof LibvirtError) || isGone(e) || /no space left on device|disk quota exceeded/i.test(e.libvirtMessage)) throw e;
        how.method = "save+restore";
        how.fallback = e.libvirtMessage;
        rmSync(tmp, { force: true });
        await ac.save(name, tmp);
      }
    });
    if ((how.method as string) === "save+restore") await ac.restore(target);
  } else {
    // No flags: a save of a running domain restores running (the test driver also refuses SAVE_RUNNING).
    await writeAtomically(target, (tmp) => ac.save(name, tmp));
  }
  const ms = Math.round(performance.now() - t0);
  ctx.setKnownState(name, opts.resume ? "running" : "shutoff");
  return { path: target, bytes: statSync(target).size, ms, method: how.method, ...(how.fallback !== undefined ? { fallback: how.fallback } : {}) };
}

/** Restore a VM from a save file (inside the snapshot directory); it keeps its name and UUID. */
export async function restoreVm(ctx: VmContext, path: string): Promise<ManagedVm> {
  const target = resolveInside(ctx.snapshotDir, path);
  if (!existsSync(target)) throw new Error(`no snapshot file '${path}' in ${ctx.snapshotDir}`);
  const saved = parseDomainXml(ctx.conn.saveImageGetXMLDesc(target));
  const ac = await ctx.slow();
  await ac.restore(target);
  try {
    return getOwned(ctx, saved.name);
  } catch {
    // Not ours (a save file of some other domain): still report what came back.
    const meta = saved.metadata ?? { group: "", role: "", port: 0, template: "" };
    return { name: saved.name, uuid: saved.uuid, group: meta.group, role: meta.role, port: meta.port, address: { host: "127.0.0.1", port: meta.port }, state: "running" };
  }
}

/** Managed save (the warm pool): the domain stops; start() resumes the booted server. */
export async function managedSaveVm(ctx: VmContext, name: string): Promise<void> {
  await (await ctx.slow()).managedSave(name);
  ctx.setKnownState(name, "saved");
}

/**
 * Set the CPU weight a managed-saved VM resumes with (the image's XML,
 * virDomainManagedSaveDefineXML): a pool VM is booted and saved at low
 * weight, and must not restore at it when a scale-out takes it. False when
 * the image has no <cputune><shares> to set (made without a weight).
 */
export async function setSavedCpuShares(ctx: VmContext, name: string, shares: number): Promise<boolean> {
  const ac = await ctx.slow();
  const xml = withCpuShares(await ac.managedSaveGetXMLDesc(name), shares);
  if (xml === null) return false;
  await ac.managedSaveDefineXML(name, xml);
  return true;
}

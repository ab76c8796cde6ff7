// A template of the user's own (`up --template DOMAIN`, config scaler.template):
// new VMs are linked clones of a shut-off domain. Each writable disk of the
// template gets a qcow2 overlay per clone with the template's disk as its
// backing file, so a clone costs a few hundred KiB and a second, and the
// template's disk is only ever read (QEMU opens a backing file read-only).
//  - The disk is a volume of a libvirt storage pool (or a file in a dir pool's
//    directory, found after a pool refresh): the overlay is a new volume of that
//    pool, made by virStorageVolCreateXML with a <backingStore> (libvirt runs
//    qemu-img itself and knows the volume).
//  - The disk is in no pool (a file libvirt was only given by path): libvirt
//    cannot make a volume there, so the overlay is made beside it with
//    `qemu-img create -f qcow2 -b BASE -F FMT` (qemu-utils), and the clone's
//    record says so.
// The template itself is never started or changed: a running one (or one with
// a managed-save image: its disk is mid-run) is refused, as is one that looks
// like a member of the group (its name or our metadata), which the group
// would otherwise take, stop or remove as its own. clone-xml.ts makes the
// clone's domain XML; removing a clone removes its overlays (removeOverlays).
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  type AsyncConnection, type Connection, type Domain, DomainMetadataType, DomainXMLFlags, ErrorNumber, LibvirtError, domainStateName,
  virStoragePoolLookupByName, virStoragePoolLookupByTargetPath, virStoragePoolLookupByVolume, virStorageVolLookupByName, virStorageVolLookupByPath,
} from "../../ffi/index.ts";
import { METADATA_NS, parseMetadataXml, xmlBuilder } from "./metadata.ts";
import { namePattern } from "./ports.ts";
import { runTool } from "./exec.ts";
import { overlayName, templateDisks } from "./clone-xml.ts";

/** The metadata `template` of a clone: "domain:" + the template's name (our own VMs carry their image id there). */
export const templateId = (name: string): string => `domain:${name}`;
export const isCloneOf = (template: string | undefined): string | null => (template?.startsWith("domain:") ? template.slice("domain:".length) : null);

export interface TemplateDisk {
  /** Target device (vda): names the overlay. */
  target: string;
  /** The template's image file, the overlays' backing file. */
  base: string;
  /** Its format (the template's <driver type=>), the overlays' backing format. */
  format: string;
}

export interface Template {
  name: string;
  /** libvirt's inactive definition of the template (what the clones are made from). */
  xml: string;
  /** Writable disks: each clone gets an overlay of each. */
  disks: TemplateDisk[];
  /** Disks the clones share as they are (CD-ROMs, readonly, shareable). */
  shared: number;
}

export interface Overlay {
  target: string;
  path: string;
  /** How it was made: "pool NAME" (virStorageVolCreateXML) or "qemu-img" (and why). */
  via: string;
}

const isLibvirt = (e: unknown, code: number) => e instanceof LibvirtError && e.code === code;

/**
 * Read and check the template `name` (quick calls on `conn`): it exists, is
 * shut off without a managed-save image, is not of the group, and each of
 * its writable disks is a file or a pool volume (a block or network disk
 * cannot back a file overlay). Throws an error that says which and why.
 */
export function readTemplate(conn: Connection, name: string, group: { group: string; prefix: string; digits: number }): Template {
  let d: Domain;
  try {
    d = conn.lookupByName(name);
  } catch (e) {
    if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) throw new Error(`template '${name}': no such domain on ${conn.uri} (${(e as LibvirtError).libvirtMessage})`);
    throw e;
  }
  try {
    if (namePattern(group.prefix, group.digits).test(name))
      throw new Error(`template '${name}' is named like a VM of group '${group.group}' (${group.prefix}-${"N".repeat(group.digits)}): the group would take it as one of its own; give a template outside the group`);
    let meta = null;
    try {
      meta = parseMetadataXml(d.getMetadata(DomainMetadataType.ELEMENT, METADATA_NS));
    } catch (e) {
      if (!isLibvirt(e, ErrorNumber.NO_DOMAIN_METADATA)) throw e;
    }
    if (meta?.group === group.group) throw new Error(`template '${name}' carries virtscale metadata of group '${group.group}': the group would remove it as one of its own; give a template outside the group`);
    const state = domainStateName(d.state().state);
    if (d.isActive())
      throw new Error(`template '${name}' is ${state}: a template must be shut off, its disks are the clones' backing files and a running guest would write to them under the clones (shut it down first: virsh shutdown ${name})`);
    let saved = false;
    try {
      saved = d.hasManagedSaveImage();
    } catch {
      /* a driver without managed save */
    }
    if (saved) throw new Error(`template '${name}' has a managed-save image: its disks are those of a guest stopped mid-run; start and shut it down, or remove the image (virsh managedsave-remove ${name})`);
    const xml = d.xmlDesc(DomainXMLFlags.INACTIVE | DomainXMLFlags.SECURE);
    const { writable, shared } = templateDisks(xml);
    const disks = writable.map((w): TemplateDisk => {
      const where = `template '${name}' disk ${w.target || "(no target)"}`;
      if (!w.target) throw new Error(`${where}: no <target dev=>`);
      if (w.type === "file") {
        if (!w.file) throw new Error(`${where}: a writable disk without a source file`);
        return { target: w.target, base: w.file, format: w.format };
      }
      if (w.type === "volume") {
        if (!w.pool || !w.volume) throw new Error(`${where}: <source pool= volume=> incomplete`);
        using pool = virStoragePoolLookupByName(conn, w.pool);
        using vol = virStorageVolLookupByName(pool, w.volume);
        return { target: w.target, base: vol.path(), format: w.format };
      }
      throw new Error(`${where} is type='${w.type}': only file and pool-volume disks can back a qcow2 overlay file (make the clones' disk a file, or mark this one readonly/shareable if the clones may share it)`);
    });
    return { name, xml, disks, shared };
  } finally {
    d.free();
  }
}

/** The pool that holds `path` as a volume, with the volume's size; null when no active pool does. */
function poolOf(conn: Connection, path: string): { pool: string; capacity: number } | null {
  try {
    using vol = virStorageVolLookupByPath(conn, path);
    using pool = virStoragePoolLookupByVolume(vol);
    return { pool: pool.name(), capacity: vol.info().capacity };
  } catch (e) {
    if (isLibvirt(e, ErrorNumber.NO_STORAGE_VOL)) return null;
    throw e;
  }
}

/** The pool whose target directory is `dir` (a dir pool that has not seen a file yet), or null. */
function poolAt(conn: Connection, dir: string): string | null {
  try {
    using pool = virStoragePoolLookupByTargetPath(conn, dir);
    return pool.isActive() ? pool.name() : null;
  } catch (e) {
    // NO_SUPPORT: a driver without the lookup (libvirt's test driver): no dir pool to refresh there either.
    if (isLibvirt(e, ErrorNumber.NO_STORAGE_POOL) || isLibvirt(e, ErrorNumber.NO_SUPPORT)) return null;
    throw e;
  }
}

/** The volume XML of a qcow2 overlay of `base` (virStorageVolCreateXML). */
export function overlayVolumeXml(name: string, base: string, format: string, capacity: number): string {
  return xmlBuilder.build({
    volume: {
      name,
      capacity: { "@_unit": "bytes", "#text": String(capacity) },
      target: { format: { "@_type": "qcow2" } },
      backingStore: { path: base, format: { "@_type": format } },
    },
  });
}

/**
 * One overlay per writable template disk for `clone`; lookups on `conn`, the
 * creates (libvirt's or qemu-img) off this thread. All or nothing: when one
 * fails, those made already are removed again.
 */
export async function createOverlays(conn: Connection, ac: AsyncConnection, tpl: Template, clone: string): Promise<Overlay[]> {
  const made: Overlay[] = [];
  try {
    for (const disk of tpl.disks) made.push(await createOverlay(conn, ac, disk, clone));
  } catch (e) {
    await removeOverlays(ac, made.map((o) => o.path)).catch(() => {});
    throw e;
  }
  return made;
}

async function createOverlay(conn: Connection, ac: AsyncConnection, disk: TemplateDisk, clone: string): Promise<Overlay> {
  const name = overlayName(clone, disk.target);
  let inPool = poolOf(conn, disk.base);
  if (!inPool) {
    // A file copied into a dir pool's directory is a volume only after a refresh.
    const pool = poolAt(conn, dirname(disk.base));
    if (pool) {
      await ac.storagePoolRefresh(pool);
      inPool = poolOf(conn, disk.base);
    }
  }
  if (inPool) {
    const r = await ac.storageVolCreateXML(inPool.pool, overlayVolumeXml(name, disk.base, disk.format, inPool.capacity));
    return { target: disk.target, path: r.path, via: `pool ${inPool.pool}` };
  }
  const path = join(dirname(disk.base), name);
  // qemu-img would overwrite it; a file of that name is not ours to replace (a crashed run's overlay: remove it by hand).
  if (existsSync(path)) throw new Error(`${path} exists already (an overlay left by an earlier run?): not overwritten; remove it to reuse the name`);
  await runTool(["qemu-img", "create", "-q", "-f", "qcow2", "-b", disk.base, "-F", disk.format, path], { hint: "apt-get install qemu-utils" });
  return { target: disk.target, path, via: `qemu-img (${disk.base} is in no libvirt storage pool, so libvirt cannot make the overlay a volume)` };
}

/** Remove overlay files: as a pool volume (virStorageVolDelete) where a pool has it, else the file itself. */
export async function removeOverlays(ac: AsyncConnection, paths: readonly string[]): Promise<void> {
  const errors: string[] = [];
  for (const path of paths) {
    try {
      await ac.storageVolDelete(path);
    } catch (e) {
      if (!isLibvirt(e, ErrorNumber.NO_STORAGE_VOL)) {
        errors.push(`${path}: ${(e as Error).message}`);
        continue;
      }
      try {
        rmSync(path, { force: true });
      } catch (err) {
        errors.push(`${path}: ${(err as Error).message}`);
      }
    }
  }
  if (errors.length) throw new Error(`cannot remove overlay(s): ${errors.join("; ")}`);
}

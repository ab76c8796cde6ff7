// Linked clones of a template domain on libvirt's test driver (test:///default,
// which keeps storage pools and volumes in memory): the clone's XML (new name,
// UUID, MAC, our metadata, the template's other parts kept, the loopback
// forward in place of the template's NICs), the refusals (running template,
// one of the group, a block disk), overlays as pool volumes
// (virStorageVolCreateXML) and as qemu-img files where the disk is in no pool,
// and both removed with the clone. Everything made here is removed in afterAll.
import { afterAll, describe, expect, test } from "bun:test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Connection, ErrorNumber, LibvirtError, virStoragePoolLookupByName, virStorageVolCreateXML, virStorageVolDelete, virStorageVolLookupByPath } from "../../ffi/index.ts";
import { parseConfig } from "../../src/config.ts";
import { VmManager } from "../../src/vm/manager.ts";
import { cloneDomainXml, isOverlayOf, overlaysInXml } from "../../src/vm/clone-xml.ts";
import { overlayVolumeXml, readTemplate } from "../../src/vm/template.ts";
import { parseDomainXml } from "../../src/vm/xml.ts";
import { METADATA_NS, parseMetadataXml } from "../../src/vm/metadata.ts";

const URI = "test:///default";
const rand = Math.random().toString(36).slice(2, 8).padEnd(6, "0");
const prefix = `vst-cl-${rand}`;
const tplName = `vst-tpl-${rand}`;
const work = mkdtempSync(join(tmpdir(), `vst-tpl-${rand}-`));
const conn = Connection.open(URI);
const made: string[] = [];
const managers: VmManager[] = [];

function templateXml(o: { name: string; disk: string; type?: "volume" | "file" | "block"; extraDisk?: string; machine?: string }): string {
  const src =
    o.type === "volume" ? `<source pool='default-pool' volume='${o.disk}'/>` : o.type === "block" ? `<source dev='${o.disk}'/>` : `<source file='${o.disk}'/>`;
  return `<domain type='test' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>${o.name}</name>
  <uuid>11111111-2222-3333-4444-555555555555</uuid>
  <metadata>
    <app:info xmlns:app="https://example.org/app/1" owner="ops"/>
    <virtscaleowner:owner xmlns:virtscaleowner="https://virtscale.dev/xmlns/owner/1" host="h" pid="1" boot="b" since="1"/>
  </metadata>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='${o.machine ?? "pc"}'>hvm</type><kernel>/boot/tpl-kernel</kernel><initrd>/boot/tpl-initrd</initrd><cmdline>console=ttyS0 root=/dev/vda virtscale.port=21001</cmdline></os>
  <features><acpi/><apic/></features>
  <devices>
    <disk type='${o.type ?? "file"}' device='disk'><driver name='qemu' type='qcow2'/>${src}<target dev='vda' bus='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x09' function='0x0'/></disk>
    ${o.extraDisk ? `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${o.extraDisk}'/><target dev='vdb' bus='virtio'/></disk>` : ""}
    <disk type='file' device='cdrom'><source file='/iso/tools.iso'/><target dev='hdc' bus='ide'/><readonly/></disk>
    <interface type='user'><mac address='52:54:00:aa:bb:cc'/><model type='virtio'/><address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></interface>
    <serial type='pty'><log file='/var/log/tpl-serial.log'/><target port='0'/></serial>
    <graphics type='vnc' port='5901' autoport='no'/>
  </devices>
</domain>`;
}

function define(xml: string): string {
  using d = conn.defineXML(xml);
  const name = d.name();
  made.push(name);
  return name;
}

function config(extra: Record<string, unknown> = {}) {
  return parseConfig({ auto_scaler_domain_prefix: prefix, vm: { port_base: 31700 + Math.floor(Math.random() * 200) }, ...extra });
}

const volExists = (path: string): boolean => {
  try {
    using v = virStorageVolLookupByPath(conn, path);
    return true;
  } catch (e) {
    if (e instanceof LibvirtError && e.code === ErrorNumber.NO_STORAGE_VOL) return false;
    throw e;
  }
};

const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

afterAll(async () => {
  for (const m of managers) {
    for (const vm of m.listOwned()) if (vm.name.startsWith(prefix)) await m.destroy(vm.name);
    await m.close();
  }
  for (const name of made) {
    try {
      using d = conn.lookupByName(name);
      if (d.isActive()) d.destroy();
      d.undefine();
    } catch {
      /* gone */
    }
  }
  using pool = virStoragePoolLookupByName(conn, "default-pool");
  for (const v of [`${tplName}.qcow2`]) {
    try {
      using vol = virStorageVolLookupByPath(conn, `/default-pool/${v}`);
      virStorageVolDelete(vol);
    } catch {
      /* gone */
    }
  }
  void pool;
  conn.close();
  rmSync(work, { recursive: true, force: true });
});

describe("cloneDomainXml", () => {
  const tpl = templateXml({ name: "tpl", disk: "/images/tpl.qcow2" });
  const base = { name: `${prefix}-0007`, uuid: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", mac: "52:54:00:01:02:03", metadata: { group: prefix, role: "serving", port: 31777, template: "domain:tpl" } };

  test("user mode: new identity and metadata, the template's NICs replaced by the loopback forward on a free slot, the rest kept", () => {
    const xml = cloneDomainXml(tpl, { ...base, network: { mode: "user", hostPort: 31777, guestPort: 21001 }, overlays: new Map([["vda", `/images/${prefix}-0007-vda.qcow2`]]), serialLog: "/var/log/libvirt/qemu/x-serial.log", cpuShares: 64 });
    const p = parseDomainXml(xml);
    expect(p.name).toBe(base.name);
    expect(p.uuid).toBe(base.uuid);
    expect(p.metadata).toEqual(base.metadata);
    expect(p.network).toEqual({ mode: "user", hostAddress: "127.0.0.1", hostPort: 31777, guestPort: 21001 });
    expect(p.mac).toBe(base.mac);
    // Slot 9 is the template's disk; 3 was its NIC's (dropped), but 9 upwards comes first: 0xa.
    expect(xml).toContain("bus=pci.0,addr=0xa,");
    expect(xml).not.toContain("<interface");
    expect(xml).not.toContain("virtscale.dev/xmlns/owner");
    expect(xml).toContain(`<app:info xmlns:app="https://example.org/app/1" owner="ops"/>`);
    // The template's boot is kept as it is.
    expect(p.kernel).toBe("/boot/tpl-kernel");
    expect(p.initrd).toBe("/boot/tpl-initrd");
    expect(p.cmdline).toBe("console=ttyS0 root=/dev/vda virtscale.port=21001");
    expect(p.cpuShares).toBe(64);
    expect(overlaysInXml(xml, base.name)).toEqual([`/images/${prefix}-0007-vda.qcow2`]);
    expect(xml).toContain(`<source file="/images/${prefix}-0007-vda.qcow2"/>`);
    expect(xml).toContain(`<driver name="qemu" type="qcow2"/>`);
    // The CD-ROM is shared as it is; the serial log and the VNC port are the clone's own.
    expect(xml).toContain(`<source file="/iso/tools.iso"/>`);
    expect(xml).toContain(`<log file="/var/log/libvirt/qemu/x-serial.log" append="off"/>`);
    expect(xml).not.toContain("tpl-serial.log");
    expect(xml).toContain(`autoport="yes"`);
    expect(xml).not.toContain(`port="5901"`);
  });

  test("network mode: the template's NIC kept with the clone's MAC; q35 puts a user NIC on pcie.0", () => {
    const net = cloneDomainXml(tpl, { ...base, network: { mode: "network", network: "default" }, overlays: new Map([["vda", "/images/x-vda.qcow2"]]) });
    expect(net).toContain(`<mac address="${base.mac}"/>`);
    expect(net).not.toContain("52:54:00:aa:bb:cc");
    expect(net).toContain(`<interface type="user">`);
    const q35 = cloneDomainXml(templateXml({ name: "tpl", disk: "/i/t.qcow2", machine: "pc-q35-7.2" }), { ...base, network: { mode: "user", hostPort: 1, guestPort: 2 }, overlays: new Map() });
    expect(q35).toContain("bus=pcie.0,");
  });

  test("a disk the template does not have, or a kernel for a disk-booting template, is an error", () => {
    expect(() => cloneDomainXml(tpl, { ...base, network: { mode: "network", network: "n" }, overlays: new Map([["vdz", "/x-vdz.qcow2"]]) })).toThrow(/no disk with target 'vdz'/);
    const diskBoot = tpl.replace(/<kernel>.*<\/cmdline>/, "");
    expect(() => cloneDomainXml(diskBoot, { ...base, network: { mode: "network", network: "n" }, overlays: new Map(), kernel: "/k" })).toThrow(/boots from its disk/);
  });

  test("overlay names: only the clone's own files count as its overlays", () => {
    expect(isOverlayOf("g-0001", "/p/g-0001-vda.qcow2")).toBe(true);
    expect(isOverlayOf("g-0001", "/p/g-0001-vda.raw")).toBe(false);
    expect(isOverlayOf("g-0001", "/p/g-00012-vda.qcow2")).toBe(false);
    expect(isOverlayOf("g-0001", "/p/tpl.qcow2")).toBe(false);
  });
});

describe("readTemplate on test:///default", () => {
  const group = { group: prefix, prefix, digits: 4 };
  test("refuses a running template, one of the group, a block disk and a missing domain, naming why", () => {
    expect(() => readTemplate(conn, "test", group)).toThrow(/template 'test' is running: a template must be shut off/);
    expect(() => readTemplate(conn, `no-such-${rand}`, group)).toThrow(new RegExp(`template 'no-such-${rand}': no such domain`));
    const member = define(templateXml({ name: `${prefix}-0042`, disk: "/i/m.qcow2" }).replace("<uuid>11111111-2222-3333-4444-555555555555</uuid>", ""));
    expect(() => readTemplate(conn, member, group)).toThrow(/named like a VM of group/);
    const block = define(templateXml({ name: `vst-blk-${rand}`, disk: "/dev/sdz", type: "block" }).replace("<uuid>11111111-2222-3333-4444-555555555555</uuid>", ""));
    expect(() => readTemplate(conn, block, group)).toThrow(/disk vda is type='block': only file and pool-volume disks/);
  });
});

describe("VmManager with a template on test:///default", () => {
  test("a disk in a storage pool: the overlay is a new volume of that pool, backed by it; removed with the clone", async () => {
    using pool = virStoragePoolLookupByName(conn, "default-pool");
    using baseVol = virStorageVolCreateXML(pool, `<volume><name>${tplName}.qcow2</name><capacity unit='bytes'>67108864</capacity><target><format type='qcow2'/></target></volume>`);
    define(templateXml({ name: tplName, disk: `${tplName}.qcow2`, type: "volume" }));
    const vms = new VmManager({ uri: URI, config: config({ scaler: { template: tplName } }) });
    managers.push(vms);
    expect(vms.template().disks).toEqual([{ target: "vda", base: baseVol.path(), format: "qcow2" }]);
    const vm = await vms.create();
    const overlay = `/default-pool/${vm.name}-vda.qcow2`;
    expect(vm.name).toMatch(new RegExp(`^${prefix}-\\d{4}$`));
    expect(vm.template).toBe(`domain:${tplName}`);
    expect(vm.clone).toEqual({ template: tplName, overlays: [{ target: "vda", path: overlay, via: "pool default-pool" }] });
    expect(volExists(overlay)).toBe(true);
    {
      using d = conn.lookupByName(vm.name);
      expect(d.isActive()).toBe(true);
      const xml = d.xmlDesc();
      expect(xml).toContain(overlay);
      // The test driver keeps no <qemu:commandline> (the forward is checked in cloneDomainXml's test and on QEMU); the template's NIC is gone.
      expect(xml).not.toContain("52:54:00:aa:bb:cc");
      expect(vms.addressOf(vm.name)).toEqual({ host: "127.0.0.1", port: vm.port });
      expect(parseMetadataXml(d.getMetadata(2, METADATA_NS))).toEqual({ group: prefix, role: "serving", port: vm.port, template: `domain:${tplName}` });
      expect(d.uuidString()).not.toBe("11111111-2222-3333-4444-555555555555");
    }
    expect(vms.listOwned().map((v) => v.name)).toContain(vm.name);
    await vms.destroy(vm.name);
    expect(volExists(overlay)).toBe(false);
    expect(volExists(baseVol.path())).toBe(true);
    expect(() => conn.lookupByName(vm.name)).toThrow(/not found/i);
    // The template itself is untouched and still shut off.
    using t = conn.lookupByName(tplName);
    expect(t.isActive()).toBe(false);
    expect(t.uuidString()).toBe("11111111-2222-3333-4444-555555555555");
  });

  test("a disk in no pool: a qemu-img overlay beside it (backing file and format recorded in it); removed with the clone; base unchanged", async () => {
    const base = join(work, "base.qcow2");
    execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", base, "64M"]);
    const before = { hash: sha(base), mtime: statSync(base).mtimeMs };
    const name = define(templateXml({ name: `vst-tplf-${rand}`, disk: base }).replace("<uuid>11111111-2222-3333-4444-555555555555</uuid>", ""));
    const vms = new VmManager({ uri: URI, config: config(), template: name });
    managers.push(vms);
    const vm = await vms.create({ role: "warm" });
    const overlay = join(work, `${vm.name}-vda.qcow2`);
    expect(vm.clone?.overlays).toEqual([{ target: "vda", path: overlay, via: expect.stringContaining(`qemu-img (${base} is in no libvirt storage pool`) }]);
    const info = JSON.parse(execFileSync("qemu-img", ["info", "--output=json", overlay], { encoding: "utf8" })) as Record<string, unknown>;
    expect(info).toMatchObject({ format: "qcow2", "backing-filename": base, "backing-filename-format": "qcow2", "virtual-size": 64 * 1024 * 1024 });
    await vms.destroy(vm.name);
    expect(existsSync(overlay)).toBe(false);
    expect({ hash: sha(base), mtime: statSync(base).mtimeMs }).toEqual(before);
  });

  test("all or nothing: when one disk's overlay cannot be made, the others made for that clone are removed; an existing file is not overwritten", async () => {
    const a = join(work, "a.qcow2");
    const b = join(work, "b.qcow2");
    for (const f of [a, b]) execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", f, "16M"]);
    const name = define(templateXml({ name: `vst-tpl2-${rand}`, disk: a, extraDisk: b }).replace("<uuid>11111111-2222-3333-4444-555555555555</uuid>", ""));
    const vms = new VmManager({ uri: URI, config: config(), template: name });
    managers.push(vms);
    const clash = join(work, `${prefix}-0000-vdb.qcow2`);
    writeFileSync(clash, "not ours");
    await expect(vms.create({ name: `${prefix}-0000` })).rejects.toThrow(/exists already .*not overwritten/);
    expect(existsSync(join(work, `${prefix}-0000-vda.qcow2`))).toBe(false);
    expect(readFileSync(clash, "utf8")).toBe("not ours");
    expect(() => conn.lookupByName(`${prefix}-0000`)).toThrow(/not found/i);
  });

  test("the volume XML names the backing file, its format and the size", () => {
    expect(overlayVolumeXml("c-vda.qcow2", "/p/t.img", "raw", 1024)).toBe(
      `<volume>\n  <name>c-vda.qcow2</name>\n  <capacity unit="bytes">1024</capacity>\n  <target>\n    <format type="qcow2"/>\n  </target>\n  <backingStore>\n    <path>/p/t.img</path>\n    <format type="raw"/>\n  </backingStore>\n</volume>\n`,
    );
  });
});

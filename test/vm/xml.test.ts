// Domain XML: built and read back with fast-xml-parser, both network modes,
// virtscale's metadata present, special characters survive.
import { describe, expect, test } from "bun:test";
import { buildDomainXml, parseDomainXml, randomMac, QEMU_NS, type DomainSpec } from "../../src/vm/xml.ts";
import { METADATA_NS, metadataXml, parseMetadataXml } from "../../src/vm/metadata.ts";

const base: DomainSpec = {
  name: "vst-vm-abc123-0001",
  uuid: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
  mac: "52:54:00:12:34:56",
  type: "qemu",
  memoryMiB: 512,
  vcpus: 1,
  kernel: "/var/lib/virtscale/images/x/vmlinuz",
  initrd: "/var/lib/virtscale/images/x/initrd.img",
  cmdline: "console=ttyS0 virtscale.port=21001 virtscale.scale=8",
  network: { mode: "user", hostPort: 31005, guestPort: 21001 },
  metadata: { group: "vst-vm-abc123", role: "serving", port: 31005, template: "0123456789abcdef" },
  serialLog: "/var/log/libvirt/qemu/vst-vm-abc123-0001-serial.log",
};

describe("domain XML", () => {
  test("a CPU weight (a warm-pool refill's) is <cputune><shares>, read back; none without it", () => {
    const xml = buildDomainXml({ ...base, cpuShares: 64 });
    expect(xml).toMatch(/<cputune>\s*<shares>64<\/shares>\s*<\/cputune>/);
    expect(parseDomainXml(xml).cpuShares).toBe(64);
    expect(buildDomainXml(base)).not.toContain("<cputune");
    expect(parseDomainXml(buildDomainXml(base)).cpuShares).toBeUndefined();
  });

  test("user mode: loopback UDP forward through qemu:commandline, no balloon, acpi+apic, metadata", () => {
    const xml = buildDomainXml(base);
    expect(xml).toContain(`xmlns:qemu="${QEMU_NS}"`);
    expect(xml).toContain(`<qemu:arg value="user,id=n0,hostfwd=udp:127.0.0.1:31005-:21001"/>`);
    expect(xml).toContain(`virtio-net-pci,netdev=n0,bus=pci.0,addr=0x9,mac=52:54:00:12:34:56,romfile=`);
    expect(xml).toContain(`<controller type="usb" model="none"/>`);
    expect(xml).toContain(`<memballoon model="none"/>`);
    expect(xml).toMatch(/<features>\s*<acpi\/>\s*<apic\/>\s*<\/features>/);
    expect(xml).toContain(`xmlns:virtscale="${METADATA_NS}"`);
    expect(xml).not.toContain("<interface");
    const p = parseDomainXml(xml);
    expect(p).toMatchObject({
      name: base.name,
      uuid: base.uuid,
      type: "qemu",
      memoryMiB: 512,
      vcpus: 1,
      kernel: base.kernel,
      initrd: base.initrd,
      cmdline: base.cmdline,
      mac: base.mac,
      network: { mode: "user", hostAddress: "127.0.0.1", hostPort: 31005, guestPort: 21001 },
      metadata: base.metadata,
    });
  });

  test("network mode: <interface type='network'> with MAC and virtio model, no qemu namespace", () => {
    const xml = buildDomainXml({ ...base, network: { mode: "network", network: "vst-net" }, metadata: { ...base.metadata, port: 21001 } });
    expect(xml).not.toContain("qemu:commandline");
    expect(xml).not.toContain("xmlns:qemu");
    expect(xml).toMatch(/<interface type="network">[\s\S]*<mac address="52:54:00:12:34:56"\/>[\s\S]*<source network="vst-net"\/>[\s\S]*<model type="virtio"\/>/);
    const p = parseDomainXml(xml);
    expect(p.network).toEqual({ mode: "network", network: "vst-net" });
    expect(p.mac).toBe(base.mac);
    expect(p.metadata).toEqual({ ...base.metadata, port: 21001 });
  });

  test("kvm gets host-passthrough, TCG the maximum CPU model", () => {
    expect(buildDomainXml(base)).toContain(`<cpu mode="maximum" check="none"/>`);
    expect(buildDomainXml({ ...base, type: "kvm" })).toContain(`<cpu mode="host-passthrough"/>`);
  });

  test("special characters are escaped and read back", () => {
    const cmdline = `console=ttyS0 x="a&b" <y>`;
    const xml = buildDomainXml({ ...base, cmdline, metadata: { ...base.metadata, group: `g&"<>` } });
    expect(xml).not.toContain(`x="a&b"`);
    const p = parseDomainXml(xml);
    expect(p.cmdline).toBe(cmdline);
    expect(p.metadata?.group).toBe(`g&"<>`);
  });

  test("libvirt's own dumpxml form (single quotes, KiB, other prefix) parses", () => {
    const xml = `<domain type='qemu' id='3' xmlns:qemu='${QEMU_NS}'>
  <name>n1</name><uuid>u1</uuid>
  <metadata><vs:vm xmlns:vs="${METADATA_NS}" group="g" role="warm" port="31001" template="t"/></metadata>
  <memory unit='KiB'>524288</memory><vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type><kernel>/k</kernel><initrd>/i</initrd><cmdline>c</cmdline></os>
  <devices><interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='default'/><model type='virtio'/></interface></devices>
</domain>`;
    const p = parseDomainXml(xml);
    expect(p).toMatchObject({ name: "n1", memoryMiB: 512, vcpus: 2, metadata: { group: "g", role: "warm", port: 31001, template: "t" } });
    expect(p.network).toEqual({ mode: "network", network: "default" });
  });

  test("a running guest on a libvirt network, as libvirt 9.0 reports it (testbed host): network mode, its MAC, the guest port", () => {
    // Captured from a domain virtscale made on scripts/testbed.sh's routed network (virDomainGetXMLDesc of the live domain).
    const xml = `<domain type='qemu' id='1'>
  <name>vst-h15dump-0000</name><uuid>2f1e6a0c-52b3-4f7e-9a51-0d9c8f3e7b11</uuid>
  <metadata>
    <virtscale:vm xmlns:virtscale="${METADATA_NS}" group="vst-h15dump" role="serving" port="21001" template="ffeae3aee9baee63"/>
  </metadata>
  <memory unit='KiB'>262144</memory><vcpu placement='static'>1</vcpu>
  <devices>
    <interface type='network'>
      <mac address='52:54:00:77:b0:c0'/>
      <source network='vsnet' portid='2cbe906d-a61c-4f03-a9cf-ff3fffc3ee76' bridge='vsbr1'/>
      <target dev='vnet0'/>
      <model type='virtio'/>
      <alias name='net0'/>
      <rom enabled='no'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
    </interface>
  </devices>
</domain>`;
    const p = parseDomainXml(xml);
    expect(p.network).toEqual({ mode: "network", network: "vsnet" });
    expect(p.mac).toBe("52:54:00:77:b0:c0");
    expect(p.metadata).toEqual({ group: "vst-h15dump", role: "serving", port: 21001, template: "ffeae3aee9baee63" });
    // What VmManager defines for it: the same interface, and the guest told its port on the kernel command line.
    const built = buildDomainXml({ ...base, mac: "52:54:00:77:b0:c0", network: { mode: "network", network: "vsnet" }, metadata: { ...base.metadata, port: 21001 } });
    expect(built).toMatch(/<interface type="network">\s*<mac address="52:54:00:77:b0:c0"\/>\s*<source network="vsnet"\/>\s*<model type="virtio"\/>\s*<rom enabled="no"\/>\s*<\/interface>/);
    expect(parseDomainXml(built).network).toEqual(p.network);
  });

  test("a domain without our metadata has none; garbage is an error", () => {
    expect(parseDomainXml(`<domain type='qemu'><name>x</name><metadata><other:x xmlns:other="urn:x" group="g"/></metadata></domain>`).metadata).toBeNull();
    expect(() => parseDomainXml("<notadomain/>")).toThrow(/no <domain> root/);
  });

  test("metadata element alone: as set, and as virDomainGetMetadata returns it (no prefix)", () => {
    const m = { group: "g1", role: "serving", port: 31002, template: "abc" };
    expect(parseMetadataXml(metadataXml(m))).toEqual(m);
    expect(parseMetadataXml(`<vm group="g1" role="serving" port="31002" template="abc"/>`)).toEqual(m);
    expect(parseMetadataXml(null)).toBeNull();
  });

  test("an attribute whose value is the word true keeps its value (the fuzzer's role \"true\" was written as a bare attribute libvirt refused)", () => {
    const m = { group: "g1", role: "true", port: 31002, template: "false" };
    expect(metadataXml(m)).toContain('role="true"');
    expect(parseMetadataXml(metadataXml(m))).toEqual(m);
  });

  test("random MACs are in 52:54:00 and differ", () => {
    const a = randomMac();
    expect(a).toMatch(/^52:54:00(:[0-9a-f]{2}){3}$/);
    const many = new Set(Array.from({ length: 50 }, randomMac));
    expect(many.size).toBeGreaterThan(45);
  });
});

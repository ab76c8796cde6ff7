// KVM or TCG: detected from libvirt's capabilities (a `kvm` domain type is
// listed for x86_64 only when libvirtd can use /dev/kvm; scripts/start-libvirtd.sh
// hides a present-but-broken /dev/kvm), overridable with config vm.accel.
import { xmlParser } from "./metadata.ts";

export interface AccelChoice {
  /** libvirt domain type ("test" on libvirt's test driver). */
  type: "kvm" | "qemu" | "test";
  /** "kvm" or "tcg", for reports ("test" on the test driver). */
  name: "kvm" | "tcg" | "test";
  reason: string;
}

/** Domain types libvirt offers for x86_64 guests, from the capabilities XML. */
export function domainTypes(capabilitiesXml: string): string[] {
  const doc = xmlParser.parse(capabilitiesXml) as Record<string, any>;
  const types = new Set<string>();
  for (const g of doc.capabilities?.guest ?? []) {
    const arch = g.arch;
    // x86_64 guests; libvirt's test driver (test:///default) describes only i686 "test" domains.
    if (!arch || (arch["@_name"] !== "x86_64" && !(arch.domain ?? []).some((d: any) => d["@_type"] === "test"))) continue;
    for (const d of arch.domain ?? []) if (d["@_type"]) types.add(String(d["@_type"]));
  }
  return [...types];
}

export function chooseAccel(capabilitiesXml: string, wanted: "auto" | "kvm" | "tcg"): AccelChoice {
  const types = domainTypes(capabilitiesXml);
  const kvm = types.includes("kvm");
  if (wanted === "tcg") return { type: "qemu", name: "tcg", reason: "vm.accel=tcg" };
  if (wanted === "kvm") {
    if (!kvm) throw new Error(`vm.accel=kvm but libvirt offers no kvm domain type for x86_64 (offers: ${types.join(", ") || "none"}): /dev/kvm missing or unusable to libvirtd`);
    return { type: "kvm", name: "kvm", reason: "vm.accel=kvm" };
  }
  if (kvm) return { type: "kvm", name: "kvm", reason: "auto: libvirt offers kvm for x86_64" };
  if (types.includes("test") && !types.includes("qemu")) return { type: "test", name: "test", reason: "libvirt test driver" };
  if (!types.includes("qemu")) throw new Error(`libvirt offers neither kvm nor qemu domains for x86_64 (offers: ${types.join(", ") || "none"}): is qemu-system-x86 installed?`);
  return { type: "qemu", name: "tcg", reason: "auto: no usable KVM (libvirt offers only qemu/TCG for x86_64)" };
}

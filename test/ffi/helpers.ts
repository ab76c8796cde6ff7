// Shared bits of the ffi tests: unique names per run, a tiny test-driver domain.
export const RUN = Math.random().toString(36).slice(2, 8);
export const PREFIX = `vst-ffi-${RUN}-`;

/** A minimal domain the test driver (and QEMU with type='qemu') accepts. */
export function tinyDomainXml(name: string, opts: { type?: string; memMiB?: number; vcpus?: number; extra?: string } = {}): string {
  return `<domain type='${opts.type ?? "test"}'>
  <name>${name}</name>
  <memory unit='MiB'>${opts.memMiB ?? 64}</memory>
  <vcpu>${opts.vcpus ?? 1}</vcpu>
  <os><type arch='x86_64'>hvm</type></os>
  ${opts.extra ?? ""}
</domain>`;
}

export const jsonBig = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));

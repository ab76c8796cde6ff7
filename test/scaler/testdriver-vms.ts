// A VmOps over libvirt's test driver (test:///default): real libvirt calls
// (define with our <metadata>, start, destroy, managed save, undefine, list)
// through the ffi binding; the "guest service" of each VM is a real UDP guest
// server (src/guest/serve.ts) on 127.0.0.1, started when libvirt starts the domain and
// closed when libvirt stops it. The serving check is injectable: `neverServe`
// names VMs whose server never comes up.
import { Connection, DomainMetadataType, DomainModificationImpact, DomainUndefineFlags, domainStateName } from "../../ffi/index.ts";
import { startServer, type GuestServer } from "../../src/guest/serve.ts";
import { waitServing } from "../../src/vm/ready.ts";
import type { ManagedVmLike, VmOps } from "../../src/scaler/ports.ts";

export const NS = "https://virtscale.dev/xmlns/vm/1";
const SCALE = 1;

export function domainXml(name: string, opts: { vcpus?: number; group?: string; role?: string; port?: number } = {}): string {
  const meta =
    opts.group !== undefined
      ? `<metadata><virtscale:vm xmlns:virtscale="${NS}" group="${opts.group}" role="${opts.role ?? "serving"}" port="${opts.port ?? 0}" template="test"/></metadata>`
      : "";
  return `<domain type="test"><name>${name}</name><memory unit="MiB">64</memory><vcpu>${opts.vcpus ?? 1}</vcpu>${meta}<os><type>hvm</type></os></domain>`;
}

export class TestDriverVms implements VmOps {
  readonly conn: Connection;
  private servers = new Map<string, GuestServer>();
  private ports = new Map<string, number>();
  readonly neverServe = new Set<string>();
  /** VMs whose serving check hangs (a slow boot) until it times out or its signal fires. */
  readonly stall = new Set<string>();
  /** Stand-ins for QEMU processes (a test spawns one and names it here): what pidOf reports. */
  readonly pids = new Map<string, number>();
  readonly calls: string[] = [];

  constructor(
    readonly group: string,
    readonly opts: { vcpus?: number } = {},
  ) {
    this.conn = Connection.open("test:///default");
  }

  async create(o: { name?: string; role?: string } = {}): Promise<ManagedVmLike> {
    const name = o.name!;
    this.calls.push(`create ${name}`);
    const d = this.conn.defineXML(domainXml(name, { vcpus: this.opts.vcpus, group: this.group, role: o.role }));
    try {
      d.create();
    } finally {
      d.free();
    }
    await this.serve(name);
    return { name, group: this.group, role: o.role, state: "running", address: this.addressOf(name) };
  }

  async waitServing(name: string, timeoutMs = 5000, opts: { signal?: AbortSignal } = {}): Promise<number> {
    if (this.stall.has(name)) {
      const signal = opts.signal;
      return new Promise<never>((_, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const t = setTimeout(() => reject(new Error(`${name}: no answer within ${timeoutMs} ms (stalled)`)), timeoutMs);
        signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
      });
    }
    const addr = this.addressOf(name);
    if (!addr || this.neverServe.has(name)) {
      await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 300)));
      throw new Error(`${name}: no answer within ${timeoutMs} ms`);
    }
    // The same readiness check VmManager uses: a correct protocol answer.
    return waitServing(addr, { scale: SCALE, timeoutMs, signal: opts.signal });
  }

  /** Pause (the hot pool): the domain is paused in libvirt, and its guest server stops answering. */
  async suspend(name: string): Promise<void> {
    this.calls.push(`suspend ${name}`);
    using d = this.conn.lookupByName(name);
    d.suspend();
    await this.unserve(name);
  }

  async resume(name: string): Promise<void> {
    this.calls.push(`resume ${name}`);
    using d = this.conn.lookupByName(name);
    d.resume();
    await this.serve(name);
  }

  /** The role attribute of our metadata element, rewritten as VmManager.setRole does. */
  setRole(name: string, role: string): void {
    this.calls.push(`setRole ${name} ${role}`);
    using d = this.conn.lookupByName(name);
    const meta = d.getMetadata(DomainMetadataType.ELEMENT, NS);
    if (!meta) throw new Error(`domain '${name}' has no virtscale metadata`);
    const group = /group="([^"]*)"/.exec(meta)?.[1] ?? this.group;
    let flags = DomainModificationImpact.CONFIG;
    if (d.isActive()) flags |= DomainModificationImpact.LIVE;
    d.setMetadata(DomainMetadataType.ELEMENT, `<vm group="${group}" role="${role}" port="0" template="test"/>`, "virtscale", NS, flags);
  }

  async managedSave(name: string): Promise<void> {
    this.calls.push(`managedSave ${name}`);
    using d = this.conn.lookupByName(name);
    d.managedSave();
    await this.unserve(name);
  }

  async start(name: string): Promise<void> {
    this.calls.push(`start ${name}`);
    using d = this.conn.lookupByName(name);
    d.create();
    await this.serve(name);
  }

  async shutdown(name: string, _o?: { timeoutMs?: number }): Promise<void> {
    this.calls.push(`shutdown ${name}`);
    using d = this.conn.lookupByName(name);
    if (d.isActive()) d.destroy();
    await this.unserve(name);
  }

  async destroy(name: string): Promise<void> {
    this.calls.push(`destroy ${name}`);
    using d = this.conn.lookupByName(name);
    if (d.isActive()) d.destroy();
    d.undefine(DomainUndefineFlags.MANAGED_SAVE);
    await this.unserve(name);
    this.ports.delete(name);
  }

  listOwned(): ManagedVmLike[] {
    const out: ManagedVmLike[] = [];
    for (const d of this.conn.listAllDomains()) {
      try {
        const meta = d.getMetadata(DomainMetadataType.ELEMENT, NS);
        if (!meta) continue;
        const group = /group="([^"]*)"/.exec(meta)?.[1];
        const role = /role="([^"]*)"/.exec(meta)?.[1];
        const name = d.name();
        const state = d.isActive() ? (domainStateName(d.state().state) === "paused" ? "paused" : "running") : "shutoff";
        out.push({ name, group, role, state, address: this.addressOf(name) });
      } finally {
        d.free();
      }
    }
    return out;
  }

  /** The group's listing (VmManager reads it on its worker; here the same test-driver state, on this thread). */
  async listOwnedAsync(): Promise<ManagedVmLike[]> {
    return this.listOwned();
  }

  pidOf(name: string): number | null {
    return this.pids.get(name) ?? null;
  }

  addressOf(name: string): { host: string; port: number } | null {
    const port = this.ports.get(name);
    return port ? { host: "127.0.0.1", port } : null;
  }

  /** The guest server of a VM (to stop answering without libvirt noticing, say). */
  server(name: string): GuestServer | undefined {
    return this.servers.get(name);
  }

  /** Bring up the guest service of a domain started behind our back (a predefined one, say). */
  async serve(name: string): Promise<void> {
    if (this.servers.has(name)) return;
    const s = await startServer({ host: "127.0.0.1", port: this.ports.get(name) ?? 0, scale: SCALE });
    this.servers.set(name, s);
    this.ports.set(name, s.address.port);
  }

  async unserve(name: string): Promise<void> {
    const s = this.servers.get(name);
    this.servers.delete(name);
    await s?.close();
  }

  /** Remove every domain of this test's prefix, whatever state it is in. */
  async cleanup(prefix: string): Promise<void> {
    for (const d of this.conn.listAllDomains()) {
      try {
        const name = d.name();
        if (!name.startsWith(prefix)) continue;
        if (d.isActive()) d.destroy();
        if (d.isPersistent()) d.undefine(DomainUndefineFlags.MANAGED_SAVE);
      } catch {
        /* best effort */
      } finally {
        d.free();
      }
    }
    for (const name of [...this.servers.keys()]) await this.unserve(name);
  }

  close(): void {
    this.conn.close();
  }
}

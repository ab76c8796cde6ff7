// VmManager: server VMs from the guest image, through libvirt. Quick calls
// (lookups, metadata, XML) use a Connection on the caller's thread, kept by
// ffi's ConnectionKeeper (reopened after a libvirtd restart, the call run again);
// everything that can take long (start, save, restore, managed save, destroy,
// shutdown) and the scaler's periodic listing (listOwnedAsync) go through
// ffi's AsyncConnection (a worker thread), so the balancer and the dashboard
// never stall behind libvirt.
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { AsyncConnection, Connection, ConnectionKeeper, DomainInterfaceAddressesSource, type DomainListing, DomainModificationImpact, DomainSnapshotCreateFlags, DomainMetadataType, DomainUndefineFlags, DomainXMLFlags, ErrorNumber, LibvirtError, domainStateName, type Domain } from "../../ffi/index.ts";
import { guestAddress, usableAddress } from "./address.ts";
import type { Config } from "../config.ts";
import { chooseAccel, type AccelChoice } from "./accel.ts";
import type { GuestImage } from "../guest/image.ts";
import { METADATA_NS, METADATA_PREFIX, parseMetadataXml, xmlBuilder, type VmMetadata } from "./metadata.ts";
import { defaultSnapshotDir, resolveInside } from "./paths.ts";
import { allocatePort, nextName } from "./ports.ts";
import { waitServing as probeServing } from "./ready.ts";
import { serviceCheckOf } from "../protocol/service.ts";
import { writeAtomically } from "./save-files.ts";
import { buildDomainXml, parseDomainXml, randomMac, withCpuShares, type NetworkSpec } from "./xml.ts";
import { createOverlays, isCloneOf, readTemplate, removeOverlays, templateId, type Overlay, type Template } from "./template.ts";
import { cloneDomainXml, overlaysInXml } from "./clone-xml.ts";

export interface ManagedVm {
  name: string;
  uuid: string;
  group: string;
  role: string;
  /** Service port: the host's forward port (user networking) or the guest's port (network mode). */
  port: number;
  /** Where the service answers; host 0.0.0.0 with port 0 when not known yet (network mode before DHCP). */
  address: { host: string; port: number };
  /** libvirt state name, or "saved" for a shut-off domain with a managed-save image. */
  state: string;
  /** The image id the VM boots (from its metadata); "domain:NAME" for a linked clone of template NAME. */
  template?: string;
  /** create() of a linked clone (src/vm/template.ts): its template and the overlays made for it, and how. */
  clone?: { template: string; overlays: Overlay[] };
}

export interface VmManagerOptions {
  uri: string;
  config: Config;
  /** Needed by create() only: snapshot/restore/list work without an image. */
  image?: GuestImage | null;
  /** Group name put into each VM's metadata (default: auto_scaler_domain_prefix). */
  group?: string;
  /** Where snapshots live (default: config vm.snapshot_dir, else defaultSnapshotDir()). */
  snapshotDir?: string;
  /** New VMs are linked clones of this shut-off domain (default: config scaler.template); no image is needed then. */
  template?: string | null;
}

// No NVRAM flag: these guests boot a kernel directly (no UEFI vars), and the test driver refuses it.
const UNDEFINE_ALL = DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA;

/**
 * Where a guest's address on a libvirt network comes from, in this order:
 * the network's DHCP lease (libvirt's own dnsmasq: NAT and routed networks),
 * the host's ARP table (a bridged network whose DHCP server libvirt does not
 * run), the guest agent (where the guest runs one; ours answer "not configured" at once).
 */
const ADDRESS_SOURCES = [DomainInterfaceAddressesSource.LEASE, DomainInterfaceAddressesSource.ARP, DomainInterfaceAddressesSource.AGENT];

const isLibvirt = (e: unknown, code: number) => e instanceof LibvirtError && e.code === code;
/** The domain is gone or not in a state for the call (already stopped, say): nothing left to do. */
const isGone = (e: unknown) => isLibvirt(e, ErrorNumber.NO_DOMAIN) || isLibvirt(e, ErrorNumber.OPERATION_INVALID);
/** A catch handler for calls whose goal a gone domain already meets. */
const ignoreGone = (e: unknown): void => {
  if (!isGone(e)) throw e;
};

export class VmManager {
  readonly uri: string;
  readonly config: Config;
  readonly image: GuestImage | null;
  readonly group: string;
  readonly snapshotDir: string;
  /** The user's template domain new VMs are cloned from, or null (they boot the guest image). */
  readonly templateName: string | null;
  #keeper?: ConnectionKeeper;
  #async?: Promise<AsyncConnection>;
  #asyncOpen?: AsyncConnection;
  #accel?: AccelChoice;
  /** Ports handed out by this manager whose domains may not be defined yet. */
  #reserved = new Set<number>();
  /** Names being created right now (two creates in a row must not pick the same name). */
  #creating = new Set<string>();
  #known = new Map<string, ManagedVm>();
  #closed = false;

  constructor(opts: VmManagerOptions) {
    this.uri = opts.uri;
    this.config = opts.config;
    this.image = opts.image ?? null;
    this.group = opts.group ?? opts.config.auto_scaler_domain_prefix;
    this.snapshotDir = opts.snapshotDir ?? opts.config.vm.snapshot_dir ?? defaultSnapshotDir();
    this.templateName = opts.template !== undefined ? opts.template : (opts.config.scaler.template ?? null);
  }

  // ---------- connections ----------

  /** The caller-thread connection for quick calls (opened on first use, reopened when lost). */
  get conn(): Connection {
    return this.#quickKeeper().get();
  }

  #quickKeeper(): ConnectionKeeper {
    if (this.#closed) throw new Error("VmManager is closed");
    this.#keeper ??= new ConnectionKeeper(this.uri);
    return this.#keeper;
  }

  /**
   * fn on the caller-thread connection. These are reads (and idempotent
   * checks): when libvirt turns out gone (libvirtd restarted: "Broken pipe"),
   * the connection is reopened and fn runs again, so a restart is not seen.
   */
  #quick<T>(fn: (c: Connection) => T): T {
    return this.#quickKeeper().run(fn, "always");
  }

  #slow(): Promise<AsyncConnection> {
    if (this.#closed) return Promise.reject(new Error("VmManager is closed"));
    // The worker reopens its libvirt connection by itself; only a worker that died is replaced.
    if (this.#asyncOpen && !this.#asyncOpen.usable) this.#async = this.#asyncOpen = undefined;
    if (!this.#async) {
      const opening = AsyncConnection.open(this.uri);
      this.#async = opening;
      opening.then(
        (c) => (this.#asyncOpen = c),
        () => {
          if (this.#async === opening) this.#async = undefined;
        },
      );
    }
    return this.#async;
  }

  /** KVM or TCG (detected once from libvirt's capabilities, config vm.accel overrides). */
  accel(): AccelChoice {
    this.#accel ??= chooseAccel(this.conn.capabilities(), this.config.vm.accel);
    return this.#accel;
  }

  get scale(): number {
    return this.config.vm.work_scale;
  }

  #with<T>(name: string, fn: (d: Domain) => T): T {
    return this.#quick((c) => {
      const d = c.lookupByName(name);
      try {
        return fn(d);
      } finally {
        d.free();
      }
    });
  }

  // ---------- reading ----------

  #describe(d: Domain, meta: VmMetadata): ManagedVm {
    const name = d.name();
    const { state } = d.state();
    let stateName = domainStateName(state);
    if (stateName === "shutoff") {
      try {
        if (d.hasManagedSaveImage()) stateName = "saved";
      } catch {
        /* not supported by this driver */
      }
    }
    const vm: ManagedVm = {
      name,
      uuid: d.uuidString(),
      group: meta.group,
      role: meta.role,
      port: meta.port,
      address: this.#addressFor(d, meta) ?? { host: "0.0.0.0", port: 0 },
      state: stateName,
      template: meta.template,
    };
    this.#known.set(name, vm);
    return vm;
  }

  #metadataOf(d: Domain): VmMetadata | null {
    try {
      return parseMetadataXml(d.getMetadata(DomainMetadataType.ELEMENT, METADATA_NS));
    } catch (e) {
      if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) return null;
      throw e;
    }
  }

  /** Every domain that carries virtscale's metadata (any group), for adoption after a restart. */
  listOwned(): ManagedVm[] {
    return this.#quick((c) => {
      const out: ManagedVm[] = [];
      for (const d of c.listAllDomains()) {
        try {
          const meta = this.#metadataOf(d);
          if (meta) out.push(this.#describe(d, meta));
        } catch (e) {
          // A domain that vanished between listing and reading is simply not there any more.
          if (!isLibvirt(e, ErrorNumber.NO_DOMAIN)) throw e;
        } finally {
          d.free();
        }
      }
      return out;
    });
  }

  /**
   * listOwned read on the worker connection (one listDomains call there): what
   * the scaler lists with every few seconds, so the balancer's thread never
   * waits for libvirt, and a libvirt that is gone fails this promise only.
   */
  async listOwnedAsync(): Promise<ManagedVm[]> {
    const network = this.config.vm.network !== "user";
    const rows = await (await this.#slow()).listDomains({
      metadataUri: METADATA_NS,
      requireMetadata: true,
      managedSave: true,
      // Network mode: the XML says whether the VM was made with a loopback forward anyway; the guest's address otherwise.
      xml: network,
      addresses: network ? ADDRESS_SOURCES : undefined,
    });
    const out: ManagedVm[] = [];
    for (const r of rows) {
      const meta = parseMetadataXml(r.metadata ?? null);
      if (meta) out.push(this.#describeListing(r, meta));
    }
    return out;
  }

  /** #describe for a row of the worker's listing. */
  #describeListing(r: DomainListing, meta: VmMetadata): ManagedVm {
    let state = domainStateName(r.state);
    if (state === "shutoff" && r.managedSave) state = "saved";
    const known = this.#known.get(r.name);
    const user =
      this.config.vm.network === "user" || (known ? known.address.host.startsWith("127.") : r.xml !== undefined && parseDomainXml(r.xml).network?.mode === "user");
    const address = user ? { host: "127.0.0.1", port: meta.port } : (guestAddress(r.addresses, meta.port) ?? { host: "0.0.0.0", port: 0 });
    const vm: ManagedVm = { name: r.name, uuid: r.uuid, group: meta.group, role: meta.role, port: meta.port, address, state, template: meta.template };
    this.#known.set(r.name, vm);
    return vm;
  }

  /** One owned VM by name (throws when it does not exist or is not virtscale's). */
  get(name: string): ManagedVm {
    return this.#with(name, (d) => {
      const meta = this.#metadataOf(d);
      if (!meta) throw new Error(`domain '${name}' is not managed by virtscale (no ${METADATA_NS} metadata)`);
      return this.#describe(d, meta);
    });
  }

  #addressFor(d: Domain, meta: VmMetadata): { host: string; port: number } | null {
    if (this.config.vm.network === "user" || this.#userForward(d)) return { host: "127.0.0.1", port: meta.port };
    return this.#guestAddressOf(d, meta.port);
  }

  /** A running guest's IPv4 address on its libvirt network (lease, then ARP, then agent), with `port`; null before it has one. */
  #guestAddressOf(d: Domain, port: number): { host: string; port: number } | null {
    if (!d.isActive()) return null;
    for (const source of ADDRESS_SOURCES) {
      try {
        const found = guestAddress(d.interfaceAddresses(source), port);
        if (found) return found;
      } catch (e) {
        if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) throw e;
        /* this source is not available here (no agent, no ARP entry yet), or the domain just stopped: try the next */
      }
    }
    return null;
  }

  /** Whether the domain's XML has our loopback forward (the mode it was made in wins over today's config). */
  #userForward(d: Domain): boolean {
    const known = this.#known.get(d.name());
    if (known) return known.address.host.startsWith("127.");
    try {
      return parseDomainXml(d.xmlDesc()).network?.mode === "user";
    } catch {
      return false;
    }
  }

  /**
   * The service address of a VM, or null when unknown (no DHCP lease yet; not
   * ours and not on a network). Network mode: a domain without our metadata
   * (a predefined one) is reached at its guest address on config server_port.
   */
  addressOf(name: string): { host: string; port: number } | null {
    try {
      return this.#with(name, (d) => {
        const meta = this.#metadataOf(d);
        if (meta) return this.#addressFor(d, meta);
        return this.config.vm.network === "network" ? this.#guestAddressOf(d, this.config.server_port) : null;
      });
    } catch (e) {
      if (isGone(e)) return null;
      throw e;
    }
  }

  /**
   * addressOf read on the worker connection (one listing of the host's
   * domains): what the scaler and waitServing poll a guest's lease with, so a
   * slow or distant libvirt host never stalls the balancer's thread.
   */
  async addressOfAsync(name: string): Promise<{ host: string; port: number } | null> {
    const network = this.config.vm.network === "network";
    const known = this.#known.get(name);
    // A loopback forward needs no libvirt call: its port is in the metadata, which the VM keeps.
    if (known && known.address.host.startsWith("127.")) return known.address;
    const rows = await (await this.#slow()).listDomains({ metadataUri: METADATA_NS, xml: network && !known, addresses: network ? ADDRESS_SOURCES : undefined });
    const r = rows.find((x) => x.name === name);
    if (!r || !r.active) return null;
    const meta = parseMetadataXml(r.metadata ?? null);
    if (!meta) return network ? guestAddress(r.addresses, this.config.server_port) : null;
    const user = !network || (known ? false : r.xml !== undefined && parseDomainXml(r.xml).network?.mode === "user");
    if (user) return { host: "127.0.0.1", port: meta.port };
    const found = guestAddress(r.addresses, meta.port);
    if (found && known) known.address = found;
    return found;
  }

  /** The QEMU process of a running VM (qemu:///system keeps it in /run/libvirt/qemu/NAME.pid). */
  pidOf(name: string): number | null {
    // Only the local system daemon's pid files are these VMs' (another host, the session daemon or the test driver: none).
    if (!/^qemu(\+unix)?:\/\/\/system\b/.test(this.uri)) return null;
    const file = `/run/libvirt/qemu/${name}.pid`;
    try {
      const pid = Number(readFileSync(file, "utf8").trim());
      return Number.isInteger(pid) && pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  /** The serial console log of a VM (qemu:///system only), for diagnostics. */
  serialLogOf(name: string): string | undefined {
    return this.uri.startsWith("qemu:///system") ? `/var/log/libvirt/qemu/${name}-serial.log` : undefined;
  }

  // ---------- creating ----------

  /** The template new VMs are cloned from, read and checked (src/vm/template.ts readTemplate); throws when there is none or it cannot be used. */
  template(): Template {
    const name = this.templateName;
    if (!name) throw new Error("no template domain configured (up --template DOMAIN, config scaler.template)");
    const c = this.config;
    return this.#quick((conn) => readTemplate(conn, name, { group: this.group, prefix: c.auto_scaler_domain_prefix, digits: c.auto_scaler_vm_num_digits }));
  }

  /** A linked clone of the template: its overlays (made now) and its domain XML. */
  async #clone(ac: AsyncConnection, o: { name: string; uuid: string; mac: string; role: string; port: number; kernel?: string; cpuShares?: number }): Promise<{ template: string; xml: string; overlays: Overlay[] }> {
    // Read at every clone: a template started meanwhile is refused now, not cloned mid-write.
    const tpl = this.template();
    const c = this.config;
    const overlays = await createOverlays(this.conn, ac, tpl, o.name);
    try {
      const network: NetworkSpec = c.vm.network === "user" ? { mode: "user", hostPort: o.port, guestPort: c.server_port } : { mode: "network", network: c.vm.network_name };
      const xml = cloneDomainXml(tpl.xml, {
        name: o.name,
        uuid: o.uuid,
        mac: o.mac,
        metadata: { group: this.group, role: o.role, port: o.port, template: templateId(tpl.name) },
        network,
        overlays: new Map(overlays.map((x) => [x.target, x.path])),
        serialLog: this.serialLogOf(o.name),
        cpuShares: o.cpuShares,
        kernel: o.kernel,
      });
      return { template: tpl.name, xml, overlays };
    } catch (e) {
      await removeOverlays(ac, overlays.map((x) => x.path)).catch(() => {});
      throw e;
    }
  }

  /** The domain XML a new VM would get (exported for tests and `--dry-run` style tools). */
  domainXml(opts: { name: string; uuid: string; mac: string; role: string; port: number; kernel?: string; cpuShares?: number }): string {
    const c = this.config;
    const image = this.image;
    if (!image) throw new Error("no guest image: run `virtscale image build` (VmManager was made without one)");
    const network: NetworkSpec =
      c.vm.network === "user"
        ? { mode: "user", hostPort: opts.port, guestPort: c.server_port }
        : { mode: "network", network: c.vm.network_name };
    return buildDomainXml({
      name: opts.name,
      uuid: opts.uuid,
      mac: opts.mac,
      type: this.accel().type,
      memoryMiB: c.vm.memory_mib,
      vcpus: c.vm.vcpus,
      kernel: opts.kernel ?? image.kernel,
      initrd: image.initrd,
      cmdline: `${image.cmdline} virtscale.port=${c.server_port} virtscale.scale=${this.scale}`,
      network,
      metadata: { group: this.group, role: opts.role, port: opts.port, template: image.id },
      serialLog: this.serialLogOf(opts.name),
      cpuShares: opts.cpuShares,
    });
  }

  /**
   * Define + start a VM from the template; returns once libvirt started it (not yet serving).
   * `kernel` boots another kernel (the API's /create kernel_path, already confined to vm.kernel_dir) with the image's initrd.
   */
  async create(opts: { name?: string; role?: string; kernel?: string; cpuShares?: number } = {}): Promise<ManagedVm> {
    // Names and ports in use, read on the worker: a listing on this thread waits for every domain libvirt
    // holds (a dying one, while libvirt cleans it up: 1.2 s here), and this thread runs the balancer.
    const listed = await (await this.#slow()).listDomains({ metadataUri: METADATA_NS });
    // After the await: the names other creates claimed meanwhile are in #creating by now.
    const taken = new Set<string>(this.#creating);
    const usedPorts = new Set<number>(this.#reserved);
    for (const r of listed) {
      taken.add(r.name);
      const meta = parseMetadataXml(r.metadata ?? null);
      if (meta) usedPorts.add(meta.port);
    }
    const c = this.config;
    const name = opts.name ?? nextName(c.auto_scaler_domain_prefix, c.auto_scaler_vm_num_digits, taken);
    if (taken.has(name)) throw new Error(`a domain named '${name}' already exists`);
    // Claimed before the first await: concurrent creates on this manager must not pick the same name or port.
    this.#creating.add(name);
    const role = opts.role ?? "serving";
    const uuid = crypto.randomUUID();
    let port = 0;
    try {
      port = c.vm.network === "user" ? await this.#claimPort(usedPorts) : c.server_port;
      const spec = { name, uuid, mac: randomMac(), role, port, kernel: opts.kernel, cpuShares: opts.cpuShares };
      const ac = await this.#slow();
      // A linked clone: its overlays first (removed again below when the define or the start fails).
      const clone = this.templateName ? await this.#clone(ac, spec) : null;
      try {
        await ac.defineXML(clone ? clone.xml : this.domainXml(spec));
        try {
          await ac.start(name);
        } catch (e) {
          await ac.undefine(name, UNDEFINE_ALL).catch(() => {});
          this.#removeLogs(name);
          throw e;
        }
      } catch (e) {
        if (clone) await removeOverlays(ac, clone.overlays.map((o) => o.path)).catch(() => {});
        throw e;
      }
      const vm: ManagedVm = {
        name,
        uuid,
        group: this.group,
        role,
        port,
        address: c.vm.network === "user" ? { host: "127.0.0.1", port } : { host: "0.0.0.0", port: 0 },
        state: "running",
        template: clone ? templateId(clone.template) : this.image?.id,
        ...(clone ? { clone: { template: clone.template, overlays: clone.overlays } } : {}),
      };
      this.#known.set(name, vm);
      return vm;
    } finally {
      this.#creating.delete(name);
      if (c.vm.network === "user") this.#reserved.delete(port);
    }
  }

  #portLock: Promise<unknown> = Promise.resolve();
  /** Allocate and reserve a host port, one allocation at a time (the bind test is async). */
  #claimPort(used: ReadonlySet<number>): Promise<number> {
    const run = this.#portLock.then(async () => {
      const port = await allocatePort(this.config.vm.port_base, new Set([...used, ...this.#reserved]));
      this.#reserved.add(port);
      return port;
    });
    this.#portLock = run.catch(() => {});
    return run;
  }

  /**
   * Resolves with ms until the VM's first correct protocol answer (probing
   * every ~150 ms). `signal`: the caller gave up (the scaler retired the VM
   * it launches): the wait ends at once with the signal's reason, before any
   * "no such domain" the retire would cause.
   */
  async waitServing(name: string, timeoutMs = this.config.vm.boot_timeout_s * 1000, opts: { signal?: AbortSignal } = {}): Promise<number> {
    const t0 = performance.now();
    const caller = opts.signal;
    const given = () => {
      if (caller?.aborted) throw caller.reason;
    };
    given();
    this.#assertRunning(name);
    // Network mode: the address appears once the guest has its DHCP lease, read on the worker (a listing per try).
    const network = this.config.vm.network === "network";
    const read = () => (network ? this.addressOfAsync(name) : Promise.resolve(this.addressOf(name)));
    let addr = usableAddress(await read());
    while (!addr) {
      if (performance.now() - t0 > timeoutMs) throw new Error(`${name}: no address from libvirt (DHCP lease, ARP or guest agent) within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 250));
      given();
      this.#assertRunning(name);
      addr = usableAddress(await read());
    }
    const left = Math.max(1, timeoutMs - (performance.now() - t0));
    // A guest that dies while we probe (crash, panic -> destroy) fails the wait at once, not at the timeout.
    const stop = new AbortController();
    const watch = setInterval(() => {
      if (caller?.aborted) return;
      try {
        this.#assertRunning(name);
      } catch (e) {
        stop.abort(e);
      }
    }, 1000);
    const onCaller = () => stop.abort(caller!.reason);
    caller?.addEventListener("abort", onCaller, { once: true });
    try {
      await probeServing(addr, { scale: this.scale, check: serviceCheckOf(this.config), timeoutMs: left, signal: stop.signal, onTimeout: () => this.#consoleTail(name) });
    } catch (e) {
      given();
      if (stop.signal.aborted) throw stop.signal.reason;
      throw e;
    } finally {
      clearInterval(watch);
      caller?.removeEventListener("abort", onCaller);
    }
    return Math.round(performance.now() - t0);
  }

  /** Throws when the domain does not exist or is not running or paused (no point in probing it). */
  #assertRunning(name: string): void {
    let state: string;
    try {
      state = this.#with(name, (d) => domainStateName(d.state().state));
    } catch (e) {
      if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) throw new Error(`${name}: no such domain`);
      throw e;
    }
    if (state !== "running" && state !== "paused" && state !== "blocked") {
      const tail = this.#consoleTail(name);
      throw new Error(`${name} is ${state}, not running${tail ? `\n${tail}` : ""}`);
    }
  }

  #consoleTail(name: string): string {
    const log = this.serialLogOf(name);
    if (!log || !existsSync(log)) return "";
    try {
      const lines = readFileSync(log, "utf8").split("\n").filter((l) => l.trim());
      return `${name} serial console (last lines of ${log}):\n  ${lines.slice(-8).join("\n  ")}`;
    } catch {
      return "";
    }
  }

  // ---------- snapshots ----------

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
  async save(
    name: string,
    path: string,
    opts: { resume: boolean },
  ): Promise<{ path: string; bytes: number; ms: number; method: "save" | "snapshot" | "save+restore"; fallback?: string }> {
    const target = resolveInside(this.snapshotDir, path);
    const t0 = performance.now();
    const ac = await this.#slow();
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
    const known = this.#known.get(name);
    if (known) known.state = opts.resume ? "running" : "shutoff";
    return { path: target, bytes: statSync(target).size, ms, method: how.method, ...(how.fallback !== undefined ? { fallback: how.fallback } : {}) };
  }

  /** Restore a VM from a save file (inside the snapshot directory); it keeps its name and UUID. */
  async restore(path: string): Promise<ManagedVm> {
    const target = resolveInside(this.snapshotDir, path);
    if (!existsSync(target)) throw new Error(`no snapshot file '${path}' in ${this.snapshotDir}`);
    const saved = parseDomainXml(this.conn.saveImageGetXMLDesc(target));
    const ac = await this.#slow();
    await ac.restore(target);
    try {
      return this.get(saved.name);
    } catch {
      // Not ours (a save file of some other domain): still report what came back.
      const meta = saved.metadata ?? { group: "", role: "", port: 0, template: "" };
      return { name: saved.name, uuid: saved.uuid, group: meta.group, role: meta.role, port: meta.port, address: { host: "127.0.0.1", port: meta.port }, state: "running" };
    }
  }

  /** Managed save (the warm pool): the domain stops; start() resumes the booted server. */
  async managedSave(name: string): Promise<void> {
    await (await this.#slow()).managedSave(name);
    const known = this.#known.get(name);
    if (known) known.state = "saved";
  }

  /** A running VM's cgroup CPU weight (libvirt's cpu_shares scheduler parameter, on the worker); libvirt's error when the host has no cgroup CPU controller. */
  async cpuShares(name: string): Promise<number> {
    const p = await (await this.#slow()).domainGetSchedulerParameters(name, DomainModificationImpact.LIVE);
    const v = p.cpu_shares;
    if (typeof v !== "number" && typeof v !== "bigint") throw new Error(`${name}: libvirt reports no cpu_shares scheduler parameter`);
    return Number(v);
  }

  /** Set a running VM's CPU weight (virDomainSetSchedulerParameters cpu_shares, live only: the definition keeps the weight it was made with). */
  async setCpuShares(name: string, shares: number): Promise<void> {
    await (await this.#slow()).domainSetSchedulerParameters(name, [{ field: "cpu_shares", type: "ullong", value: shares }], DomainModificationImpact.LIVE);
  }

  /**
   * Set the CPU weight a managed-saved VM resumes with (the image's XML,
   * virDomainManagedSaveDefineXML): a pool VM is booted and saved at low
   * weight, and must not restore at it when a scale-out takes it. False when
   * the image has no <cputune><shares> to set (made without a weight).
   */
  async setSavedCpuShares(name: string, shares: number): Promise<boolean> {
    const ac = await this.#slow();
    const xml = withCpuShares(await ac.managedSaveGetXMLDesc(name), shares);
    if (xml === null) return false;
    await ac.managedSaveDefineXML(name, xml);
    return true;
  }

  /** Start a defined VM (resumes its managed-save image when it has one). */
  async start(name: string): Promise<void> {
    await (await this.#slow()).start(name);
    const known = this.#known.get(name);
    if (known) known.state = "running";
  }

  /** Pause a running VM (virDomainSuspend, the hot pool): its vCPUs stop, its memory stays; resume() continues it where it was. */
  async suspend(name: string): Promise<void> {
    await (await this.#slow()).suspend(name);
    const known = this.#known.get(name);
    if (known) known.state = "paused";
  }

  /** Continue a paused VM (virDomainResume). */
  async resume(name: string): Promise<void> {
    await (await this.#slow()).resume(name);
    const known = this.#known.get(name);
    if (known) known.state = "running";
  }

  /**
   * Change the role in a VM's ownership metadata (live and persistent
   * definition; a managed save keeps the live one): a paused pool VM says
   * "hot", so a restarted virtscale adopts it into the hot pool; a restored
   * VM that joins the group says "serving"; one left alone says "api".
   */
  setRole(name: string, role: string): void {
    this.#with(name, (d) => {
      const meta = this.#metadataOf(d);
      if (!meta) throw new Error(`domain '${name}' is not managed by virtscale (no ${METADATA_NS} metadata)`);
      if (meta.role === role) return;
      let flags = 0;
      if (d.isActive()) flags |= DomainModificationImpact.LIVE;
      if (d.isPersistent()) flags |= DomainModificationImpact.CONFIG;
      // Without prefix or namespace declaration: libvirt adds both from the key and the URI.
      const el = { vm: { "@_group": meta.group, "@_role": role, "@_port": String(meta.port), "@_template": meta.template } };
      d.setMetadata(DomainMetadataType.ELEMENT, xmlBuilder.build(el).trim(), METADATA_PREFIX, METADATA_NS, flags);
    });
    const known = this.#known.get(name);
    if (known) known.role = role;
  }

  // ---------- stopping ----------

  /**
   * Whether the domain runs, asked on the worker: at the end of a save or a
   * shutdown libvirt holds the domain while its QEMU stops (1.1-1.8 s seen
   * here), and a caller-thread virDomainIsActive would stall the balancer that long.
   */
  async #activeNow(ac: AsyncConnection, name: string): Promise<boolean> {
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
  async shutdown(name: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 5000;
    const ac = await this.#slow();
    if (!(await this.#activeNow(ac, name))) return;
    try {
      await ac.shutdown(name);
    } catch (e) {
      if (isGone(e)) return;
      throw e;
    }
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (!(await this.#activeNow(ac, name))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    await ac.destroy(name).catch(ignoreGone);
    const known = this.#known.get(name);
    if (known) known.state = "shutoff";
  }

  /** destroy + undefine (with its managed-save image and snapshot metadata), and its log files; a linked clone's overlays too. */
  async destroy(name: string): Promise<void> {
    const ac = await this.#slow();
    // Read before the undefine, which takes the definition that names them with it.
    const clone = this.#cloneDisks(name);
    if (await this.#activeNow(ac, name)) await ac.destroy(name).catch(ignoreGone);
    await ac.undefine(name, clone?.nvram ? UNDEFINE_ALL | DomainUndefineFlags.NVRAM : UNDEFINE_ALL).catch(ignoreGone);
    this.#known.delete(name);
    this.#removeLogs(name);
    if (clone?.overlays.length) await removeOverlays(ac, clone.overlays);
  }

  /** A linked clone's overlay files (and whether libvirt made it an NVRAM file), from its definition; null for any other domain. */
  #cloneDisks(name: string): { overlays: string[]; nvram: boolean } | null {
    try {
      return this.#with(name, (d) => {
        if (!isCloneOf(this.#metadataOf(d)?.template)) return null;
        const xml = d.xmlDesc(DomainXMLFlags.INACTIVE);
        return { overlays: overlaysInXml(xml, name), nvram: /<nvram[\s>]/.test(xml) };
      });
    } catch (e) {
      if (isLibvirt(e, ErrorNumber.NO_DOMAIN)) return null;
      throw e;
    }
  }

  #removeLogs(name: string): void {
    const serial = this.serialLogOf(name);
    if (!serial) return;
    for (const f of [serial, `/var/log/libvirt/qemu/${name}.log`]) rmSync(f, { force: true });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const a = this.#async;
    this.#async = undefined;
    if (a) await a.then((c) => c.close()).catch(() => {});
    this.#keeper?.close();
    this.#keeper = undefined;
  }
}


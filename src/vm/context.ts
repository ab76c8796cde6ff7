// What VmManager's parts (listing, addresses, create, lifecycle, saves,
// waitServing: one file each in src/vm/) share: the settings, the two libvirt
// connections and what the manager last knew of each VM. Quick calls (lookups,
// metadata, XML) use a Connection on the caller's thread, kept by ffi's
// ConnectionKeeper (reopened after a libvirtd restart, the call run again);
// everything that can take long (start, save, restore, managed save, destroy,
// shutdown) and the scaler's periodic listing go through ffi's AsyncConnection
// (a worker thread), so the balancer and the dashboard never stall behind libvirt.
import { AsyncConnection, Connection, ConnectionKeeper, KEEPALIVE, DomainUndefineFlags, ErrorNumber, LibvirtError, type Domain } from "../../ffi/index.ts";
import type { Config } from "../config.ts";
import { chooseAccel, type AccelChoice } from "./accel.ts";
import type { GuestImage } from "../guest/image.ts";
import { defaultSnapshotDir } from "./paths.ts";
import type { Overlay } from "./template.ts";

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
export const UNDEFINE_ALL = DomainUndefineFlags.MANAGED_SAVE | DomainUndefineFlags.SNAPSHOTS_METADATA;

export const isLibvirt = (e: unknown, code: number) => e instanceof LibvirtError && e.code === code;
/** The domain is gone or not in a state for the call (already stopped, say): nothing left to do. */
export const isGone = (e: unknown) => isLibvirt(e, ErrorNumber.NO_DOMAIN) || isLibvirt(e, ErrorNumber.OPERATION_INVALID);
/** A catch handler for calls whose goal a gone domain already meets. */
export const ignoreGone = (e: unknown): void => {
  if (!isGone(e)) throw e;
};

export class VmContext {
  readonly uri: string;
  readonly config: Config;
  readonly image: GuestImage | null;
  readonly group: string;
  readonly snapshotDir: string;
  /** The user's template domain new VMs are cloned from, or null (they boot the guest image). */
  readonly templateName: string | null;
  /** What was last read or done per VM: its address mode and state without another libvirt call. */
  readonly known = new Map<string, ManagedVm>();
  /** Ports handed out whose domains may not be defined yet. */
  readonly reserved = new Set<number>();
  /** Names being created right now (two creates in a row must not pick the same name). */
  readonly creating = new Set<string>();
  /** Port allocations run one at a time (the bind test is async): the tail of that queue. */
  portLock: Promise<unknown> = Promise.resolve();
  #keeper?: ConnectionKeeper;
  #async?: Promise<AsyncConnection>;
  #asyncOpen?: AsyncConnection;
  #accel?: AccelChoice;
  #closed = false;

  constructor(opts: VmManagerOptions) {
    this.uri = opts.uri;
    this.config = opts.config;
    this.image = opts.image ?? null;
    this.group = opts.group ?? opts.config.auto_scaler_domain_prefix;
    this.snapshotDir = opts.snapshotDir ?? opts.config.vm.snapshot_dir ?? defaultSnapshotDir();
    this.templateName = opts.template !== undefined ? opts.template : (opts.config.scaler.template ?? null);
  }

  /** The caller-thread connection for quick calls (opened on first use, reopened when lost). */
  get conn(): Connection {
    return this.#quickKeeper().get();
  }

  #quickKeeper(): ConnectionKeeper {
    if (this.#closed) throw new Error("VmManager is closed");
    // Keepalive: these calls run on the caller's (the balancer's) thread; one to a host gone silent must end.
    this.#keeper ??= new ConnectionKeeper(this.uri, { keepAlive: KEEPALIVE });
    return this.#keeper;
  }

  /**
   * fn on the caller-thread connection. These are reads (and idempotent
   * checks): when libvirt turns out gone (libvirtd restarted: "Broken pipe"),
   * the connection is reopened and fn runs again, so a restart is not seen.
   */
  quick<T>(fn: (c: Connection) => T): T {
    return this.#quickKeeper().run(fn, "always");
  }

  /** The worker connection for calls that can take long (opened on first use). */
  slow(): Promise<AsyncConnection> {
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

  /** fn on the named domain, looked up on the caller-thread connection (freed after). */
  with<T>(name: string, fn: (d: Domain) => T): T {
    return this.quick((c) => {
      const d = c.lookupByName(name);
      try {
        return fn(d);
      } finally {
        d.free();
      }
    });
  }

  /** KVM or TCG (detected once from libvirt's capabilities, config vm.accel overrides). */
  accel(): AccelChoice {
    this.#accel ??= chooseAccel(this.conn.capabilities(), this.config.vm.accel);
    return this.#accel;
  }

  get scale(): number {
    return this.config.vm.work_scale;
  }

  /** Sets a known VM's state after a call that changed it (no-op for one not seen yet). */
  setKnownState(name: string, state: string): void {
    const known = this.known.get(name);
    if (known) known.state = state;
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

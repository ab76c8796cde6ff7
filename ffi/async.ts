// AsyncConnection: libvirt calls that can take long (start, save, restore,
// shutdown, ...) or that run periodically (the bulk stats sample, the domain
// listing) run on a Worker thread with its own connection, so the caller's
// event loop (balancer, dashboard, HTTP) never blocks on libvirt. Domains
// cross the thread boundary by name or UUID string; errors come back as
// LibvirtError. The worker reopens its connection after a loss by itself
// (ffi/keeper.ts): one AsyncConnection lasts across libvirtd restarts.
import { LibvirtError } from "./errors.ts";
import type { AsyncOp, AsyncRequest, AsyncResponse } from "./async-protocol.ts";
import type { SaveOptions } from "./domain.ts";
import type { DomainStats } from "./stats.ts";
import type { DomainListing, ListDomainsOptions } from "./listing.ts";
import type { NodeInfo } from "./connection.ts";
import type { TypedParamIn } from "./node.ts";
import type { StatValue } from "./stats.ts";

/**
 * The worker module. From source (Bun or Deno) it sits next to this file. In a
 * `bun build --compile` executable it must be bundled as an extra entrypoint:
 *   bun build --compile src/main.ts ffi/worker.ts --outfile dist/virtscale
 * Bun then stores it under the entrypoints' common root (the project root), at
 * /$bunfs/root/ffi/worker.ts, while import.meta.url names the executable itself.
 */
export function workerUrl(): string {
  const here = import.meta.url;
  if (here.includes("/$bunfs/") || here.includes("/~BUN/")) return "/$bunfs/root/ffi/worker.ts";
  return new URL("./worker.ts", here).href;
}

export class AsyncConnection implements AsyncDisposable {
  #worker: Worker;
  #next = 1;
  #pending = new Map<number, { resolve: (v: any) => void; reject: (e: unknown) => void }>();
  #closed = false;
  /** The worker died: every later call fails with this at once instead of waiting for an answer that cannot come. */
  #failed: Error | null = null;
  #uri = "";

  #ready: Promise<void>;

  private constructor(worker: Worker) {
    this.#worker = worker;
    let ready!: () => void, failed!: (e: unknown) => void;
    this.#ready = new Promise<void>((res, rej) => ((ready = res), (failed = rej)));
    worker.onmessage = (ev: MessageEvent) => {
      if ((ev.data as { ready?: boolean })?.ready === true) ready();
      else this.#onMessage(ev.data as AsyncResponse);
    };
    worker.onerror = (ev: any) => {
      ev?.preventDefault?.();
      const err = new Error(`libvirt worker failed: ${ev?.message ?? ev}`);
      this.#failed = err;
      failed(err);
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
    };
  }

  get uri(): string {
    return this.#uri;
  }

  /** False once closed or once its worker died (open another). */
  get usable(): boolean {
    return !this.#closed && this.#failed === null;
  }

  /** Starts the worker and opens `uri` there (readOnly: virConnectOpenReadOnly); rejects with libvirt's error if it cannot. */
  static async open(uri: string, opts: { readOnly?: boolean } = {}): Promise<AsyncConnection> {
    const ac = new AsyncConnection(new Worker(workerUrl(), { type: "module" }));
    try {
      await ac.#ready;
      ac.#idle();
      ac.#uri = (await ac.#call("open", [uri, { readOnly: opts.readOnly ?? false }])) as string;
    } catch (e) {
      ac.#worker.terminate();
      ac.#closed = true;
      throw e;
    }
    return ac;
  }

  // The worker keeps the process alive only while a call is in flight.
  #idle(): void {
    (this.#worker as any).unref?.();
  }
  #busy(): void {
    (this.#worker as any).ref?.();
  }

  #onMessage(res: AsyncResponse): void {
    const p = this.#pending.get(res.id);
    if (!p) return;
    this.#pending.delete(res.id);
    if (this.#pending.size === 0) this.#idle();
    if (res.ok) p.resolve(res.value);
    else if ("libvirt" in res) p.reject(new LibvirtError(res.libvirt));
    else {
      const e = new Error(res.message);
      e.name = res.name;
      p.reject(e);
    }
  }

  #call(op: AsyncOp, args: unknown[]): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error(`AsyncConnection to '${this.#uri}' is closed`));
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    const req: AsyncRequest = { id, op, args };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#busy();
      this.#worker.postMessage(req);
    });
  }

  /** Closes the worker's connection, then ends the worker. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#call("close", []);
    } finally {
      this.#closed = true;
      this.#worker.terminate();
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** ffi/cpu.ts cpuStats on the worker: every domain's DomainStats, completed by virDomainGetInfo for `complete` (all when omitted). */
  cpuStats(flags = 0, complete?: readonly string[]): Promise<DomainStats[]> {
    return this.#call("cpuStats", [flags, complete ? [...complete] : null]) as Promise<DomainStats[]>;
  }
  /** ffi/listing.ts listDomains on the worker. */
  listDomains(opts: ListDomainsOptions = {}): Promise<DomainListing[]> {
    return this.#call("listDomains", [opts]) as Promise<DomainListing[]>;
  }

  defineXML(xml: string): Promise<{ name: string; uuid: string }> {
    return this.#call("defineXML", [xml]) as Promise<{ name: string; uuid: string }>;
  }
  createXML(xml: string, flags = 0): Promise<{ name: string; uuid: string; id: number }> {
    return this.#call("createXML", [xml, flags]) as Promise<{ name: string; uuid: string; id: number }>;
  }
  /** virDomainCreateWithFlags on a defined domain. */
  async start(name: string, flags = 0): Promise<void> {
    await this.#call("start", [name, flags]);
  }
  async shutdown(name: string): Promise<void> {
    await this.#call("shutdown", [name]);
  }
  async destroy(name: string): Promise<void> {
    await this.#call("destroy", [name]);
  }
  async undefine(name: string, flags = 0): Promise<void> {
    await this.#call("undefine", [name, flags]);
  }
  async save(name: string, path: string, opts: SaveOptions = {}): Promise<void> {
    await this.#call("save", [name, path, opts]);
  }
  async restore(path: string, opts: SaveOptions = {}): Promise<void> {
    await this.#call("restore", [path, opts]);
  }
  async managedSave(name: string, flags = 0): Promise<void> {
    await this.#call("managedSave", [name, flags]);
  }
  async suspend(name: string): Promise<void> {
    await this.#call("suspend", [name]);
  }
  async resume(name: string): Promise<void> {
    await this.#call("resume", [name]);
  }
  /** ffi/node.ts virNodeGetInfo on the worker. */
  nodeGetInfo(): Promise<NodeInfo> {
    return this.#call("nodeGetInfo", []) as Promise<NodeInfo>;
  }
  /** ffi/node.ts virNodeGetCPUStats on the worker (all CPUs unless cpuNum): ns by field name. */
  nodeGetCPUStats(cpuNum?: number): Promise<Record<string, bigint>> {
    return this.#call("nodeGetCPUStats", [cpuNum ?? null]) as Promise<Record<string, bigint>>;
  }
  /** ffi/node.ts virNodeGetFreeMemory on the worker: bytes. */
  nodeGetFreeMemory(): Promise<number> {
    return this.#call("nodeGetFreeMemory", []) as Promise<number>;
  }
  /** ffi/node.ts virDomainSetSchedulerParameters (Flags) on the worker, e.g. cpu_shares with DomainModificationImpact.LIVE. */
  async domainSetSchedulerParameters(name: string, params: readonly TypedParamIn[], flags = 0): Promise<void> {
    await this.#call("domainSetSchedulerParameters", [name, [...params], flags]);
  }
  /** ffi/node.ts virDomainGetSchedulerParameters (Flags) on the worker. */
  domainGetSchedulerParameters(name: string, flags = 0): Promise<Record<string, StatValue>> {
    return this.#call("domainGetSchedulerParameters", [name, flags]) as Promise<Record<string, StatValue>>;
  }
  /** virDomainIsActive on the worker: libvirt holds a domain while its QEMU stops (~1-2 s here), and a caller-thread call would wait that long. */
  isActive(name: string): Promise<boolean> {
    return this.#call("isActive", [name]) as Promise<boolean>;
  }
  /** ffi/node.ts virDomainManagedSaveGetXMLDesc on the worker. */
  managedSaveGetXMLDesc(name: string, flags = 0): Promise<string> {
    return this.#call("managedSaveGetXMLDesc", [name, flags]) as Promise<string>;
  }
  /** ffi/node.ts virDomainManagedSaveDefineXML on the worker. */
  async managedSaveDefineXML(name: string, xml: string, flags = 0): Promise<void> {
    await this.#call("managedSaveDefineXML", [name, xml, flags]);
  }
  /** ffi/storage.ts virStorageVolCreateXML in the pool named `pool` on the worker (libvirt runs qemu-img for a qcow2 overlay); resolves with the new volume's name and path. */
  storageVolCreateXML(pool: string, xml: string, flags = 0): Promise<{ name: string; path: string }> {
    return this.#call("storageVolCreateXML", [pool, xml, flags]) as Promise<{ name: string; path: string }>;
  }
  /** ffi/storage.ts virStorageVolLookupByPath + virStorageVolDelete on the worker (NO_STORAGE_VOL when `path` is in no pool). */
  async storageVolDelete(path: string, flags = 0): Promise<void> {
    await this.#call("storageVolDelete", [path, flags]);
  }
  /** ffi/storage.ts virStoragePoolRefresh of the pool named `pool` on the worker (it rescans the pool's directory). */
  async storagePoolRefresh(pool: string): Promise<void> {
    await this.#call("storagePoolRefresh", [pool]);
  }
  /** virDomainSnapshotCreateXML; resolves with the snapshot's name (e.g. an external memory snapshot with NO_METADATA). */
  snapshotCreateXML(name: string, xml: string, flags = 0): Promise<string> {
    return this.#call("snapshotCreateXML", [name, xml, flags]) as Promise<string>;
  }
}

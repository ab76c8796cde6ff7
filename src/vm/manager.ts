// VmManager: server VMs from the guest image (or linked clones of a template
// domain), through libvirt. The one object the scaler, the API, the CLI and
// the tests hold; each job is in its own file, sharing a VmContext (the
// settings, the caller-thread and worker connections, what is known per VM):
//   context.ts     connections (quick calls here, slow ones on a worker thread)
//   listing.ts     listOwned / listOwnedAsync / get      ownership.ts  setRole
//   address-of.ts  addressOf / addressOfAsync            host-files.ts pidOf, logs
//   create.ts      create, domainXml, template           serving.ts    waitServing
//   lifecycle.ts   start/suspend/resume/shutdown/destroy, CPU weight
//   saves.ts       save / restore / managedSave, the CPU weight of a saved VM
import type { Connection } from "../../ffi/index.ts";
import type { Config } from "../config.ts";
import type { AccelChoice } from "./accel.ts";
import type { GuestImage } from "../guest/image.ts";
import { VmContext, type ManagedVm, type VmManagerOptions } from "./context.ts";
import { addressOf, addressOfAsync } from "./address-of.ts";
import { createVm, imageDomainXml, readCloneTemplate } from "./create.ts";
import { pidOf, serialLogOf } from "./host-files.ts";
import { cpuShares, destroyVm, resumeVm, setCpuShares, shutdownVm, startVm, suspendVm } from "./lifecycle.ts";
import { getOwned, listOwned, listOwnedAsync } from "./listing.ts";
import { setRole } from "./ownership.ts";
import { managedSaveVm, restoreVm, saveVm, setSavedCpuShares, type SaveResult } from "./saves.ts";
import { waitServing } from "./serving.ts";
import type { Template } from "./template.ts";

export type { ManagedVm, VmManagerOptions } from "./context.ts";

export class VmManager {
  readonly #ctx: VmContext;

  constructor(opts: VmManagerOptions) {
    this.#ctx = new VmContext(opts);
  }

  // The settings are the context's (one copy): read through.
  get uri(): string {
    return this.#ctx.uri;
  }
  get config(): Config {
    return this.#ctx.config;
  }
  get image(): GuestImage | null {
    return this.#ctx.image;
  }
  get group(): string {
    return this.#ctx.group;
  }
  get snapshotDir(): string {
    return this.#ctx.snapshotDir;
  }
  /** The user's template domain new VMs are cloned from, or null (they boot the guest image). */
  get templateName(): string | null {
    return this.#ctx.templateName;
  }

  /** The caller-thread connection for quick calls (opened on first use, reopened when lost). */
  get conn(): Connection {
    return this.#ctx.conn;
  }

  /** KVM or TCG (detected once from libvirt's capabilities, config vm.accel overrides). */
  accel(): AccelChoice {
    return this.#ctx.accel();
  }

  get scale(): number {
    return this.#ctx.scale;
  }

  // ---------- reading ----------

  /** Every domain that carries virtscale's metadata (any group), for adoption after a restart. */
  listOwned(): ManagedVm[] {
    return listOwned(this.#ctx);
  }

  /** listOwned read on the worker connection: what the scaler lists with every few seconds (src/vm/listing.ts). */
  listOwnedAsync(): Promise<ManagedVm[]> {
    return listOwnedAsync(this.#ctx);
  }

  /** One owned VM by name (throws when it does not exist or is not virtscale's). */
  get(name: string): ManagedVm {
    return getOwned(this.#ctx, name);
  }

  /** The service address of a VM, or null when unknown (src/vm/address-of.ts). */
  addressOf(name: string): { host: string; port: number } | null {
    return addressOf(this.#ctx, name);
  }

  /** addressOf read on the worker connection, for the pollers (scaler, waitServing). */
  addressOfAsync(name: string): Promise<{ host: string; port: number } | null> {
    return addressOfAsync(this.#ctx, name);
  }

  /** The QEMU process of a running VM (qemu:///system keeps it in /run/libvirt/qemu/NAME.pid). */
  pidOf(name: string): number | null {
    return pidOf(this.uri, name);
  }

  /** The serial console log of a VM (qemu:///system only), for diagnostics. */
  serialLogOf(name: string): string | undefined {
    return serialLogOf(this.uri, name);
  }

  // ---------- creating ----------

  /** The template new VMs are cloned from, read and checked (src/vm/template.ts readTemplate); throws when there is none or it cannot be used. */
  template(): Template {
    return readCloneTemplate(this.#ctx);
  }

  /** The domain XML a new VM would get (exported for tests and `--dry-run` style tools). */
  domainXml(opts: { name: string; uuid: string; mac: string; role: string; port: number; kernel?: string; cpuShares?: number }): string {
    return imageDomainXml(this.#ctx, opts);
  }

  /**
   * Define + start a VM from the template; returns once libvirt started it (not yet serving).
   * `kernel` boots another kernel (the API's /create kernel_path, already confined to vm.kernel_dir) with the image's initrd.
   */
  create(opts: { name?: string; role?: string; kernel?: string; cpuShares?: number } = {}): Promise<ManagedVm> {
    return createVm(this.#ctx, opts);
  }

  /**
   * Resolves with ms until the VM's first correct protocol answer (probing
   * every ~150 ms). `signal`: the caller gave up (the scaler retired the VM
   * it launches): the wait ends at once with the signal's reason, before any
   * "no such domain" the retire would cause.
   */
  waitServing(name: string, timeoutMs = this.config.vm.boot_timeout_s * 1000, opts: { signal?: AbortSignal } = {}): Promise<number> {
    // Network mode: the address appears once the guest has its DHCP lease, read on the worker (a listing per try).
    const network = this.config.vm.network === "network";
    const read = () => (network ? this.addressOfAsync(name) : Promise.resolve(this.addressOf(name)));
    return waitServing(this.#ctx, name, read, timeoutMs, opts);
  }

  // ---------- snapshots ----------

  /** Save CPU + device + memory state to `path` (inside the snapshot directory), halting or letting it run on (src/vm/saves.ts). */
  save(name: string, path: string, opts: { resume: boolean }): Promise<SaveResult> {
    return saveVm(this.#ctx, name, path, opts);
  }

  /** Restore a VM from a save file (inside the snapshot directory); it keeps its name and UUID. */
  restore(path: string): Promise<ManagedVm> {
    return restoreVm(this.#ctx, path);
  }

  /** Managed save (the warm pool): the domain stops; start() resumes the booted server. */
  managedSave(name: string): Promise<void> {
    return managedSaveVm(this.#ctx, name);
  }

  /** A running VM's cgroup CPU weight (libvirt's cpu_shares scheduler parameter, on the worker); libvirt's error when the host has no cgroup CPU controller. */
  cpuShares(name: string): Promise<number> {
    return cpuShares(this.#ctx, name);
  }

  /** Set a running VM's CPU weight (virDomainSetSchedulerParameters cpu_shares, live only: the definition keeps the weight it was made with). */
  setCpuShares(name: string, shares: number): Promise<void> {
    return setCpuShares(this.#ctx, name, shares);
  }

  /** Set the CPU weight a managed-saved VM resumes with; false when its image has no <cputune><shares> to set. */
  setSavedCpuShares(name: string, shares: number): Promise<boolean> {
    return setSavedCpuShares(this.#ctx, name, shares);
  }

  /** Start a defined VM (resumes its managed-save image when it has one). */
  start(name: string): Promise<void> {
    return startVm(this.#ctx, name);
  }

  /** Pause a running VM (virDomainSuspend, the hot pool): its vCPUs stop, its memory stays; resume() continues it where it was. */
  suspend(name: string): Promise<void> {
    return suspendVm(this.#ctx, name);
  }

  /** Continue a paused VM (virDomainResume). */
  resume(name: string): Promise<void> {
    return resumeVm(this.#ctx, name);
  }

  /** Change the role in a VM's ownership metadata (src/vm/ownership.ts: what adoption after a restart reads). */
  setRole(name: string, role: string): void {
    setRole(this.#ctx, name, role);
  }

  // ---------- stopping ----------

  /** Graceful stop: the ACPI power button, destroyed when still running after timeoutMs (default 5 s). */
  shutdown(name: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    return shutdownVm(this.#ctx, name, opts);
  }

  /** destroy + undefine (with its managed-save image and snapshot metadata), and its log files; a linked clone's overlays too. */
  destroy(name: string): Promise<void> {
    return destroyVm(this.#ctx, name);
  }

  close(): Promise<void> {
    return this.#ctx.close();
  }
}

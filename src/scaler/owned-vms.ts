// The VmManager of a run that owns its group (`virtscale up`): every VM that
// comes to life through it (the scaler's launches and warm-pool fills, a
// warm VM resumed, the API's POST /v1/vms and POST /create, a restore) gets
// this process's owner mark (src/scaler/lease.ts), so another instance sees
// whose it is. Once the run is ending no new VM is made (the API could
// otherwise create one after the exit sweep has run), and the ending waits
// for the creates already under way, so the sweep finds them.
import { VmManager, type ManagedVm, type VmManagerOptions } from "../vm/manager.ts";

/** A create or restore refused because the run is ending (the API answers 503). */
export class RunEndingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunEndingError";
  }
}

export interface OwnedVmsOptions extends VmManagerOptions {
  /** Write the owner mark on the named domain; it reports its own failures (a mark is worth a warning, not a failed launch). */
  claim: (name: string) => void;
}

export class OwnedVms extends VmManager {
  readonly #claim: (name: string) => void;
  #ending = false;
  readonly #underway = new Set<Promise<unknown>>();

  constructor(opts: OwnedVmsOptions) {
    super(opts);
    this.#claim = opts.claim;
  }

  override async create(opts: { name?: string; role?: string; kernel?: string } = {}): Promise<ManagedVm> {
    this.#refuseIfEnding("create a VM");
    return this.#track(super.create(opts).then((vm) => (this.#claim(vm.name), vm)));
  }

  override async restore(path: string): Promise<ManagedVm> {
    this.#refuseIfEnding("restore a VM");
    return this.#track(super.restore(path).then((vm) => (this.#claim(vm.name), vm)));
  }

  /** A managed-save image brings back the live definition it was saved with, owner mark included: mark it again. */
  override async start(name: string): Promise<void> {
    await super.start(name);
    this.#claim(name);
  }

  /** From now on create and restore fail; resolves once those under way have ended (either way). */
  async endNew(): Promise<void> {
    this.#ending = true;
    while (this.#underway.size) await Promise.allSettled([...this.#underway]);
  }

  #refuseIfEnding(what: string): void {
    if (this.#ending) throw new RunEndingError(`cannot ${what}: the run of group '${this.group}' is ending (its VMs are being removed)`);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#underway.add(p);
    const done = () => this.#underway.delete(p);
    p.then(done, done);
    return p;
  }
}

// The first part of the group's step: what each member is, before any policy
// or action. Pure functions over read-only members: which count as capacity
// (serving or starting, out of the balancer awaiting libvirt's verdict included), which may be
// judged dead at all (not busy under an operation), what the sample and the
// balancer say of one (dead, stuck), the vCPUs busy at normal weight, and the
// order in which a scale-in takes them.
import type { Member } from "./member.ts";
import type { VmReading } from "./monitor.ts";

type M = Readonly<Member>;

/**
 * Serving or starting. A member out of the balancer since its QEMU process
 * ended still counts until libvirt's verdict (its STOPPED event or the next
 * sample, deaths.ts): the process also ends when another process saves it
 * (`virtscale snapshot` in another shell falling back to save + restore), and
 * only libvirt can tell that from a death without stalling this thread. A
 * dead one leaves the members then, and its replacement starts.
 */
export function isActive(m: M): boolean {
  return m.role === "serving" || m.role === "starting";
}

/** The members that count toward the desired size (isActive). */
export function activeMembers(members: Iterable<M>): M[] {
  return [...members].filter(isActive);
}

/** How many members serve and how many start (launches still waiting for a pool VM count as starting). */
export function countActive(members: Iterable<M>, waitingLaunches: number): { serving: number; starting: number } {
  let serving = 0;
  let starting = 0;
  for (const m of members) {
    if (m.role === "serving") serving++; // one out of the balancer awaiting libvirt's verdict included (isActive)
    else if (m.role === "starting") starting++;
  }
  return { serving, starting: starting + waitingLaunches };
}

/** A member whose death the group may judge: serving or starting, no operation of the actuator on it (busy), none of this run's (underOperation). */
export function judgeable(m: M, underOperation: boolean): boolean {
  return !m.busy && !underOperation && (m.role === "serving" || m.role === "starting");
}

/**
 * libvirt answered the sample and the member, once booted, is in a state that
 * is not running (nor unknown): dead. A sample that began before the VM was
 * started (sampleTs, ms) cannot have seen it: no verdict (a sample over several
 * hosts can take seconds while one host is slow, and a launch lands meanwhile).
 */
export function deadInSample(m: M, r: VmReading | undefined, sampleOk: boolean, sampleTs = Infinity): boolean {
  if (m.bootedAt !== undefined && m.bootedAt > sampleTs) return false;
  return Boolean(sampleOk && m.booted && r && r.state !== "running" && r.state !== "unknown");
}

/** Unhealthy in the balancer and silent (no answer at all, late ones included) for the grace: stuck, replaced like a dead one. */
export function stuckInBalancer(m: M, now: number, graceMs: number, sampleOk: boolean): boolean {
  const silentMs = now - (m.lastAnswerAt ?? now);
  return sampleOk && m.unhealthySince !== undefined && now - m.unhealthySince >= graceMs && silentMs >= graceMs;
}

/** vCPUs running at normal CPU weight: members serving, starting or draining, and pool refills that could not be given a low weight. */
export function busyVcpus(members: Iterable<M>, vcpusPerVm: number, refillsLowWeight: boolean): number {
  let n = 0;
  for (const m of members) {
    if (m.outSince !== undefined) continue;
    if (m.role === "serving" || m.role === "starting" || m.role === "draining") n += vcpusPerVm;
    else if (m.filling && !refillsLowWeight) n += vcpusPerVm;
  }
  return n;
}

/**
 * The `n` members a scale-in takes, from the active ones: first the VMs still
 * starting (newest first: retire cancels its launch, which ends quietly), then
 * the newest serving ones, a VM the user restored from a snapshot last. Not a
 * VM resuming from the pool (busy: it serves in a moment), nor one under an
 * operation (a snapshot from the dashboard or the API).
 */
export function scaleInVictims(active: readonly M[], n: number, o: { restored: (name: string) => boolean; underOperation: (name: string) => boolean }): M[] {
  const restored = (m: M) => Number(o.restored(m.name));
  return active
    .filter((m) => !m.busy && !o.underOperation(m.name))
    .sort((a, b) => (a.role !== b.role ? (a.role === "starting" ? -1 : 1) : restored(a) - restored(b) || b.roleSince - a.roleSince))
    .slice(0, n);
}

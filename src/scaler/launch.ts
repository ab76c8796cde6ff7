// One scale-out: part of the actuator. The VM comes from the fastest source
// there is (pool.ts pickForLaunch), one function per way:
//   hot         a paused pool VM, resumed (virDomainResume + one answer)
//   warm        a managed-saved pool VM, started (= restored, already booted)
//   predefined  the next shut-off domain PREFIX-NNNN (the assignment's way)
//   cold        VmManager.create: define + boot from the guest image, or a
//               linked clone of the user's template domain (scaler.template)
// With the pool empty but a VM being retired into it, the launch waits for
// that VM rather than booting cold. The VM then joins (join.ts). A launch is
// cancelled by retire() (its AbortSignal): it ends "cancelled", no error.
import { ErrorNumber, LibvirtError } from "../../ffi/index.ts";
import { usableAddress } from "../vm/address.ts";
import { errorMessage } from "../errors.ts";
import { pickForLaunch } from "./pool.ts";
import { StoppedError, type LaunchRecord, type Member } from "./member.ts";
import type { MemberTable } from "./member-table.ts";
import { join } from "./join.ts";
import { fail } from "./retire.ts";
import { weigh } from "./weights.ts";

/** A way to start a launch's VM: its member (taken or added before any await, so a failure removes it) and libvirt starting it. */
interface Way {
  member: Member;
  started: Promise<void>;
}

/** Add one VM to the group; resolves when it serves (or failed, recorded). */
export async function launch(t: MemberTable, decisionAt: number): Promise<LaunchRecord> {
  const rec: LaunchRecord = { name: "", how: "cold", decisionAt };
  t.launches.push(rec);
  let m: Member | undefined;
  const abort = new AbortController();
  let settled!: () => void;
  const done = new Promise<void>((r) => (settled = r));
  /** The member this launch adds or takes: registered so that retire() can cancel it, and removed if the launch fails from here on. */
  const own = (x: Member): Member => {
    m = x;
    t.launching.set(x.name, { abort, done });
    return x;
  };
  try {
    let ready = t.source !== "predefined" ? pickForLaunch(t.all.values()) : undefined;
    if (!ready && t.entering.size > 0) ready = await enteredPool(t);
    const way =
      ready?.role === "hot" ? resumeHot(t, own(ready), rec) : ready ? startWarm(t, own(ready), rec) : t.source === "predefined" ? startPredefined(t, rec, own) : bootCold(t, rec, own);
    m = way.member;
    await way.started;
    if (abort.signal.aborted) throw abort.signal.reason;
    m.booted = true;
    m.bootedAt = rec.startedAt = t.now();
    await join(t, m, abort.signal);
    rec.servingAt = t.now();
    rec.decisionToServingMs = rec.servingAt - decisionAt;
    return rec;
  } catch (e) {
    // Cancelled by retire(): the VM is the retire's now (it removes it); not an error, no retry delay.
    if (abort.signal.aborted) {
      rec.cancelled = true;
      return rec;
    }
    rec.error = errorMessage(e);
    if (m && !(e instanceof StoppedError)) {
      if (!t.o.quietFailure?.(m.name, rec.error)) t.o.store.error(`launch ${m.name}`, e);
      // Always removed: a failed launch leaves nothing running on the host.
      await fail(t, m, `launch failed: ${rec.error}`);
    }
    return rec;
  } finally {
    if (m && t.launching.get(m.name)?.abort === abort) t.launching.delete(m.name);
    if (m && !abort.signal.aborted) m.busy = false;
    settled();
  }
}

function resumeHot(t: MemberTable, m: Member, rec: LaunchRecord): Way {
  return fromPool(t, m, rec, "hot", "resuming from the hot pool (paused)", async () => {
    await t.o.vms.resume!(m.name);
  }, () => (m.paused = false));
}

function startWarm(t: MemberTable, m: Member, rec: LaunchRecord): Way {
  return fromPool(t, m, rec, "warm", "resuming from the warm pool", () => t.o.vms.start(m.name));
}

/** A pool VM becomes a member: wake it (resume a paused one, start a managed-saved one), then give it the serving CPU weight. */
function fromPool(t: MemberTable, m: Member, rec: LaunchRecord, how: "hot" | "warm", why: string, wake: () => Promise<unknown>, woke?: () => void): Way {
  m.busy = true;
  rec.how = how;
  rec.name = m.name;
  t.setRole(m, "starting", why);
  const started = (async () => {
    await wake();
    await weigh(t, m.name, "normal");
    woke?.();
  })();
  return { member: m, started };
}

function startPredefined(t: MemberTable, rec: LaunchRecord, own: (m: Member) => Member): Way {
  const name = t.predefinedCandidates()[0];
  if (!name) throw new Error(`no shut-off predefined domain ${t.prefix}-${"N".repeat(t.digits)} left to start`);
  rec.how = "predefined";
  rec.name = name;
  const m = own(t.add(name, "predefined", "starting", { startedByRun: true }));
  const started = (async () => {
    try {
      await t.o.vms.start(name);
    } catch (e) {
      // Started by someone else since the last sample listed it shut off: it joins as found (not stopped at the end), never failed and shut down.
      if (!alreadyRunning(e)) throw e;
      m.startedByRun = false;
      t.o.store.log(`${name}: already running (started outside this run since the last sample): joins as it is, left running at the end`, "warn");
    }
  })();
  return { member: m, started };
}

/** libvirt's answer to starting a domain that runs: "domain is already running" (QEMU: VIR_ERR_OPERATION_INVALID; the test driver: "Domain 'X' is already running", an internal error). */
function alreadyRunning(e: unknown): boolean {
  return e instanceof LibvirtError && (e.code === ErrorNumber.OPERATION_INVALID || e.code === ErrorNumber.INTERNAL_ERROR) && /is already running/i.test(e.message);
}

function bootCold(t: MemberTable, rec: LaunchRecord, own: (m: Member) => Member): Way {
  const name = t.nextName();
  rec.name = name;
  if (t.poolWanted) t.o.store.log(`pool empty: cold boot of ${name}`, "warn");
  const m = own(t.add(name, "template", "starting", { createdByRun: true }));
  const started = (async () => {
    const vm = await t.o.vms.create({ name, role: "serving" });
    // Network mode: no address until the guest's DHCP lease (0.0.0.0:0 until then): join() waits for it.
    m.address = usableAddress(vm.address) ?? undefined;
    if (vm.clone) {
      // A linked clone of the user's template: which overlays it runs on, and how they were made (its retire removes them with it).
      rec.how = "clone";
      t.o.store.log(`${name}: linked clone of template ${vm.clone.template}: ${vm.clone.overlays.map((o) => `${o.path} (${o.via})`).join(", ") || "no writable disk"}`);
    }
  })();
  return { member: m, started };
}

/** A launch with no ready pool VM waits for the retires into the pool under way (a drain, then a pause or save), then takes one if it is ready. */
async function enteredPool(t: MemberTable): Promise<Member | undefined> {
  t.waitingLaunches++;
  t.o.changed?.();
  try {
    while (t.entering.size > 0) {
      await Promise.race(t.entering.values());
      const ready = pickForLaunch(t.all.values());
      if (ready) return ready;
    }
    return undefined;
  } finally {
    t.waitingLaunches--;
  }
}

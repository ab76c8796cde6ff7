// Faults an operator's machine does to a running group, injected one at a time
// under steady load through the balancer, each measured the same way: what the
// load generator saw during the fault's window (sent, answered in time, late,
// lost, wrong), how long until the VM was out of rotation, how long until a
// replacement served, and the group's members before and after. Used by
// test/scaler/chaos.qemu.test.ts (assertions) and bench/scaler.ts (figures).
//
// restartLibvirtd needs root and the project's scripts/start-libvirtd.sh (it
// restarts the machine's shared daemon: every libvirt client sees it).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { AsyncConnection } from "../../ffi/index.ts";
import type { LoadViewExt } from "../../src/load/generator.ts";
import { QEMU_URI, sleep, until, type QemuRig } from "./qemu-rig.ts";

const ROOT = resolve(import.meta.dir, "../..");

export interface FaultFigures {
  fault: "libvirtd restart" | "destroy" | "kill -9";
  victim?: string;
  sent: number;
  answeredInTime: number;
  late: number;
  /** Timed out and never answered. */
  lost: number;
  wrong: number;
  /** Fault to the victim out of the balancer's rotation (ms). */
  outOfRotationMs?: number;
  /** Fault to a replacement in the balancer, serving (ms). */
  replacementServingMs?: number;
  replacement?: string;
  /** How the group learned of it (its log line). */
  seenBy?: string;
  /** libvirtd restart: how long it was down, and from its return to the group sampling again (ms). */
  downMs?: number;
  backToSamplingMs?: number;
  membersBefore: string[];
  membersAfter: string[];
  groupAlive: boolean;
  /** Longest gap between two 10 ms timer ticks on the balancer's thread during the fault (ms): how long it stalled. */
  maxStallMs: number;
  /** What the group logged during the fault (warnings and errors, once each). */
  said: string[];
}

/** The libvirtd process of this machine (its pid file, else the one running). */
export function libvirtdPid(): number | null {
  for (const f of ["/run/libvirtd.pid", "/var/run/libvirtd.pid"]) {
    if (!existsSync(f)) continue;
    const pid = Number(readFileSync(f, "utf8").trim());
    if (pid > 0 && alive(pid)) return pid;
  }
  const r = spawnSync("pgrep", ["-x", "libvirtd"], { encoding: "utf8" });
  const pids = r.stdout.trim().split("\n").filter(Boolean).map(Number);
  return pids.length === 1 ? pids[0]! : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start libvirtd with the project's script when it is not answering (it does
 * nothing when it is). Asynchronous: this thread runs the balancer under test.
 */
export async function ensureLibvirtd(): Promise<void> {
  const p = spawn(join(ROOT, "scripts/start-libvirtd.sh"), [], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  p.stderr!.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => p.kill("SIGKILL"), 60_000);
  const code = await new Promise<number | null>((r) => p.once("exit", (c) => r(c)));
  clearTimeout(timer);
  if (code !== 0) throw new Error(`scripts/start-libvirtd.sh failed (${code}): ${stderr}`);
}

const lostOf = (v: LoadViewExt) => v.timedOut - v.late;

/** Counts over a window, from two views of the load generator. */
function window(a: LoadViewExt, b: LoadViewExt) {
  return {
    sent: b.sent - a.sent,
    answeredInTime: b.answered - a.answered,
    late: b.late - a.late,
    lost: lostOf(b) - lostOf(a),
    wrong: b.wrong - a.wrong,
  };
}

export class Faults {
  readonly figures: FaultFigures[] = [];
  #lastTick = performance.now();
  #maxGap = 0;
  #ticker: ReturnType<typeof setInterval>;

  constructor(private readonly rig: QemuRig) {
    // The balancer runs on this thread: a libvirt call here would show as a gap.
    this.#ticker = setInterval(() => {
      const now = performance.now();
      this.#maxGap = Math.max(this.#maxGap, now - this.#lastTick);
      this.#lastTick = now;
    }, 10);
  }

  close(): void {
    clearInterval(this.#ticker);
  }

  /** Start a fault's window: stall meter reset, store position kept. */
  private begin(): { from: number } {
    this.#lastTick = performance.now();
    this.#maxGap = 0;
    return { from: this.rig.store.events().length };
  }

  /** The group's warnings and errors since `from`, without the balancer's own chatter. */
  private said(from: number): string[] {
    return this.rig.store
      .events()
      .slice(from)
      .flatMap((e) => (e.type === "error" ? [`error: ${e.message}`] : e.type === "log" && e.level !== "info" ? [e.message] : []));
  }

  private get g() {
    return this.rig.run.group;
  }
  private serving(): string[] {
    return this.g.serving().map((m) => m.name).sort();
  }
  private dump = () => ({
    members: this.g.members().map((m) => [m.name, m.role, m.busy, m.outSince ?? null]),
    backends: this.rig.run.balancer.backends().map((b) => [b.id, b.state, b.answered, b.timedOut]),
    load: this.rig.load.view(),
  });
  /** After each fault: requests sent during it are all decided (answered or timed out, late answers in). */
  private settleMs(): number {
    return this.rig.config.lb.timeout_ms + 2000;
  }

  /** Wait until the group is whole: `size` serving, the warm pool (if any) ready, nothing starting or draining. */
  async steady(size: number, timeoutMs = 240_000): Promise<void> {
    const pool = this.rig.config.scaler.source === "warm" ? this.rig.config.scaler.warm_pool : 0;
    await until(
      "the group to be steady",
      () =>
        this.serving().length === size &&
        this.g.actuator.warmReady().length >= pool &&
        !this.g.members().some((m) => m.role === "starting" || m.role === "draining" || m.busy),
      timeoutMs,
      this.dump,
    );
    // A refill boot competes for the CPU with the serving guests: start from a quiet machine.
    await sleep(2000);
  }

  /** The time (ms after t0) at which `cond` first held, polling every 2 ms. */
  private async firstTime(what: string, t0: number, cond: () => boolean, timeoutMs: number): Promise<number> {
    while (!cond()) {
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(this.dump())}`);
      await sleep(2);
    }
    return Date.now() - t0;
  }

  /** Kill libvirtd (SIGTERM, by pid), leave it down ~downMs, start it again with scripts/start-libvirtd.sh. */
  async restartLibvirtd(downMs = 5000): Promise<FaultFigures> {
    const pid = libvirtdPid();
    if (!pid) throw new Error("libvirtd's pid not found (/run/libvirtd.pid, pgrep -x libvirtd)");
    const membersBefore = this.serving();
    const before = this.rig.load.view();
    const mark = this.begin();
    const lastStep = () => this.rig.store.state.scaler?.lastDecision?.ts ?? 0;
    const t0 = Date.now();
    process.kill(pid, "SIGTERM");
    await until("libvirtd to exit", () => !alive(pid), 30_000);
    await sleep(downMs);
    await ensureLibvirtd();
    const back = Date.now();
    const stepsBefore = lastStep();
    const backToSamplingMs = await this.firstTime("the group to sample libvirt again", back, () => this.g.monitor.connected && lastStep() > stepsBefore, 60_000);
    await until("libvirt's events to be back", () => this.g.watchingEvents, 30_000, this.dump);
    await sleep(this.settleMs());
    const f: FaultFigures = {
      fault: "libvirtd restart",
      ...window(before, this.rig.load.view()),
      downMs: back - t0,
      backToSamplingMs,
      membersBefore,
      membersAfter: this.serving(),
      groupAlive: this.g.monitor.connected && lastStep() > stepsBefore,
      maxStallMs: Math.round(this.#maxGap),
      said: this.said(mark.from),
    };
    this.figures.push(f);
    return f;
  }

  /** A serving VM dies: `destroy` through the binding (virDomainDestroy on a worker), or kill -9 of its QEMU process. */
  async killServing(how: "destroy" | "kill -9"): Promise<FaultFigures> {
    const membersBefore = this.serving();
    const victim = membersBefore[0]!;
    const inRotation = () => this.rig.run.balancer.backends().some((b) => b.id === victim && b.state === "active");
    const replacement = () => this.g.serving().find((m) => !membersBefore.includes(m.name))?.name;
    const before = this.rig.load.view();
    const ac = how === "destroy" ? await AsyncConnection.open(QEMU_URI) : null;
    const pid = how === "kill -9" ? Number(readFileSync(`/run/libvirt/qemu/${victim}.pid`, "utf8").trim()) : 0;
    const mark = this.begin();
    const fromEvent = mark.from;
    const t0 = Date.now();
    let destroyed: Promise<unknown> = Promise.resolve();
    if (ac) destroyed = ac.destroy(victim).catch((e) => e);
    else process.kill(pid, "SIGKILL");
    try {
      const outOfRotationMs = await this.firstTime(`${victim} out of rotation`, t0, () => !inRotation(), 30_000);
      const replacementServingMs = await this.firstTime("a replacement serving", t0, () => replacement() !== undefined, 240_000);
      await destroyed;
      await sleep(this.settleMs());
      const seen = this.rig.store
        .events()
        .slice(fromEvent)
        .find((e): e is Extract<typeof e, { type: "log" }> => e.type === "log" && e.message.startsWith(`${victim}:`));
      const f: FaultFigures = {
        fault: how,
        victim,
        ...window(before, this.rig.load.view()),
        outOfRotationMs,
        replacementServingMs,
        replacement: replacement(),
        seenBy: seen?.message.slice(victim.length + 2),
        membersBefore,
        membersAfter: this.serving(),
        groupAlive: this.g.monitor.connected,
        maxStallMs: Math.round(this.#maxGap),
        said: this.said(mark.from),
      };
      this.figures.push(f);
      return f;
    } finally {
      await ac?.close();
    }
  }
}

/** One line per fault, for the test log and the bench's table. */
export function faultTable(fs: FaultFigures[]): string {
  const ms = (v?: number) => (v === undefined ? "-" : `${v.toLocaleString("en-US")} ms`);
  return [
    "| fault | sent | answered in time | late | lost | wrong | out of rotation | replacement serving | members after | balancer thread's longest stall |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ...fs.map(
      (f) =>
        `| ${f.fault} | ${f.sent} | ${f.answeredInTime} | ${f.late} | ${f.lost} | ${f.wrong} | ${ms(f.outOfRotationMs)} | ${f.fault === "libvirtd restart" ? `down ${ms(f.downMs)}, sampling again ${ms(f.backToSamplingMs)} after` : ms(f.replacementServingMs)} | ${
          f.membersAfter.join(", ") === f.membersBefore.join(", ") ? "same" : `${f.victim} replaced by ${f.replacement}`
        } | ${ms(f.maxStallMs)} |`,
    ),
  ].join("\n");
}

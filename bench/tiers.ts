// Pool tiers and scale to zero on real QEMU guests (TCG), side by side in one
// run. For each tier (hot: paused, warm: managed save, cold: boot), a group
// with min 0, max 1 and only that tier:
//   decision -> answer   the group decides +1 (Group.scaleBy) and at the same
//                        moment one request goes to the empty group's front;
//                        the balancer holds it until the VM joins; the time to
//                        its correct answer, through the balancer
//   from zero            no decision: a request to the empty group is held, the
//                        balancer tells the group, a VM wakes; request -> its
//                        answer, plus a burst of requests sent while it wakes
//                        (lost = not answered; the hold queue bounds them)
// Between runs the group goes back to zero by itself (scaler.idle_timeout_s).
// Also: the host RSS of a hot VM's QEMU and its CPU while paused, and how busy
// the host was (load average, /proc/stat busy %). `bun run bench tiers`;
// TIERS_BENCH_RUNS=3 for a shorter run.
import { readFileSync } from "node:fs";
import { median } from "../src/scaler/run.ts";
import type { LbCountersExt } from "../src/lb/stats.ts";
import { FrontClient } from "../test/scaler/front-client.ts";
import { qemuRig, qemuUnavailable, sleep, until, type QemuRig } from "../test/scaler/qemu-rig.ts";

const RUNS = Number(process.env.TIERS_BENCH_RUNS ?? 5);
const BURST = 20;
type TierName = "hot" | "warm" | "cold";

interface TierResult {
  tier: TierName;
  decisionToAnswerMs: number[];
  /** The launch's own decision -> first probe answer (then in the balancer). */
  decisionToServingMs: number[];
  fromZeroMs: number[];
  burstSent: number;
  burstLost: number;
  dropped: Record<string, number>;
  hows: string[];
}

function hostCpu(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + (f[4] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function procCpuS(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

async function measureTier(tier: TierName, extra: { hotRssMiB?: number; pausedCpuPct?: number }): Promise<TierResult> {
  const pool = tier === "hot" ? { hot: 1 } : tier === "warm" ? { warm: 1 } : undefined;
  const rig: QemuRig = await qemuRig(
    { min: 0, max: 1, idle_timeout_s: 2, ...(pool ? { pool } : {}) },
    { lb: { timeout_ms: 3000, drain_timeout_s: 5, hold_queue: 1024, hold_timeout_ms: 60_000 } },
  );
  const g = rig.run.group;
  const res: TierResult = { tier, decisionToAnswerMs: [], decisionToServingMs: [], fromZeroMs: [], burstSent: 0, burstLost: 0, dropped: {}, hows: [] };
  const dump = () => g.members().map((m) => [m.name, m.role, m.filling ?? false, m.busy]);
  const client = await FrontClient.open(rig.run.front, rig.config.vm.work_scale);
  // At zero, nothing draining, the pool full and no refill under way: each run starts from the same place.
  const atRest = () => {
    const ms = g.members();
    const ready = ms.filter((m) => m.role === tier && !m.filling && !m.busy).length;
    return g.desiredSize === 0 && g.serving().length === 0 && ms.every((m) => !m.busy && !m.filling && m.role !== "draining" && m.role !== "starting") && (tier === "cold" || ready >= 1);
  };
  const lastLaunch = () => g.summary.launches.at(-1);
  try {
    for (let i = 0; i < RUNS; i++) {
      // decision -> answer through the balancer
      await until(`${tier}: at rest before run ${i}`, atRest, 240_000, dump);
      const n0 = g.summary.launches.length;
      g.scaleBy(1, "bench");
      const a = client.send();
      const ms = await client.answer(a, 120_000);
      if (ms === null) throw new Error(`${tier} run ${i}: no answer through the balancer within 120 s`);
      res.decisionToAnswerMs.push(ms);
      const rec = g.summary.launches.slice(n0).find((l) => l.decisionToServingMs !== undefined);
      if (rec) {
        res.decisionToServingMs.push(rec.decisionToServingMs!);
        res.hows.push(rec.how);
      }
      if (tier === "cold") continue;
      // from zero: the request alone wakes a VM; a burst rides along
      await until(`${tier}: back at zero before from-zero run ${i}`, atRest, 240_000, dump);
      const first = client.send();
      const burst = [first];
      const t0 = performance.now();
      while (burst.length < BURST) {
        await sleep(tier === "hot" ? 2 : 30);
        burst.push(client.send());
        if (performance.now() - t0 > 3000) break;
      }
      const zms = await client.answer(first, 120_000);
      if (zms === null) throw new Error(`${tier} from-zero run ${i}: no answer within 120 s`);
      res.fromZeroMs.push(zms);
      for (const b of burst) await client.answer(b, 10_000);
      res.burstSent += burst.length;
      res.burstLost += burst.filter((b) => b.ms === null).length;
      const how = lastLaunch()?.how;
      if (how) res.hows.push(`zero:${how}`);
    }
    if (tier === "hot") {
      await until("hot: at rest", atRest, 240_000, dump);
      const hot = g.members().find((m) => m.role === "hot")!;
      const pid = rig.vms.pidOf(hot.name);
      if (pid) {
        const c0 = procCpuS(pid);
        await sleep(5000);
        extra.pausedCpuPct = ((procCpuS(pid) - c0) / 5) * 100;
        extra.hotRssMiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
      }
    }
    res.dropped = { ...(rig.run.balancer.view().total as LbCountersExt).dropped };
  } finally {
    client.close();
    await rig.close();
  }
  return res;
}

export async function runTiersBench(): Promise<{ table: string; results: object }> {
  const skip = qemuUnavailable();
  if (skip) throw new Error(skip);
  const load0 = readFileSync("/proc/loadavg", "utf8").trim();
  const cpu0 = hostCpu();
  const extra: { hotRssMiB?: number; pausedCpuPct?: number } = {};
  const hot = await measureTier("hot", extra);
  const warm = await measureTier("warm", extra);
  const cold = await measureTier("cold", extra);
  const cpu1 = hostCpu();
  const load1 = readFileSync("/proc/loadavg", "utf8").trim();
  const busyPct = ((cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total)) * 100;
  const f = (xs: number[]) => (xs.length ? `${Math.round(median(xs)!)} ms` : "-");
  const range = (xs: number[]) => (xs.length ? `${Math.round(Math.min(...xs))} – ${Math.round(Math.max(...xs))}` : "-");
  const goal = { hot: "< 50 ms", warm: "< 500 ms", cold: "boot + ≤ 1 s" } as const;
  const zgoal = { hot: "< 100 ms", warm: "< 1.5 s", cold: "-" } as const;
  const row = (r: TierResult) =>
    `| ${r.tier} | ${f(r.decisionToAnswerMs)} (${range(r.decisionToAnswerMs)}) | ${goal[r.tier]} | ${f(r.decisionToServingMs)} | ${r.tier === "cold" ? "-" : `${f(r.fromZeroMs)} (${range(r.fromZeroMs)})`} | ${zgoal[r.tier]} | ${r.tier === "cold" ? "-" : `${r.burstLost} of ${r.burstSent}`} |`;
  const coldOver = cold.decisionToAnswerMs.length && cold.decisionToServingMs.length ? median(cold.decisionToAnswerMs)! - median(cold.decisionToServingMs)! : null;
  const table = [
    `Medians of ${RUNS} runs (range in brackets), min 0 / max 1 with one tier each; the balancer holds requests while the VM wakes. TCG guests, ${hot.tier} first, then warm, then cold.`,
    "",
    "| tier | decision → first correct answer through the balancer | goal | decision → the VM's first answer (probe) | first request to an empty group → its answer | goal | lost of the requests sent while waking |",
    "|---|---:|---|---:|---:|---|---:|",
    row(hot),
    row(warm),
    row(cold),
    "",
    `Cold: the answer through the balancer came ${coldOver === null ? "-" : `${Math.round(coldOver)} ms`} after the VM's own first probe answer (goal: boot + ≤ 1 s).`,
    `Hot VM: QEMU RSS ${extra.hotRssMiB?.toFixed(0) ?? "-"} MiB (vm.memory_mib 512 + QEMU/TCG), CPU while paused ${extra.pausedCpuPct?.toFixed(2) ?? "-"} % of a core over 5 s.`,
    `Drops at the balancer: hot ${JSON.stringify(hot.dropped)}, warm ${JSON.stringify(warm.dropped)}, cold ${JSON.stringify(cold.dropped)}.`,
    `Host: load average ${load0} before, ${load1} after; CPU busy ${busyPct.toFixed(0)} % of both cores over the run (other work on this shared machine included).`,
  ].join("\n");
  return { table, results: { runs: RUNS, hot, warm, cold, ...extra, busyPct, load0, load1 } };
}

if (import.meta.main) {
  const { table, results } = await runTiersBench();
  console.log(table);
  console.error(JSON.stringify(results));
}
